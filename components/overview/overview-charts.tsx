// The overview's three charts, each with a sentence and a table of its numbers.
import { AgeDistributionChart } from "@/components/charts/age-distribution-chart";
import { ChartFrame, ChartTable } from "@/components/charts/chart-frame";
import { PipelineTrendChart } from "@/components/charts/pipeline-trend-chart";
import { RepHealthChart } from "@/components/charts/rep-health-chart";
import { formatMultipleLabel } from "@/lib/overview/age-buckets";
import type { TeamOverview } from "@/lib/overview/data";
import type { RepOverviewRow } from "@/lib/overview/rep-table";
import { formatCount, formatDate, formatMoney } from "@/lib/format";

const dollars = (cents: number) => cents / 100;

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
  const money = (cents: number) => formatMoney(dollars(cents), currency);
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
      chart={
        <RepHealthChart
          currency={currency}
          data={reps.map((rep) => ({
            rep: rep.repName,
            healthy: dollars(rep.health.healthyCents),
            atRisk: dollars(rep.health.atRiskCents),
            stale: dollars(rep.health.staleCents),
          }))}
        />
      }
      table={
        <ChartTable
          caption="Open pipeline value of each rep: healthy, at risk (not stale) and stale"
          columns={["Rep", "Healthy", "At risk", "Stale"]}
          rows={reps.map((rep) => ({
            key: rep.repId,
            cells: [
              rep.repName,
              money(rep.health.healthyCents),
              money(rep.health.atRiskCents),
              money(rep.health.staleCents),
            ],
          }))}
        />
      }
    />
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
      chart={
        weeks.length === 0 ? (
          <p className="py-16 text-center text-sm text-slate-600">The trend appears after the first review.</p>
        ) : (
          <PipelineTrendChart
            currency={currency}
            data={weeks.map((week) => ({
              week: formatDate(week.weekStart),
              tick: formatDate(week.weekStart).replace(/,\s*\d{4}$/, ""),
              open: dollars(week.openCents),
              stale: dollars(week.staleCents),
              newPipeline: dollars(week.newPipelineCents),
              won: dollars(week.wonCents),
            }))}
          />
        )
      }
      table={
        <ChartTable
          caption="Weekly pipeline snapshots: open, stale, new pipeline and won value"
          columns={["Week of", "Open", "Stale", "New pipeline", "Won"]}
          rows={[...weeks].reverse().map((week) => ({
            key: week.weekStart.toISOString(),
            cells: [
              formatDate(week.weekStart),
              money(week.openCents),
              money(week.staleCents),
              money(week.newPipelineCents),
              money(week.wonCents),
            ],
          }))}
        />
      }
    />
  );
}

function Ages({ overview, currency, money }: Props) {
  const { ages } = overview;
  const line = formatMultipleLabel(ages.lineMultiple);
  const cycleNote = ages.sharedCycleDays
    ? `against the ${ages.sharedCycleDays}-day average cycle`
    : "against each team's average cycle";
  const summary =
    ages.total.count === 0
      ? "No open deals."
      : `${formatCount(ages.pastLine.count)} of ${formatCount(ages.total.count)} open deals (${money(ages.pastLine.valueCents)}) are older than ${line} the cycle, ${cycleNote}.`;
  return (
    <ChartFrame
      id="deal-ages"
      title="Deal age distribution"
      summary={summary}
      chart={
        <AgeDistributionChart
          currency={currency}
          lineLabel={`${line} cycle`}
          data={ages.buckets.map((bucket) => ({
            bucket: bucket.daysLabel ?? bucket.label,
            deals: bucket.count,
            value: dollars(bucket.valueCents),
            pastLine: bucket.pastLine,
          }))}
        />
      }
      table={
        <ChartTable
          caption={`Open deals by age, as a multiple of the average cycle; the line is at ${line}`}
          columns={["Age", "Deals", "Value", `Past ${line}?`]}
          rows={ages.buckets.map((bucket) => ({
            key: bucket.label,
            cells: [
              bucket.daysLabel ? `${bucket.daysLabel} (${bucket.label})` : bucket.label,
              formatCount(bucket.count),
              money(bucket.valueCents),
              bucket.pastLine ? "Yes" : "No",
            ],
          }))}
        />
      }
    />
  );
}
