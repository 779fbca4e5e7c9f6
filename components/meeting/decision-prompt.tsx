"use client";
// The one-line prompt a decision key opens on the chosen deal: a reason
// (prefilled where a default makes sense, so Enter alone confirms), and for a
// waiver the date it runs until. Enter confirms, Esc cancels (handled by the
// deck). The decision is recorded against the meeting's review.
import { useId, useState, useTransition } from "react";
import {
  keepDealWithWaiverAction,
  moveDealBackAction,
  removeDealFromPipelineAction,
  returnDealToProspectingAction,
} from "@/lib/deals/actions";
import type { DealRowView } from "@/lib/meeting/screens";
import { DECISION_LABELS, type DecisionKind, type MeetingContext } from "./types";

const DEFAULT_REASONS: Record<DecisionKind, string> = {
  keep: "",
  // Empty: the history records "Moved back from Proposal to Demo".
  back: "",
  prospect: "stale — returned to prospecting in review",
  remove: "stale — removed in review",
};

// The chosen deal is highlighted just above, its name whole: the question
// names it as "this deal" so it fits one line instead of cutting a long name.
function question(kind: DecisionKind, deal: DealRowView): string {
  switch (kind) {
    case "keep":
      return "Keep this deal in the pipeline with a waiver: its flags are held back until the date.";
    case "back":
      return `Move this deal back from ${deal.stage} to ${deal.previousStage}. Its age keeps counting.`;
    case "prospect":
      return `Return this deal to prospecting: it leaves the pipeline (${deal.amount}).`;
    case "remove":
      return `Remove this deal from the pipeline: closed lost (${deal.amount}).`;
  }
}

export function DecisionPrompt({
  kind,
  deal,
  context,
  onDone,
}: {
  kind: DecisionKind;
  deal: DealRowView;
  context: MeetingContext;
  /** Closes the prompt; the message is announced; `decided` when a decision was recorded. */
  onDone: (message: string, decided: boolean) => void;
}) {
  const id = useId();
  const [reason, setReason] = useState(DEFAULT_REASONS[kind]);
  const [until, setUntil] = useState(context.waiver.defaultUntil);
  const [error, setError] = useState<{ message: string; fields: Record<string, string[]> } | null>(null);
  const [pending, startTransition] = useTransition();
  const reasonRequired = kind !== "back";

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (pending) return;
    const base = { dealId: deal.dealId, version: deal.version, reviewId: context.reviewId ?? undefined };
    startTransition(async () => {
      const result =
        kind === "keep"
          ? await keepDealWithWaiverAction({ ...base, reason, until })
          : kind === "back"
            ? await moveDealBackAction({ ...base, reason: reason.trim() || undefined })
            : kind === "prospect"
              ? await returnDealToProspectingAction({ ...base, reason })
              : await removeDealFromPipelineAction({ ...base, reason });
      if (result.ok) {
        onDone(`${deal.name}: ${result.message ?? "done."}`, true);
      } else {
        setError({ message: result.message, fields: result.fieldErrors ?? {} });
      }
    });
  }

  const reasonError = error?.fields.reason?.join(" ");
  const untilError = error?.fields.until?.join(" ");
  const formError = error && !reasonError && !untilError ? error.message : null;
  return (
    <form
      onSubmit={submit}
      className="flex h-full flex-col justify-center gap-1.5"
      aria-label={`${DECISION_LABELS[kind].label}: ${deal.name}`}
      data-testid="decision-prompt"
    >
      {/* An error takes the question's line, so the prompt never grows past its panel. */}
      {reasonError || untilError || formError ? (
        <p role="alert" className="truncate text-lg font-semibold text-red-800">
          {reasonError ? <span id={`${id}-reason-error`}>{reasonError} </span> : null}
          {untilError ? <span id={`${id}-until-error`}>{untilError} </span> : null}
          {formError}
        </p>
      ) : (
        <p className="text-lg leading-6 font-semibold">{question(kind, deal)}</p>
      )}
      <div className="flex items-center gap-3">
        <label htmlFor={`${id}-reason`} className="shrink-0 text-base font-semibold">
          Reason{reasonRequired ? "" : " (optional)"}
        </label>
        <input
          id={`${id}-reason`}
          name="reason"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          // The prompt opens because a key was pressed for it: typing goes straight in.
          // biome-ignore lint/a11y/noAutofocus: the decision key asks for this input
          autoFocus
          onFocus={(event) => event.currentTarget.select()}
          // No native `required`: the action's own message ("Give a reason…") is shown instead of a browser bubble.
          aria-required={reasonRequired}
          maxLength={500}
          placeholder={kind === "back" ? `Moved back from ${deal.stage} to ${deal.previousStage}` : "Why?"}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={reasonError ? `${id}-reason-error` : undefined}
          className="min-w-0 flex-1 rounded-md border-2 border-slate-900 px-2 py-1 text-lg aria-[invalid=true]:border-red-700"
        />
        {kind === "keep" ? (
          <>
            <label htmlFor={`${id}-until`} className="shrink-0 text-base font-semibold">
              Until (≤ {context.waiver.maxDays} days)
            </label>
            <input
              id={`${id}-until`}
              name="until"
              type="date"
              value={until}
              min={context.waiver.min}
              max={context.waiver.max}
              onChange={(event) => setUntil(event.target.value)}
              required
              aria-invalid={untilError ? true : undefined}
              aria-describedby={untilError ? `${id}-until-error` : undefined}
              className="rounded-md border-2 border-slate-900 px-2 py-1 text-lg aria-[invalid=true]:border-red-700"
            />
          </>
        ) : null}
        <button
          type="submit"
          disabled={pending}
          className="shrink-0 rounded-md bg-blue-800 px-3 py-1.5 text-base font-semibold text-white disabled:bg-blue-300"
        >
          {pending ? "Saving…" : "Confirm (Enter)"}
        </button>
        <button
          type="button"
          onClick={() => onDone("Decision cancelled.", false)}
          className="shrink-0 rounded-md border-2 border-slate-900 px-3 py-1 text-base font-semibold"
        >
          Cancel (Esc)
        </button>
      </div>
    </form>
  );
}
