"use client";
// The stage board (/reps/[id]?view=board): one column per stage, a card per
// deal tinted by its worst flag (the flag's name on the card too — colour is
// never the only signal) with its age against the cycle ("5.5× cycle").
// A deal moves back one stage by keyboard (its "Move back" button, or ← on
// the focused card) or by dragging it onto the stage before its own — through
// the same validated, audited server action as the deal page and the table
// (lib/deals/actions.ts's moveDealBackAction). Moving forward is the CRM's job.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type DragEvent, type KeyboardEvent, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { moveDealBackAction } from "@/lib/deals/actions";
import type { DealRowView, StageOption } from "@/lib/deals/deal-row-view";
import { formatCount, formatDays, formatMoney, formatMultiple } from "@/lib/format";
import type { Severity } from "@/lib/rules/types";
import { centsToMoney } from "./money";
import { severityText } from "./wording";

const TINT: Record<Severity | "none", string> = {
  stale: "border-red-300 bg-red-50",
  at_risk: "border-amber-300 bg-amber-50",
  nudge: "border-blue-200 bg-blue-50",
  warning: "border-orange-300 bg-orange-50",
  none: "border-slate-200 bg-white",
};

/** The stage a deal moves back to: the active stage just before its own, if any. */
export function stageBefore(stages: readonly StageOption[], deal: Pick<DealRowView, "stageOrder">) {
  return stages.filter((stage) => stage.order < deal.stageOrder).sort((a, b) => b.order - a.order)[0] ?? null;
}

/** A card's deal; on a team's board with its owner and whether this viewer may move it. */
type BoardDeal = DealRowView & { ownerName?: string; canAct?: boolean };

