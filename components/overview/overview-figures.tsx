// The headline figures of the overview: open and weighted pipeline, stale value
// and share, quota coverage raw vs integrity-adjusted, and the cycle in use.
import { Stat } from "@/components/ui/stat";
import type { CycleInUse, TeamOverview } from "@/lib/overview/data";
import { formatCount, formatDate, formatMoney, formatMultiple } from "@/lib/format";
import { describeFlaggedBreakdown } from "@/lib/reviews/flagged-breakdown";
import { describeCycle, formatDays as formatCycleDays } from "@/lib/rules/wording";

const percent = (ratio: number) => `${formatCount(Math.round(ratio * 100))}%`;

export function OverviewFigures({ overview, currency }: { overview: TeamOverview; currency: string }) {
  const money = (cents: number) => formatMoney(cents / 100, currency);
  const { figures, coverage } = overview;
  // Before any review no deal is judged: say so rather than show "$0 stale, 0 flagged".
  const reviewed = overview.lastReview !== null;
  return (
    <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      <Stat
        testId="figure-open-pipeline"
        label="Open pipeline"
        value={money(figures.openValueCents)}
        hint={`${formatCount(figures.openDeals)} open ${figures.openDeals === 1 ? "deal" : "deals"} · weighted by stage probability ${money(figures.weightedValueCents)}`}
      />
      <Stat
        testId="figure-stale"
        label="Stale pipeline"
        value={
          !reviewed ? (
            "Not reviewed yet"
          ) : (
            <>
              {money(figures.staleValueCents)}
              {figures.staleShare !== null ? (
                <span className="ml-2 text-base font-normal text-slate-600" data-testid="stale-share">
                  {percent(figures.staleShare)} of open
                </span>
              ) : null}
            </>
          )
        }
        hint={
          reviewed
            ? `${formatCount(figures.staleDeals)} ${figures.staleDeals === 1 ? "deal has" : "deals have"} a current stale flag (past its time or untouched) · ${describeFlaggedBreakdown(figures.breakdown)}, each deal once at its worst severity`
            : "No review has checked the deals against the rules yet."
        }
      />
      <Stat
        testId="figure-coverage"
        label="Coverage of remaining quota"
        value={
          coverage.kind === "coverage" ? (
            <span className="flex flex-wrap items-baseline gap-x-2">
              <span>{formatMultiple(coverage.raw)}</span>
              <span className="text-sm font-normal text-slate-600">raw</span>
              <span aria-hidden="true" className="text-slate-400">
                →
              </span>
              <span className={coverage.adjusted < 1 ? "text-red-800" : "text-slate-900"}>
                {formatMultiple(coverage.adjusted)}
              </span>
              <span className="text-sm font-normal text-slate-600">without stale deals</span>
            </span>
          ) : coverage.kind === "quota-met" ? (
            "Quota met"
          ) : (
            "No quotas set"
          )
        }
        hint={coverageHint(overview, money)}
      />
      <Stat
        testId="figure-cycle"
        label="Average cycle in use"
        value={`${formatCycleDays(overview.cycles[0]?.cycle.days ?? 0)} days`}
        hint={cycleHint(overview.cycles, overview.lastReview !== null)}
      />
    </dl>
  );
}

function coverageHint(overview: TeamOverview, money: (cents: number) => string): string {
  const { coverage } = overview;
  const period =
    "period" in coverage && coverage.period
      ? ` (${formatDate(coverage.period.start)} – ${formatDate(coverage.period.end)})`
      : "";
  switch (coverage.kind) {
    case "no-quota":
      return "No rep in view has a quota for the period holding the as-of date. Add quotas in Settings to see coverage.";
    case "quota-met":
      return `Won ${money(coverage.wonCents)} against a quota of ${money(coverage.quotaCents)}${period}: nothing left to cover.`;
    case "coverage": {
      const withQuota = overview.reps.length;
      const partial =
        coverage.repsWithQuota < withQuota
          ? ` Only ${coverage.repsWithQuota} of ${withQuota} reps have a quota; only their pipeline counts.`
          : "";
      return `Open pipeline ${money(coverage.pipelineCents)} (${money(coverage.pipelineCents - coverage.stalePipelineCents)} without stale deals) over ${money(coverage.remainingCents)} left to win: quota ${money(coverage.quotaCents)} − won ${money(coverage.wonCents)}${period}.${partial}`;
    }
  }
}

function cycleHint(cycles: CycleInUse[], reviewed: boolean): string {
  const [main, ...teams] = cycles;
  if (!main) return "";
  if (!reviewed)
    return `The default ${formatCycleDays(main.cycle.days)}-day cycle from the settings, until a review measures won deals.`;
  const others = teams.map(
    (entry) =>
      `${entry.teamName}: ${formatCycleDays(entry.cycle.days)} days (${entry.cycle.scope === "team" ? "own won deals" : entry.cycle.scope})`,
  );
  return `${capitalise(describeCycle(main.cycle))}, from the last review.${others.length ? ` Teams — ${others.join("; ")}.` : ""}`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
