// Everything that happened to a deal, newest first: stage moves (forward and
// back look different and say so), activities (buyer and our side look
// different and are labelled), close-date and amount changes, waivers,
// decisions and flag changes — each with who did it and when.
import { Badge } from "@/components/ui/badge";
import type { TimelineEvent } from "@/lib/deals/deal-timeline";
import { formatDate, formatMoney } from "@/lib/format";
import { centsToMoney } from "./money";

const ACTIVITY_TYPE: Record<string, string> = {
  call: "Call",
  email: "Email",
  meeting: "Meeting",
  note: "Note",
  task: "Task",
  other: "Activity",
};

const DECISION: Record<string, string> = {
  move_back: "Decided to move it back a stage",
  return_to_prospecting: "Decided to return it to prospecting",
  remove: "Decided to remove it from the pipeline",
  keep_with_waiver: "Decided to keep it with a waiver",
  waiting_on_buyer: "Recorded: waiting on the buyer",
  reopen: "Reopened it",
};

function who(event: TimelineEvent): string {
  if (event.byName) return event.byName;
  if (event.kind === "flags") return event.reviewId ? "Scheduled review" : "Re-evaluated after a change";
  if (event.kind === "activity" && event.source !== "manual") return `Imported (${event.source})`;
  return "Import or system";
}

