"use client";
// Confirms a bulk action before it is applied: which deals, from which stage
// to which (or out of the pipeline), the value leaving the pipeline, and a
// reason kept in each deal's history. A native modal <dialog>: focus moves
// into it, Esc cancels, and the page behind is inert until it closes.
import { startTransition, useActionState, useEffect, useId, useRef } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import type { ActionResult } from "@/lib/action-result";
import { bulkDealAction } from "@/lib/deals/actions";
import type { DealRowView, StageOption } from "@/lib/deals/deal-row-view";
import { formatCount, formatMoney } from "@/lib/format";
import { centsToMoney } from "./money";

export type BulkAction = "move_back" | "return_to_prospecting" | "remove";

const TEXT: Record<BulkAction, { title: (n: string) => string; effect: string; confirm: string; after: string }> = {
  move_back: {
    title: (n) => `Move ${n} back a stage`,
    effect:
      "Each deal stays open, one stage earlier. Its time in stage restarts; its age keeps counting from when it opened.",
    confirm: "Move back",
    after: "",
  },
  return_to_prospecting: {
    title: (n) => `Return ${n} to prospecting`,
    effect:
      "The deals leave the pipeline: not counted and not reviewed. If one is reopened later it counts as a new opportunity. Their history is kept.",
    confirm: "Return to prospecting",
    after: "Prospecting (out of the pipeline)",
  },
  remove: {
    title: (n) => `Remove ${n} from the pipeline`,
    effect: "The deals are closed as lost with your reason and count as losses. Their history is kept.",
    confirm: "Remove from pipeline",
    after: "Closed lost (out of the pipeline)",
  },
};

/** What the dialog reads of each selected deal (the rep page's and the flagged-deals page's rows both have it). */
type BulkDeal = Pick<
  DealRowView,
  "id" | "name" | "version" | "stageId" | "stageName" | "stageOrder" | "amountCents" | "currency"
>;