export function StageBoard({
  deals,
  stages,
  currency,
  canAct,
  showOwner = false,
}: {
  deals: BoardDeal[];
  stages: StageOption[];
  currency: string;
  canAct: boolean;
  /** On a team's board: each card names its rep. */
  showOwner?: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [dragged, setDragged] = useState<BoardDeal | null>(null);
  const mayMove = (deal: BoardDeal) => canAct && deal.canAct !== false;

  function moveBack(deal: BoardDeal) {
    const target = stageBefore(stages, deal);
    if (!mayMove(deal) || !target || pending) return;
    startTransition(async () => {
      const result = await moveDealBackAction({ dealId: deal.id, version: deal.version });
      setMessage(
        result.ok
          ? { ok: true, text: `“${deal.name}” moved back from ${deal.stageName} to ${target.name}.` }
          : { ok: false, text: result.message },
      );
      if (result.ok) router.refresh();
    });
  }

  function onCardKey(event: KeyboardEvent<HTMLElement>, deal: BoardDeal) {
    if (event.key === "ArrowLeft" && event.target === event.currentTarget) {
      event.preventDefault();
      moveBack(deal);
    }
  }

  function canDropOn(stage: StageOption): boolean {
    return dragged !== null && stageBefore(stages, dragged)?.id === stage.id;
  }

  return (
    <div>
      <p className="mb-2 text-sm text-slate-700">
        {canAct
          ? "Move a deal back a stage with its “Move back” button, ← on the focused card, or by dragging it onto the stage before it. Each move is kept in the deal's history."
          : "Read-only: you cannot act on these deals."}
      </p>
      <div aria-live="polite" className="min-h-0">
        {message ? (
          <p
            role={message.ok ? "status" : "alert"}
            className={`mb-3 rounded-md border px-3 py-2 ${
              message.ok ? "border-emerald-300 bg-emerald-50 text-emerald-950" : "border-red-300 bg-red-50 text-red-950"
            }`}
          >
            {message.text}
          </p>
        ) : null}
      </div>
      <div className="flex gap-3 overflow-x-auto pb-2" data-testid="stage-board">
        {stages.map((stage) => {
          const inStage = deals.filter((deal) => deal.stageId === stage.id);
          const value = inStage.reduce((sum, deal) => sum + deal.amountCents, 0);
          const dropTarget = canDropOn(stage);
          return (
            <section
              key={stage.id}
              aria-labelledby={`stage-${stage.id}-title`}
              data-testid="board-column"
              data-stage={stage.name}
              className={`flex w-64 min-w-56 shrink-0 flex-col rounded-lg border p-2 ${
                dropTarget ? "border-blue-500 bg-blue-50" : "border-slate-200 bg-slate-100"
              }`}
              onDragOver={(event: DragEvent) => {
                if (dropTarget) event.preventDefault();
              }}
              onDrop={(event: DragEvent) => {
                event.preventDefault();
                if (dragged && dropTarget) moveBack(dragged);
                setDragged(null);
              }}
            >
              <h3 id={`stage-${stage.id}-title`} className="px-1 font-semibold text-slate-900">
                {stage.name}
                <span className="block text-xs font-normal text-slate-700">
                  {formatCount(inStage.length)} {inStage.length === 1 ? "deal" : "deals"} ·{" "}
                  {formatMoney(centsToMoney(value), currency)}
                </span>
              </h3>
              <ul className="mt-2 flex flex-col gap-2">
                {inStage.map((deal) => {
                  const worst = deal.flags[0];
                  const target = mayMove(deal) ? stageBefore(stages, deal) : null;
                  return (
                    <li key={deal.id}>
                      <article
                        // biome-ignore lint/a11y/noNoninteractiveTabindex: the card takes ← to move its deal back
                        tabIndex={0}
                        aria-label={`${deal.name}, ${deal.stageName}${worst ? `, ${severityText(worst.severity).toLowerCase()}: ${worst.label}` : ""}`}
                        aria-keyshortcuts={target ? "ArrowLeft" : undefined}
                        draggable={target !== null}
                        onDragStart={() => setDragged(deal)}
                        onDragEnd={() => setDragged(null)}
                        onKeyDown={(event) => onCardKey(event, deal)}
                        data-testid="board-card"
                        data-deal-id={deal.id}
                        className={`rounded-md border p-2 text-sm shadow-sm focus-visible:outline-2 focus-visible:outline-blue-700 ${
                          TINT[worst?.severity ?? "none"]
                        }`}
                      >
                        <Link href={`/deals/${deal.id}`} className="font-medium text-blue-900 hover:underline">
                          {deal.name}
                        </Link>
                        {showOwner && deal.ownerName ? (
                          <p className="text-xs text-slate-700">{deal.ownerName}</p>
                        ) : null}
                        <p className="mt-1 flex flex-wrap items-baseline justify-between gap-x-2 text-slate-800">
                          <span className="tabular-nums">
                            {formatMoney(centsToMoney(deal.amountCents), deal.currency)}
                          </span>
                          <span
                            className={`tabular-nums ${deal.ageMultiple > 2 ? "font-semibold text-red-900" : "text-slate-700"}`}
                            title={`Open ${formatDays(deal.ageDays)}`}
                          >
                            {formatMultiple(deal.ageMultiple)} cycle
                          </span>
                        </p>
                        {worst ? (
                          <p className="mt-1 flex flex-wrap items-center gap-1">
                            <Badge tone={worst.severity} title={worst.explanation}>
                              {worst.label}
                            </Badge>
                            {deal.flags.length > 1 ? (
                              <span className="text-xs text-slate-700">+{formatCount(deal.flags.length - 1)} more</span>
                            ) : null}
                          </p>
                        ) : null}
                        {target ? (
                          <button
                            type="button"
                            disabled={pending}
                            onClick={() => moveBack(deal)}
                            className="mt-2 rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-blue-700 disabled:text-slate-400"
                          >
                            ← Move back to {target.name}
                            <span className="sr-only"> ({deal.name})</span>
                          </button>
                        ) : null}
                      </article>
                    </li>
                  );
                })}
                {inStage.length === 0 ? <li className="px-1 text-xs text-slate-600">No deals</li> : null}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}
