// The deal's facts (owner, account, stage, amount, clocks, close date and its
// slips), its current flags with their explanations, the waivers in effect,
// and what those waivers hold back ("would be flagged — waived until …").
import Link from "next/link";
import { Badge, type Tone } from "@/components/ui/badge";
import type { DealTimeline } from "@/lib/deals/deal-timeline";
import { formatCount, formatDate, formatDays, formatMoney, formatMultiple, formatOpenedDate } from "@/lib/format";
import { FlagBadge, WaiverNote } from "./flag-badge";
import { centsToMoney } from "./money";
import { severityText } from "./wording";

const STATUS: Record<DealTimeline["deal"]["status"], { label: string; tone: Tone }> = {
  open: { label: "Open", tone: "healthy" },
  prospect: { label: "Prospect — out of the pipeline", tone: "neutral" },
  won: { label: "Won", tone: "healthy" },
  lost: { label: "Lost — removed from the pipeline", tone: "stale" },
};

function ago(days: number | null, at: Date | null): string {
  if (days === null || at === null) return "never";
  return `${days === 0 ? "today" : `${formatDays(days)} ago`} (${formatDate(at)})`;
}

export function DealHeader({ timeline }: { timeline: DealTimeline }) {
  const { deal, cycle } = timeline;
  const status = STATUS[deal.status];
  const isOpen = deal.status === "open";
  const facts: [string, React.ReactNode][] = [
    [
      "Owner",
      <Link key="owner" href={`/reps/${encodeURIComponent(deal.ownerId)}`} className="text-blue-800 underline">
        {deal.ownerName}
      </Link>,
    ],
    ["Team", deal.teamName ?? "No team"],
    ["Account", deal.accountName ?? "—"],
    ["Stage", `${deal.stageName}${deal.early ? " (early stage)" : ""}`],
    ["Amount", formatMoney(centsToMoney(deal.amountCents), deal.currency)],
    [
      "Age",
      <span key="age">
        {deal.ageDays === null || deal.ageMultiple === null ? (
          "Not known"
        ) : (
          <>
            {formatDays(deal.ageDays)} — {formatMultiple(deal.ageMultiple)} the {formatCount(cycle.days)}-day cycle
          </>
        )}
        <span className="block text-xs text-slate-600">opened {formatOpenedDate(deal.openedAt)}</span>
      </span>,
    ],
    ["Days in stage", isOpen ? formatDays(deal.daysInStage) : "—"],
    ["Last activity", ago(deal.daysSinceActivity, deal.lastActivityAt)],
    ["Last buyer activity", ago(deal.daysSinceBuyerActivity, deal.lastBuyerActivityAt)],
    ["Last activity from our side", ago(deal.daysSinceSellerActivity, deal.lastSellerActivityAt)],
    [
      "Expected close",
      <span key="close">
        {formatDate(deal.expectedCloseDate)}
        {deal.closeDatePushCount > 0 ? (
          <span className="block text-xs text-slate-600">
            pushed later {deal.closeDatePushCount} {deal.closeDatePushCount === 1 ? "time" : "times"}
          </span>
        ) : null}
      </span>,
    ],
    ["Next step", deal.nextStep ?? "none recorded"],
  ];
  if (deal.closedAt) facts.push(["Closed", formatDate(deal.closedAt)]);
  if (deal.lostReason) facts.push(["Reason lost", deal.lostReason]);
  if (deal.source !== "manual")
    facts.push(["Source", `${deal.source}${deal.externalId ? ` · ${deal.externalId}` : ""}`]);

  return (
    <header className="mb-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{deal.name}</h1>
        <span data-testid="deal-status">
          <Badge tone={status.tone}>{status.label}</Badge>
        </span>
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm md:grid-cols-3 xl:grid-cols-4">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-slate-600">{label}</dt>
            <dd className="font-medium text-slate-900" data-testid={`fact-${label.toLowerCase().replace(/\W+/g, "-")}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>

      <section aria-labelledby="flags-heading" className="mt-4">
        <h2 id="flags-heading" className="text-lg font-semibold">
          Flags
        </h2>
        {timeline.flags.length === 0 ? (
          <p className="text-slate-700" data-testid="no-flags">
            {!isOpen
              ? "Not in the pipeline, so no longer reviewed."
              : timeline.reviewed
                ? "No rule flags this deal right now."
                : "Not reviewed yet: no review has checked this deal against the rules."}
          </p>
        ) : (
          <ul className="mt-2 space-y-2" data-testid="current-flags">
            {timeline.flags.map((flag) => (
              <li key={flag.rule} className="flex flex-wrap items-start gap-2">
                <FlagBadge flag={flag} id={`deal-flag-${flag.rule}`} />
                <span className="text-sm text-slate-800">
                  <span className="sr-only">{severityText(flag.severity)}: </span>
                  {flag.explanation}
                </span>
              </li>
            ))}
          </ul>
        )}
        {timeline.waivers.length > 0 ? (
          <div className="mt-3 space-y-1" data-testid="active-waivers">
            {timeline.waivers.map((waiver) => (
              <WaiverNote key={waiver.id} waiver={waiver} />
            ))}
          </div>
        ) : null}
        {timeline.suppressed.length > 0 ? (
          <ul className="mt-2 space-y-1 text-sm text-slate-700" data-testid="waived-flags">
            {timeline.suppressed.map((flag) => (
              <li key={flag.rule}>
                <Badge tone="waived">{flag.label}</Badge> would be flagged — waived until {formatDate(flag.until)}: “
                {flag.waiverReason}”. <span className="text-slate-600">{flag.explanation}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </header>
  );
}