export function BulkActionDialog({
  action,
  deals,
  stages,
  currency,
  onClose,
  onDone,
}: {
  action: BulkAction;
  deals: BulkDeal[];
  stages: StageOption[];
  currency: string;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const reasonId = useId();
  const text = TEXT[action];
  const count = `${formatCount(deals.length)} ${deals.length === 1 ? "deal" : "deals"}`;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const [state, formAction, pending] = useActionState(
    async (_previous: ActionResult<unknown> | null, formData: FormData) => {
      const result = await bulkDealAction(formData);
      if (result.ok) onDone(doneMessage());
      return result;
    },
    null,
  );

  const previousStage = (deal: BulkDeal) =>
    stages.filter((stage) => stage.order < deal.stageOrder).sort((a, b) => b.order - a.order)[0] ?? null;
  const blocked = action === "move_back" ? deals.filter((deal) => previousStage(deal) === null) : [];
  const totalCents = deals.reduce((sum, deal) => sum + deal.amountCents, 0);
  const probability = new Map(stages.map((stage) => [stage.id, stage.probability]));
  // Weighted value before and after a move back (cents × percent, exact integers).
  const weightedBefore = deals.reduce((sum, deal) => sum + deal.amountCents * (probability.get(deal.stageId) ?? 0), 0);
  const weightedAfter = deals.reduce(
    (sum, deal) => sum + deal.amountCents * (previousStage(deal)?.probability ?? probability.get(deal.stageId) ?? 0),
    0,
  );
  const doneMessage = () => {
    const leaving = `${formatMoney(centsToMoney(totalCents), currency)} left the open pipeline.`;
    if (action === "move_back") return `${count} moved back a stage.`;
    if (action === "return_to_prospecting") return `${count} returned to prospecting: ${leaving}`;
    return `${count} removed from the pipeline and closed as lost: ${leaving}`;
  };
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const reasonErrors = fieldErrors?.reason;
  const otherErrors = fieldErrors
    ? Object.entries(fieldErrors)
        .filter(([key]) => key !== "reason")
        .flatMap(([, messages]) => messages)
    : [];

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: Esc already closes a modal dialog; the click only handles the backdrop
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        if (event.target === dialogRef.current && !pending) dialogRef.current?.close();
      }}
      className="m-auto w-[min(56rem,calc(100vw-2rem))] rounded-lg border border-slate-300 bg-white p-0 shadow-2xl backdrop:bg-slate-900/50"
      data-testid="bulk-dialog"
    >
      <form
        noValidate
        className="flex max-h-[85vh] flex-col"
        onSubmit={(event) => {
          event.preventDefault();
          const formData = new FormData(event.currentTarget);
          startTransition(() => formAction(formData));
        }}
      >
        <div className="border-b border-slate-200 px-5 py-3">
          <h2 id={titleId} className="text-lg font-semibold text-slate-900">
            {text.title(count)}
          </h2>
          <p className="mt-1 text-sm text-slate-700">{text.effect}</p>
        </div>
        <div className="overflow-y-auto px-5 py-3">
          <table className="w-full text-sm">
            <caption className="mb-1 text-left font-medium text-slate-800">What will change</caption>
            <thead className="text-left text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Deal
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Now
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  After
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {deals.map((deal) => {
                const target = action === "move_back" ? previousStage(deal) : null;
                return (
                  <tr key={deal.id} className="border-t border-slate-100">
                    <th scope="row" className="py-1 pr-2 text-left font-normal">
                      {deal.name}
                    </th>
                    <td className="py-1 pr-2">{deal.stageName}</td>
                    <td className="py-1 pr-2">
                      {action !== "move_back" ? (
                        text.after
                      ) : target ? (
                        target.name
                      ) : (
                        <span className="font-medium text-red-800">Cannot move back: already in the first stage</span>
                      )}
                    </td>
                    <td className="py-1 text-right tabular-nums">
                      {formatMoney(centsToMoney(deal.amountCents), deal.currency)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="mt-3 text-sm font-medium text-slate-900" data-testid="bulk-impact">
            {action === "move_back"
              ? `Nothing leaves the pipeline; its weighted value drops from ${formatMoney(
                  centsToMoney(Math.round(weightedBefore / 100)),
                  currency,
                )} to ${formatMoney(centsToMoney(Math.round(weightedAfter / 100)), currency)} for these deals.`
              : `${formatMoney(centsToMoney(totalCents), currency)} leaves the open pipeline.`}
          </p>
          {blocked.length > 0 ? (
            <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
              {blocked.length === 1 ? "One selected deal is" : `${formatCount(blocked.length)} selected deals are`}{" "}
              already in the first stage and cannot move back. Unselect {blocked.length === 1 ? "it" : "them"} or return{" "}
              {blocked.length === 1 ? "it" : "them"} to prospecting instead — bulk actions apply to all selected deals
              or none.
            </p>
          ) : null}

          <input type="hidden" name="action" value={action} />
          {deals.map((deal) => (
            <input key={deal.id} type="hidden" name="deal" value={`${deal.id}:${deal.version}`} />
          ))}
          <div className="mt-3">
            <Field
              id={reasonId}
              label="Reason (kept in each deal's history)"
              errors={reasonErrors}
              hint={action === "remove" ? "For example: stale — removed in review." : undefined}
            >
              <textarea
                id={reasonId}
                name="reason"
                required
                minLength={3}
                maxLength={500}
                rows={2}
                autoFocus
                defaultValue={action === "remove" ? "stale — removed in review" : ""}
                aria-invalid={reasonErrors ? true : undefined}
                aria-describedby={reasonErrors ? `${reasonId}-error` : undefined}
                className={`${inputClass} w-full`}
              />
            </Field>
          </div>
          {state && !state.ok ? (
            <div role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
              <p>{state.message}</p>
              {otherErrors.length > 0 ? <p>{otherErrors.join(" ")}</p> : null}
            </div>
          ) : null}
        </div>
        <div className="flex justify-end gap-2 border-t border-slate-200 px-5 py-3">
          <Button onClick={() => dialogRef.current?.close()} disabled={pending}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant={action === "remove" ? "danger" : "primary"}
            disabled={pending || blocked.length > 0}
          >
            {pending ? "Applying…" : `${text.confirm}: ${count}`}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
