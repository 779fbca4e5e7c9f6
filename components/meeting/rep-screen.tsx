"use client";
// One rep on the shared screen: headline figures, the early-stage deals as
// one line, then the late-stage and flagged deals one per row. ↑ / ↓ choose a
// row (roving focus); the panel under the table shows the chosen deal in full
// and takes the decision prompt. Sized for 1280×720 with 15 rows.
import { useEffect, useRef } from "react";
import type { DealRowView, RepScreen } from "@/lib/meeting/screens";
import { DecisionPrompt } from "./decision-prompt";
import { DECISION_LABELS, type DecisionKind, type MeetingContext, type OpenPrompt } from "./types";
import { SeverityTag } from "./severity-tag";

const KINDS: DecisionKind[] = ["keep", "back", "prospect", "remove"];

/** Button labels in the chosen deal's panel (the full labels are in the legend and the prompt). */
const SHORT_LABELS: Record<DecisionKind, (deal: DealRowView) => string> = {
  keep: () => "Keep",
  back: (deal) => (deal.previousStage ? `Back to ${deal.previousStage}` : "Back"),
  prospect: () => "Prospecting",
  remove: () => "Remove",
};

export function RepScreenView({
  screen,
  context,
  focusedRow,
  onFocusRow,
  prompt,
  onOpenPrompt,
  onClosePrompt,
  notice,
}: {
  screen: RepScreen;
  context: MeetingContext;
  focusedRow: number;
  onFocusRow: (row: number) => void;
  prompt: OpenPrompt | null;
  onOpenPrompt: (kind: DecisionKind) => void;
  onClosePrompt: (message: string, decided: boolean) => void;
  notice: string | null;
}) {
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);
  // Null while the deck loads this rep's deals (lib/meeting/actions.ts).
  const deals = screen.deals ?? [];
  const selected = deals[focusedRow] ?? null;
  const promptDeal = prompt ? deals.find((deal) => deal.dealId === prompt.dealId) : undefined;

  // Keyboard focus follows the chosen row, and comes back to it when a prompt closes.
  useEffect(() => {
    if (prompt || focusedRow < 0) return;
    rowRefs.current[focusedRow]?.focus();
  }, [focusedRow, prompt]);

  const lastRow = screen.firstRow + deals.length - 1;
  return (
    <div className="flex flex-1 flex-col gap-2">
      <dl className="grid grid-cols-5 gap-2" data-testid="rep-headline">
        {screen.headline.map((figure) => (
          <div key={figure.label} className="rounded-md border-2 border-slate-300 px-2.5 py-0.5">
            <dt className="truncate text-[15px] font-semibold text-slate-800">{figure.label}</dt>
            <dd className="flex items-center gap-2">
              <span className="shrink-0 text-2xl leading-8 font-bold tabular-nums">{figure.value}</span>
              {figure.hint ? (
                <span className="line-clamp-2 text-sm leading-4 text-slate-800">{figure.hint}</span>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>

      <div className="flex min-h-8 items-center gap-3">
        {screen.earlyLine ? (
          <p className="text-xl leading-7 font-semibold" data-testid="early-stage-line">
            {screen.earlyLine}
          </p>
        ) : (
          <p className="text-lg text-slate-800">
            Continued: deals {screen.firstRow}–{lastRow} of {screen.totalRows}
          </p>
        )}
        {screen.flags.map((flag) => (
          <span key={flag.label} title={flag.explanation} className="flex min-w-0 items-center gap-2">
            <SeverityTag tone={flag.severity} label={flag.label} />
            <span className="truncate text-base text-slate-800">{flag.explanation}</span>
          </span>
        ))}
        {screen.page === 1 ? context.changes?.byRep[screen.repId] : null}
      </div>

      {screen.deals === null ? (
        <p
          role="status"
          className="rounded-md border-2 border-dashed border-slate-400 p-6 text-xl"
          data-testid="meeting-deals-loading"
        >
          Loading {screen.repName}&apos;s deals…
        </p>
      ) : deals.length === 0 ? (
        <p className="rounded-md border-2 border-dashed border-slate-400 p-6 text-xl">
          No late-stage or flagged deals: nothing to go through one by one for {screen.repName}.
        </p>
      ) : (
        <table className="w-full table-fixed border-collapse text-[17px] leading-[25px]">
          <caption className="sr-only">
            Late-stage and flagged deals of {screen.repName}, {screen.firstRow} to {lastRow} of {screen.totalRows}. Use
            the up and down arrow keys to choose a deal, then K to keep it with a waiver, B to move it back a stage, P
            to return it to prospecting or R to remove it.
          </caption>
          <colgroup>
            <col className="w-9" />
            <col className="w-[21rem]" />
            <col className="w-[9rem]" />
            <col className="w-[8rem]" />
            <col className="w-[7rem]" />
            <col className="w-[8.5rem]" />
            <col />
          </colgroup>
          <thead>
            <tr className="border-b-2 border-slate-900 text-left text-base">
              <th scope="col" className="py-0.5 pr-1 font-semibold">
                <span className="sr-only">Row</span>#
              </th>
              <th scope="col" className="px-1 font-semibold">
                Deal
              </th>
              <th scope="col" className="px-1 font-semibold">
                Account
              </th>
              <th scope="col" className="px-1 font-semibold">
                Stage
              </th>
              <th scope="col" className="px-1 text-right font-semibold">
                Amount
              </th>
              <th scope="col" className="px-1 text-right font-semibold">
                Age
              </th>
              <th scope="col" className="pl-3 font-semibold">
                Flag or decision
              </th>
            </tr>
          </thead>
          <tbody>
            {deals.map((deal, row) => (
              <DealRow
                key={deal.dealId}
                deal={deal}
                number={screen.firstRow + row}
                selected={row === focusedRow}
                tabbable={row === focusedRow || (focusedRow < 0 && row === 0)}
                onSelect={() => onFocusRow(row)}
                rowRef={(element) => {
                  rowRefs.current[row] = element;
                }}
              />
            ))}
          </tbody>
        </table>
      )}

      <section
        aria-label="Chosen deal"
        className="mt-auto h-[5.25rem] shrink-0 overflow-hidden border-t-2 border-slate-900 pt-1"
        data-testid="deal-panel"
      >
        {prompt && promptDeal ? (
          <DecisionPrompt
            key={`${prompt.dealId}-${prompt.kind}`}
            kind={prompt.kind}
            deal={promptDeal}
            context={context}
            onDone={(message, decided) => onClosePrompt(message, decided)}
          />
        ) : notice ? (
          <p role="status" className="text-lg font-semibold text-amber-900">
            {notice}
          </p>
        ) : selected ? (
          <SelectedDeal deal={selected} context={context} onOpenPrompt={onOpenPrompt} />
        ) : (
          <p className="text-lg text-slate-800">
            <kbd className="font-semibold">↓</kbd> chooses the first deal, then{" "}
            {KINDS.map((kind, index) => (
              <span key={kind}>
                <kbd className="rounded border border-slate-500 px-1 font-semibold">{DECISION_LABELS[kind].key}</kbd>{" "}
                {DECISION_LABELS[kind].label.toLowerCase()}
                {index < KINDS.length - 1 ? " · " : "."}
              </span>
            ))}{" "}
            Enter confirms, Esc cancels.
          </p>
        )}
      </section>
    </div>
  );
}

function DealRow({
  deal,
  number,
  selected,
  tabbable,
  onSelect,
  rowRef,
}: {
  deal: DealRowView;
  number: number;
  selected: boolean;
  tabbable: boolean;
  onSelect: () => void;
  rowRef: (element: HTMLTableRowElement | null) => void;
}) {
  return (
    <tr
      ref={rowRef}
      tabIndex={tabbable ? 0 : -1}
      onClick={onSelect}
      onFocus={onSelect}
      aria-current={selected ? "true" : undefined}
      data-testid="meeting-deal-row"
      data-deal-id={deal.dealId}
      data-open={deal.open}
      data-early={deal.early}
      data-flagged={deal.mainFlag !== null}
      data-can-move-back={deal.open && deal.previousStage !== null}
      data-previous-stage={deal.previousStage ?? undefined}
      data-decided={deal.outcome !== null}
      className={`cursor-pointer border-b border-slate-300 focus-visible:outline-[3px] focus-visible:-outline-offset-[3px] ${
        selected ? "bg-yellow-100" : ""
      } ${deal.open ? "" : "text-slate-700"}`}
    >
      <td className={`py-px pr-1 tabular-nums ${selected ? "font-bold" : "text-slate-700"}`}>
        {selected ? <span aria-hidden="true">▶</span> : number}
      </td>
      {/* A long name wraps rather than end in "…" (a name repeating the account is shortened first); never clipped. */}
      <td className="px-1 font-semibold" data-testid="meeting-deal-name">
        <span className="block leading-5 break-words">{deal.name}</span>
      </td>
      {/* One line, as before: wrapped accounts made 12 rows overflow 720 px (810 px); the panel names it whole. */}
      <td className="truncate px-1" title={deal.account ?? undefined}>
        {deal.account ?? "—"}
      </td>
      <td className="truncate px-1">{deal.status ? `${deal.status} (${deal.stage})` : deal.stage}</td>
      <td className="px-1 text-right tabular-nums">{deal.amount}</td>
      <td className="px-1 text-right whitespace-nowrap tabular-nums" title={deal.ageMultiple ?? undefined}>
        {deal.age}
        {deal.ageMultiple ? <span className="text-slate-700"> · {deal.ageMultiple.replace(" cycle", "")}</span> : null}
      </td>
      <td className="pl-3">
        <FlagCell deal={deal} />
      </td>
    </tr>
  );
}

function FlagCell({ deal }: { deal: DealRowView }) {
  if (deal.outcome) {
    return (
      <span className="flex min-w-0 items-center gap-2" data-testid="deal-outcome">
        <SeverityTag tone="done" word="Decided" label={`✓ ${deal.outcome}`} />
        {deal.mainFlag ? (
          <span className="truncate text-slate-700">still {deal.mainFlag.label.toLowerCase()}</span>
        ) : null}
      </span>
    );
  }
  if (deal.mainFlag) {
    return (
      <span className="flex min-w-0 items-center gap-2" title={deal.mainFlag.explanation}>
        <SeverityTag tone={deal.mainFlag.severity} label={deal.mainFlag.label} />
        {deal.otherFlags.length > 0 ? (
          <span className="shrink-0 text-sm font-semibold whitespace-nowrap" data-testid="other-flags">
            +{deal.otherFlags.length}
            <span className="sr-only"> more: {deal.otherFlags.map((flag) => flag.label).join(", ")}</span>
          </span>
        ) : null}
        {/* One line, so 12 rows fit 720 px (two lines overflowed to 810 px); the chosen deal's panel below has every flag in full. */}
        <span className="truncate" data-testid="flag-explanation">
          {deal.mainFlag.explanation}
        </span>
      </span>
    );
  }
  if (deal.waiver) {
    return (
      <span className="flex min-w-0 items-center gap-2" title={deal.waiver}>
        <SeverityTag tone="waived" word="" label="Waived" />
        <span className="truncate">{deal.waiver}</span>
      </span>
    );
  }
  return <span className="text-slate-700">No flags</span>;
}

function SelectedDeal({
  deal,
  context,
  onOpenPrompt,
}: {
  deal: DealRowView;
  context: MeetingContext;
  onOpenPrompt: (kind: DecisionKind) => void;
}) {
  const available: Record<DecisionKind, boolean> = {
    keep: deal.open && context.canKeep,
    back: deal.open && deal.previousStage !== null,
    prospect: deal.open,
    remove: deal.open,
  };
  return (
    <div className="flex h-full flex-col gap-0.5">
      <div className="flex items-center gap-3">
        <p className="line-clamp-2 min-w-0 flex-1 text-lg leading-6">
          <strong>{deal.name}</strong>
          {deal.account ? ` · ${deal.account}` : ""} · {deal.status ?? deal.stage} for {deal.daysInStage} ·{" "}
          {deal.amount} · open {deal.age.replace(" d", " days")}
          {deal.ageMultiple ? ` (${deal.ageMultiple})` : ""}
          {deal.flaggedFor ? <span className="text-slate-700"> · {deal.flaggedFor}</span> : null}
        </p>
        {KINDS.map((kind) => (
          <button
            key={kind}
            type="button"
            disabled={!available[kind]}
            onClick={() => onOpenPrompt(kind)}
            className="shrink-0 rounded-md border-2 border-slate-900 px-2 text-base leading-7 font-semibold disabled:border-slate-300 disabled:text-slate-500"
          >
            <kbd className="mr-1 font-bold">{DECISION_LABELS[kind].key}</kbd>
            {SHORT_LABELS[kind](deal)}
          </button>
        ))}
      </div>
      {/* Every flag in full; scrolls (keyboard too) when a deal has more than the panel shows. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so the keyboard can scroll every flag into view */}
      <div className="min-h-0 flex-1 overflow-y-auto text-base leading-6" tabIndex={0} data-testid="deal-panel-flags">
        {deal.outcome ? <strong>Decided: {deal.outcome}. </strong> : null}
        {deal.mainFlag
          ? [deal.mainFlag, ...deal.otherFlags].map((flag) => (
              <span key={flag.label} className="mr-2">
                <strong>{flag.label}:</strong> {flag.explanation}
              </span>
            ))
          : deal.waiver
            ? deal.waiver
            : deal.outcome
              ? null
              : "No flags on this deal."}
      </div>
    </div>
  );
}
