// The overview's three charts, each with a sentence (drawn here, on the server)
// and a figure that draws the chart and its table of numbers from one compact
// set of data in the browser.
import { AgeDistributionFigure } from "@/components/charts/age-distribution-chart";
import { ChartFrame } from "@/components/charts/chart-frame";
import { PipelineTrendFigure } from "@/components/charts/pipeline-trend-chart";
import { RepHealthFigure } from "@/components/charts/rep-health-chart";
import { formatMultipleLabel } from "@/lib/overview/age-buckets";
import { formatDays as formatCycleDays } from "@/lib/rules/wording";
import type { TeamOverview } from "@/lib/overview/data";
import type { RepOverviewRow } from "@/lib/overview/rep-table";
import { formatCount, formatDate, formatMoney } from "@/lib/format";

/** `repsShown`: the reps on the table's page — the health chart draws those, not every rep of a large organisation. */
export function OverviewCharts({
  overview,
  repsShown,
  currency,
}: {
  overview: TeamOverview;
  repsShown: RepOverviewRow[];
  currency: string;
}) {
  const money = (cents: number) => formatMoney(cents / 100, currency);
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <RepHealth overview={overview} repsShown={repsShown} currency={currency} money={money} />
      <Trend overview={overview} currency={currency} money={money} />
      <Ages overview={overview} currency={currency} money={money} />
    </div>
  );
}

type Props = { overview: TeamOverview; currency: string; money: (cents: number) => string };

function RepHealth({ overview, repsShown, currency, money }: Props & { repsShown: RepOverviewRow[] }) {
  const withDeals = overview.reps.filter((rep) => rep.openDeals > 0);
  const reps = repsShown.filter((rep) => rep.openDeals > 0);
  const worst = [...withDeals].sort((a, b) => b.health.staleCents - a.health.staleCents)[0];
  const summary =
    withDeals.length === 0
      ? "No rep has open deals."
      : `${money(overview.figures.staleValueCents)} of ${money(overview.figures.openValueCents)} is stale` +
        (worst && worst.health.staleCents > 0
          ? `; ${worst.repName} carries the most stale value (${money(worst.health.staleCents)}).`
          : ".");
  return (
    <ChartFrame
      id="rep-health"
      title={
        reps.length < withDeals.length
          ? `Pipeline health by rep (the ${formatCount(reps.length)} on this page of the table)`
          : "Pipeline health by rep"
      }
      summary={summary}
    >
      <RepHealthFigure
        id="rep-health"
        currency={currency}
        health={{
          reps: reps.map((rep) => rep.repName),
          healthyCents: reps.map((rep) => rep.health.healthyCents),
          atRiskCents: reps.map((rep) => rep.health.atRiskCents),
          staleCents: reps.map((rep) => rep.health.staleCents),
        }}
      />
    </ChartFrame>
  );
}

function Trend({ overview, currency, money }: Props) {
  const weeks = overview.trend;
  const first = weeks[0];
  const last = weeks.at(-1);
  const summary =
    !first || !last
      ? "No weekly snapshots yet: each review records one for its week."
      : weeks.length === 1
        ? `One week so far (${formatDate(last.weekStart)}): open ${money(last.openCents)}, stale ${money(last.staleCents)}.`
        : `Open pipeline went from ${money(first.openCents)} (week of ${formatDate(first.weekStart)}) to ${money(last.openCents)}; stale from ${money(first.staleCents)} to ${money(last.staleCents)}.`;
  return (
    <ChartFrame
      id="pipeline-trend"
      title={`Pipeline trend (${formatCount(weeks.length)} ${weeks.length === 1 ? "week" : "weeks"})`}
      summary={summary}
    >
      <PipelineTrendFigure
        id="pipeline-trend"
        currency={currency}
        weeks={{
          weekStarts: weeks.map((week) => week.weekStart.toISOString().slice(0, 10)),
          openCents: weeks.map((week) => week.openCents),
          staleCents: weeks.map((week) => week.staleCents),
          newPipelineCents: weeks.map((week) => week.newPipelineCents),
          wonCents: weeks.map((week) => week.wonCents),
        }}
      />
    </ChartFrame>
  );
}

function Ages({ overview, currency, money }: Props) {
  const { ages } = overview;
  const line = formatMultipleLabel(ages.lineMultiple);
  const cycleNote = ages.sharedCycleDays
    ? `against the ${formatCycleDays(ages.sharedCycleDays)}-day average cycle`
    : "against each team's average cycle";
  const summary =
    ages.total.count === 0
      ? "No open deals."
      : `${formatCount(ages.pastLine.count)} of ${formatCount(ages.total.count)} open deals (${money(ages.pastLine.valueCents)}) are older than ${line} the cycle, ${cycleNote}.`;
  return (
    <ChartFrame id="deal-ages" title="Deal age distribution" summary={summary}>
      <AgeDistributionFigure
        id="deal-ages"
        currency={currency}
        line={line}
        buckets={ages.buckets.map((bucket) => ({
          multiple: bucket.label,
          days: bucket.daysLabel,
          deals: bucket.count,
          valueCents: bucket.valueCents,
          pastLine: bucket.pastLine,
        }))}
      />
    </ChartFrame>
  );
}
