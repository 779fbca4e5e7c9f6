"use client";
// One rep on the shared screen: headline figures, the early-stage deals as
// one line, then the late-stage and flagged deals one per row. ↑ / ↓ choose a
// row (roving focus); the panel under the table shows the chosen deal's every
// flag in full and takes the decision prompt.
//
// Nothing is cut short: names, accounts and explanations wrap. So rows differ
// in height, and the screen measures them: the rows of the rep's later screens
// are laid out too, invisible below the list, and each row's height and the
// list's room go to the deck (onFit), which decides which rows this screen
// holds (lib/meeting/fit.ts); the rest continue on the next screen. Measured
// again whenever the list or a row changes size (a ResizeObserver).
import { useCallback, useEffect, useLayoutEffect, useRef } from "react";
import { accountToShow, type DealRowView, type RepScreen } from "@/lib/meeting/screens";
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
  laterRows,
  onFit,
  fitted,
}: {
  screen: RepScreen;
  /** The rep's rows on their later screens: laid out invisibly, to be measured. */
  laterRows: DealRowView[];
  /** Each row's height from this screen's first row on, and the room the list has for rows (CSS pixels). */
  onFit: (rowHeights: number[], room: number) => void;
  /** The deck has cut this rep's screens by the measured rows (for tests and people waiting on it). */
  fitted: boolean;
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

  const listRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const onFitRef = useRef(onFit);
  onFitRef.current = onFit;
  const measure = useCallback(() => {
    const list = listRef.current;
    const body = tableRef.current?.tBodies[0];
    if (!list || !body) return;
    const top = body.getBoundingClientRect().top;
    let previous = 0;
    const heights = Array.from(body.rows, (row) => {
      const bottom = row.getBoundingClientRect().bottom - top;
      const height = bottom - previous;
      previous = bottom;
      return height;
    });
    onFitRef.current(heights, list.getBoundingClientRect().bottom - top);
  }, []);
  // Before the screen is painted, and whenever the list or the rows change size.
  useLayoutEffect(() => measure());
  const hasTable = deals.length > 0;
  useEffect(() => {
    if (!hasTable) return;
    const observer = new ResizeObserver(() => measure());
    if (listRef.current) observer.observe(listRef.current);
    if (tableRef.current) observer.observe(tableRef.current);
    return () => observer.disconnect();
  }, [measure, hasTable]);

  // Keyboard focus follows the chosen row, and comes back to it when a prompt closes.
  useEffect(() => {
    if (prompt || focusedRow < 0) return;
    rowRefs.current[focusedRow]?.focus();
  }, [focusedRow, prompt]);

  const lastRow = screen.firstRow + deals.length - 1;
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" data-testid="meeting-rep-screen" data-fitted={fitted}>
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

      <div className="flex min-h-8 flex-wrap items-center gap-x-3">
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
          <p key={flag.label} className="min-w-0 text-base leading-6 text-slate-800">
            <SeverityTag tone={flag.severity} label={flag.label} /> {flag.explanation}
          </p>
        ))}
        {screen.page === 1 ? context.changes?.byRep[screen.repId] : null}
      </div>

      {/* The list's room is what is left between the lines above and the panel; later screens' rows sit below it, clipped and invisible. */}
      <div ref={listRef} className="relative min-h-0 flex-1 overflow-hidden" data-testid="meeting-deal-list">
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
          <table ref={tableRef} className="w-full table-fixed border-collapse text-[17px] leading-6">
            <caption className="sr-only">
              Late-stage and flagged deals of {screen.repName}, {screen.firstRow} to {lastRow} of {screen.totalRows}.
              Use the up and down arrow keys to choose a deal, then K to keep it with a waiver, B to move it back a
              stage, P to return it to prospecting or R to remove it.
            </caption>
            {/* No account column (the account sits under the name), amount and age share one: the explanation gets the room to wrap in two or three lines. */}
            <colgroup>
              <col className="w-9" />
              <col className="w-[16rem]" />
              <col className="w-[7.5rem]" />
              <col className="w-[8.5rem]" />
              <col />
            </colgroup>
            <thead>
              <tr className="border-b-2 border-slate-900 text-left text-base">
                <th scope="col" className="py-0.5 pr-1 font-semibold">
                  <span className="sr-only">Row</span>#
                </th>
                <th scope="col" className="px-1 font-semibold">
                  Deal · account
                </th>
                <th scope="col" className="px-1 font-semibold">
                  Stage
                </th>
                <th scope="col" className="px-1 text-right font-semibold">
                  Amount · age
                </th>
                <th scope="col" className="pl-3 font-semibold">
                  Flag or decision
                </th>
              </tr>
            </thead>
            <tbody>
              {/* One list, so a row moving to a later screen (or back) keeps its element. */}
              {[...deals, ...laterRows].map((deal, row) =>
                row < deals.length ? (
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
                ) : (
                  <DealRow key={deal.dealId} deal={deal} number={screen.firstRow + row} later />
                ),
              )}
            </tbody>
          </table>
        )}
      </div>

      <section
        aria-label="Chosen deal"
        className="h-[6.75rem] shrink-0 overflow-hidden border-t-2 border-slate-900 pt-1"
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
  selected = false,
  tabbable = false,
  onSelect,
  rowRef,
  later = false,
}: {
  deal: DealRowView;
  number: number;
  selected?: boolean;
  tabbable?: boolean;
  onSelect?: () => void;
  rowRef?: (element: HTMLTableRowElement | null) => void;
  /** On a later screen: laid out to be measured, invisible and out of reach. */
  later?: boolean;
}) {
  const account = accountToShow(deal.name, deal.account);
  // A later screen's row is laid out to be measured only: invisible, inert, without the row's test hooks.
  return (
    <tr
      ref={later ? undefined : rowRef}
      inert={later || undefined}
      tabIndex={later ? undefined : tabbable ? 0 : -1}
      onClick={later ? undefined : onSelect}
      onFocus={later ? undefined : onSelect}
      aria-current={selected ? "true" : undefined}
      data-testid={later ? undefined : "meeting-deal-row"}
      data-later-screen={later || undefined}
      data-deal-id={deal.dealId}
      data-open={deal.open}
      data-early={deal.early}
      data-flagged={deal.mainFlag !== null}
      data-can-move-back={deal.open && deal.previousStage !== null}
      data-previous-stage={deal.previousStage ?? undefined}
      data-decided={deal.outcome !== null}
      className={`border-b border-slate-300 ${
        later ? "invisible" : "cursor-pointer focus-visible:outline-[3px] focus-visible:-outline-offset-[3px]"
      } ${selected ? "bg-yellow-100" : ""} ${deal.open ? "" : "text-slate-700"}`}
    >
      <DealCells deal={deal} number={number} selected={selected} account={account} />
    </tr>
  );
}