function describeEvent(
  event: TimelineEvent,
  currency: string,
): { title: React.ReactNode; body?: React.ReactNode; tone: string } {
  switch (event.kind) {
    case "stage": {
      const reason = event.reason ? `Reason: ${event.reason}` : undefined;
      const review = event.reviewId ? ` (in review #${event.reviewId})` : "";
      switch (event.direction) {
        case "forward":
          return {
            title: (
              <>
                <Badge tone="healthy">↑ Forward</Badge> Moved forward: {event.fromStage} → {event.toStage}
              </>
            ),
            body: reason,
            tone: "border-emerald-600 bg-emerald-50/60",
          };
        case "back":
          return {
            title: (
              <>
                <Badge tone="at_risk">↓ Back</Badge> Moved back: {event.fromStage} → {event.toStage}
                {review}
              </>
            ),
            body: reason,
            tone: "border-amber-600 bg-amber-50/60",
          };
        case "created":
          return { title: <>Opened in {event.toStage}</>, body: reason, tone: "border-slate-400 bg-white" };
        case "to_prospect":
          return {
            title: (
              <>
                <Badge tone="neutral">Out of pipeline</Badge> Returned to prospecting from {event.fromStage}
                {review}
              </>
            ),
            body: reason,
            tone: "border-slate-600 bg-slate-100",
          };
        case "lost":
          return {
            title: (
              <>
                <Badge tone="stale">Lost</Badge> Removed from the pipeline (closed lost) in {event.fromStage}
                {review}
              </>
            ),
            body: reason,
            tone: "border-red-700 bg-red-50/60",
          };
        case "won":
          return { title: <>Won in {event.fromStage}</>, body: reason, tone: "border-emerald-700 bg-emerald-50" };
        case "reopened":
          return {
            title: <>Reopened as a new opportunity in {event.toStage}</>,
            body: reason,
            tone: "border-blue-600 bg-blue-50/60",
          };
        default:
          return { title: <>Stage change</>, body: reason, tone: "border-slate-400 bg-white" };
      }
    }
    case "activity":
      return event.side === "buyer"
        ? {
            title: (
              <>
                <Badge tone="healthy">Buyer</Badge> {ACTIVITY_TYPE[event.type]} — effort from the buyer
              </>
            ),
            body: event.summary ?? undefined,
            tone: "border-sky-600 bg-sky-50",
          }
        : {
            title: (
              <>
                <Badge tone="neutral">Our side</Badge> {ACTIVITY_TYPE[event.type]} — effort from us (seller)
              </>
            ),
            body: event.summary ?? undefined,
            tone: "border-dashed border-slate-400 bg-white",
          };
    case "close-date":
      return {
        title: (
          <>
            {event.isPush ? <Badge tone="at_risk">Pushed</Badge> : null} Expected close date{" "}
            {event.from
              ? `moved from ${formatDate(event.from)} to ${formatDate(event.to)}`
              : `set to ${formatDate(event.to)}`}
          </>
        ),
        tone: event.isPush ? "border-amber-500 bg-white" : "border-slate-400 bg-white",
      };
    case "amount":
      return {
        title: (
          <>
            Amount changed{" "}
            {event.fromCents !== null ? `from ${formatMoney(centsToMoney(event.fromCents), currency)} ` : ""}to{" "}
            {formatMoney(centsToMoney(event.toCents), currency)}
          </>
        ),
        tone: "border-slate-400 bg-white",
      };
    case "waiver":
      return {
        title: (
          <>
            <Badge tone="waived">{event.waiverKind === "manager_keep" ? "Waiver" : "Waiting on buyer"}</Badge>{" "}
            {event.waiverKind === "manager_keep" ? "Kept by a manager" : "Waiting on the buyer"} until{" "}
            {formatDate(event.until)}
            {event.reviewId ? ` (in review #${event.reviewId})` : ""}
          </>
        ),
        body: (
          <>
            Reason: {event.reason}
            {event.endedAt ? ` · replaced by a newer one on ${formatDate(event.endedAt)}` : ""}
          </>
        ),
        tone: "border-violet-600 bg-violet-50/60",
      };
    case "decision":
      return {
        title: (
          <>
            {DECISION[event.action] ?? "Decision"}
            {event.reviewId ? ` (in review #${event.reviewId})` : ""}
          </>
        ),
        body: `Reason: ${event.reason}`,
        tone: "border-slate-500 bg-white",
      };
    case "flags":
      if (event.leftPipeline) {
        return {
          title: (
            <>
              No longer reviewed (left the pipeline) — flags closed:{" "}
              {event.cleared.map((flag) => (
                <Badge key={flag.rule} tone="neutral">
                  {flag.label}
                </Badge>
              ))}
            </>
          ),
          tone: "border-slate-400 bg-white",
        };
      }
      return {
        title: (
          <>
            {event.reviewId ? `Review #${event.reviewId}` : "Flags updated"}
            {event.raised.length > 0 ? (
              <>
                {" "}
                — flagged:{" "}
                {event.raised.map((flag) => (
                  <Badge key={flag.rule} tone={flag.severity}>
                    {flag.label}
                  </Badge>
                ))}
              </>
            ) : null}
            {event.cleared.length > 0 ? (
              <>
                {" "}
                — cleared:{" "}
                {event.cleared.map((flag) => (
                  <Badge key={flag.rule} tone="healthy">
                    {flag.label} ✓
                  </Badge>
                ))}
              </>
            ) : null}
          </>
        ),
        body:
          event.raised.length > 0 ? (
            <ul className="list-disc pl-5">
              {event.raised.map((flag) => (
                <li key={flag.rule}>
                  {flag.label}: {flag.explanation}
                </li>
              ))}
            </ul>
          ) : undefined,
        tone: event.raised.length > 0 ? "border-red-400 bg-white" : "border-emerald-500 bg-white",
      };
  }
}

export function DealTimelineList({ events, currency }: { events: TimelineEvent[]; currency: string }) {
  if (events.length === 0) {
    return <p className="text-slate-700">Nothing has been recorded on this deal yet.</p>;
  }
  return (
    <ol className="space-y-2" data-testid="timeline">
      {events.map((event) => {
        const { title, body, tone } = describeEvent(event, currency);
        return (
          <li
            key={event.key}
            className={`rounded-md border border-l-4 border-slate-200 px-3 py-2 text-sm ${tone}`}
            data-kind={event.kind}
            data-direction={event.kind === "stage" ? event.direction : undefined}
            data-side={event.kind === "activity" ? event.side : undefined}
          >
            <div className="flex flex-wrap items-baseline justify-between gap-x-3">
              <p className="flex flex-wrap items-center gap-1 font-medium text-slate-900">{title}</p>
              <p className="text-xs text-slate-600">
                <time dateTime={event.at.toISOString()}>{formatDate(event.at)}</time> · {who(event)}
              </p>
            </div>
            {body ? <div className="mt-1 text-slate-800">{body}</div> : null}
          </li>
        );
      })}
    </ol>
  );
}
