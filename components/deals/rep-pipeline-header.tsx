// The rep's headline figures above their pipeline: what is open, what it is
// worth weighted by stage, how much of it is stale, the oldest deal, quota
// coverage raw and without stale deals, the cycle deals are measured against,
// and how long since the rep last opened a deal.
import Link from "next/link";
import { Stat } from "@/components/ui/stat";
import type { RepPipeline } from "@/lib/deals/rep-pipeline";
import { formatCount, formatDate, formatDays, formatMoney, formatMultiple } from "@/lib/format";
import { FlagBadges } from "./flag-badge";
import { centsToMoney, formatShare } from "./money";

export function RepPipelineHeader({ pipeline }: { pipeline: RepPipeline }) {
  const { summary, currency, cycle, rep } = pipeline;
  const money = (cents: number) => formatMoney(centsToMoney(cents), currency);
  const quota = summary.quota;
  return (
    <section aria-labelledby="rep-figures" className="mb-5">
      <h2 id="rep-figures" className="sr-only">
        {rep.name}'s figures
      </h2>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Stat
          label="Open pipeline"
          value={<span data-testid="open-value">{money(summary.openValueCents)}</span>}
          hint={`${formatCount(summary.openDeals)} open ${summary.openDeals === 1 ? "deal" : "deals"}`}
          testId="stat-open"
        />
        <Stat label="Weighted value" value={money(summary.weightedValueCents)} hint="Amount × stage probability" />
        <Stat
          label="Stale value"
          value={pipeline.latestReview ? money(summary.staleValueCents) : "—"}
          hint={
            !pipeline.latestReview
              ? "Not reviewed yet"
              : summary.staleShare === null
                ? "No open pipeline"
                : `${formatShare(summary.staleShare)} of the pipeline · ${formatCount(summary.staleDeals)} ${
                    summary.staleDeals === 1 ? "deal" : "deals"
                  }`
          }
          testId="stat-stale"
        />
        <Stat
          label="Oldest deal"
          value={summary.oldestDeal ? formatDays(summary.oldestDeal.ageDays) : "—"}
          hint={
            summary.oldestDeal ? (
              <Link href={`/deals/${summary.oldestDeal.id}`} className="text-blue-800 underline">
                {summary.oldestDeal.name}
              </Link>
            ) : (
              "No open deals"
            )
          }
        />
        <Stat
          label="Quota coverage"
          value={!quota ? "—" : quota.raw === null ? "Quota met" : formatMultiple(quota.raw)}
          hint={
            !quota ? (
              "No quota set for this period"
            ) : (
              <>
                {quota.raw === null
                  ? `Won ${money(quota.wonCents)} of ${money(quota.quotaCents)}. `
                  : `Of the ${money(quota.remainingCents)} left to win by ${formatDate(quota.periodEnd)}; ${formatMultiple(quota.adjusted ?? 0)} without stale deals. `}
                {quota.ofQuota === null
                  ? null
                  : `Pipeline is ${formatMultiple(quota.ofQuota)} the full ${money(quota.quotaCents)} quota.`}
              </>
            )
          }
          testId="stat-coverage"
        />
        <Stat
          label="Since last new deal"
          value={summary.daysSinceLastNewDeal === null ? "Never" : formatDays(summary.daysSinceLastNewDeal)}
          hint={
            pipeline.repFlags.length > 0 ? (
              <FlagBadges flags={pipeline.repFlags} idPrefix="rep-flag" />
            ) : (
              "Each rep should add to the pipeline every day"
            )
          }
        />
      </dl>
      <p className="mt-3 text-sm text-slate-700">
        Deal ages are measured against {cycle.description}
        {cycle.source === "review" ? ", as used by the latest review" : " (computed now: no review has run yet)"}.
        {pipeline.latestReview
          ? ` Flags are from the review of ${formatDate(pipeline.latestReview.at)}, updated after every change to a deal.`
          : " Not reviewed yet, so no deal is flagged yet."}
      </p>
    </section>
  );
}