/** A row's cells: everything wraps, nothing ends in "…" (the rows' heights are measured, so a tall row moves on). */
function DealCells({
  deal,
  number,
  selected,
  account,
}: {
  deal: DealRowView;
  number: number;
  selected: boolean;
  account: string | null;
}) {
  return (
    <>
      <td className={`py-0.5 pr-1 tabular-nums ${selected ? "font-bold" : "text-slate-700"}`}>
        {selected ? <span aria-hidden="true">▶</span> : number}
      </td>
      {/* The name without the account it starts with; the account under it, unless the name already says it. */}
      <td className="px-1 py-0.5 break-words">
        <span className="block leading-5 font-semibold" data-testid="meeting-deal-name">
          {deal.name}
        </span>
        {account ? (
          <span className="block text-[15px] leading-5 text-slate-700" data-testid="meeting-deal-account">
            {account}
          </span>
        ) : null}
      </td>
      <td className="px-1 leading-5 break-words">{deal.status ? `${deal.status} (${deal.stage})` : deal.stage}</td>
      <td className="px-1 text-right leading-5 tabular-nums">
        <span className="block">{deal.amount}</span>
        <span className="block text-[15px] whitespace-nowrap text-slate-700">
          {deal.age}
          {deal.ageMultiple ? ` · ${deal.ageMultiple.replace(" cycle", "")}` : null}
        </span>
      </td>
      <td className="py-0.5 pl-3 text-base break-words">
        <FlagCell deal={deal} />
      </td>
    </>
  );
}

function FlagCell({ deal }: { deal: DealRowView }) {
  if (deal.outcome) {
    return (
      <p data-testid="deal-outcome">
        <SeverityTag tone="done" word="Decided" label={`✓ ${deal.outcome}`} />
        {deal.mainFlag ? <span className="text-slate-700"> still {deal.mainFlag.label.toLowerCase()}</span> : null}
      </p>
    );
  }
  if (deal.mainFlag) {
    // The worst flag with its explanation, wrapped; the others' labels follow ("+2: …"), every one in full in the panel.
    return (
      <p>
        <SeverityTag tone={deal.mainFlag.severity} label={deal.mainFlag.label} />{" "}
        <span data-testid="flag-explanation">{deal.mainFlag.explanation}</span>
        {deal.otherFlags.length > 0 ? (
          <span className="text-[15px] font-semibold text-slate-800" data-testid="other-flags">
            {" "}
            +{deal.otherFlags.length}: {deal.otherFlags.map((flag) => flag.label).join(", ")}
          </span>
        ) : null}
      </p>
    );
  }
  if (deal.waiver) {
    return (
      <p>
        <SeverityTag tone="waived" word="" label="Waived" /> {deal.waiver}
      </p>
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
        {/* The row above shows the name, account, amount and age whole; this line adds what the row has no room for. */}
        <p className="min-w-0 flex-1 text-lg leading-6">
          <span className="sr-only">{deal.name}: </span>
          {deal.status ?? deal.stage} for {deal.daysInStage} · open {deal.age.replace(" d", " days")}
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
