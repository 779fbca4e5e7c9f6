"use client";
// The rep's open deals (TanStack Table): sortable columns whose sort lives in
// the URL (the server sorts; ?sort=&dir=), row selection for bulk actions,
// an expandable detail row per deal with its flags' explanations and waivers,
// and the early-stage deals folded into one group row ("anything new on any
// of these?") whose open/closed state is kept in the URL too (?early=open|closed;
// by default closed, and open when a filter narrows the list or the group holds
// a stale deal — those come first in it).
//
// Each deal arrives as RepTableDeal (lib/deals/rep-table-deal.ts): only what
// the table shows, dates already written out, because React's payload carries
// every deal a second time after the HTML. Cells take their look from the
// `deal-table` CSS classes (app/globals.css), not a class list on each cell.
import {
  createColumnHelper,
  rowExpandingFeature,
  rowSelectionFeature,
  rowSortingFeature,
  type ExpandedState,
  type RowSelectionState,
  type SortingState,
  tableFeatures,
  type Updater,
  useTable,
} from "@tanstack/react-table";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Fragment, useCallback, useMemo, useState } from "react";
import type { StageOption } from "@/lib/deals/deal-row-view";
import type { PipelineSortKey } from "@/lib/deals/pipeline-view";
import type { RepTableDeal } from "@/lib/deals/rep-table-deal";
import { formatCount, formatDays, formatMoney, formatMultiple } from "@/lib/format";
import { BulkActionDialog, type BulkAction } from "./bulk-action-dialog";
import { BulkActionsToolbar } from "./bulk-actions-toolbar";
import { WaiverNote, WorstFlagCell } from "./flag-badge";
import { centsToMoney } from "./money";
import { severityText } from "./wording";

const features = tableFeatures({ rowSortingFeature, rowSelectionFeature, rowExpandingFeature });
const helper = createColumnHelper<typeof features, RepTableDeal>();

function Days({ days, on }: { days: number | null; on: string | null }) {
  if (days === null || on === null) return <span className="text-slate-500">Never</span>;
  return (
    <span className="whitespace-nowrap">
      {days === 0 ? "Today" : `${formatDays(days)} ago`}
      <small>{on}</small>
    </span>
  );
}

const columns = helper.columns([
  helper.display({ id: "select", header: "Select", enableSorting: false }),
  helper.display({ id: "expand", header: "Details", enableSorting: false }),
  helper.accessor("name", {
    id: "deal",
    header: "Deal",
    sortDescFirst: false,
    cell: (info) => <Link href={`/deals/${info.row.original.id}`}>{info.getValue()}</Link>,
  }),
  helper.accessor("accountName", {
    id: "account",
    header: "Account",
    sortDescFirst: false,
    cell: (info) => info.getValue() ?? <span className="text-slate-500">—</span>,
  }),
  helper.accessor("stageName", { id: "stage", header: "Stage", sortDescFirst: true }),
  helper.accessor("amountCents", {
    id: "amount",
    header: "Amount",
    sortDescFirst: true,
    cell: (info) => formatMoney(centsToMoney(info.getValue()), info.row.original.currency),
  }),
  helper.accessor("ageDays", {
    id: "age",
    header: "Age",
    sortDescFirst: true,
    cell: (info) => (
      <>
        {formatDays(info.getValue())}
        <small className={info.row.original.ageMultiple > 2 ? "font-semibold text-red-800" : undefined}>
          {`${formatMultiple(info.row.original.ageMultiple)} cycle`}
        </small>
      </>
    ),
  }),
  helper.accessor("daysInStage", {
    id: "inStage",
    header: "In stage",
    sortDescFirst: true,
    cell: (info) => formatDays(info.getValue()),
  }),
  helper.accessor("daysSinceActivity", {
    id: "lastActivity",
    header: "Last activity",
    sortDescFirst: true,
    cell: (info) => <Days days={info.getValue()} on={info.row.original.lastActivityOn} />,
  }),
  helper.accessor("daysSinceBuyerActivity", {
    id: "lastBuyerActivity",
    header: "Last buyer activity",
    sortDescFirst: true,
    cell: (info) => <Days days={info.getValue()} on={info.row.original.lastBuyerActivityOn} />,
  }),
  helper.accessor("expectedCloseOn", {
    id: "closeDate",
    header: "Expected close",
    sortDescFirst: false,
    cell: (info) => {
      const pushes = info.row.original.closeDatePushCount;
      return (
        <span className="whitespace-nowrap">
          {info.getValue()}
          {pushes > 0 ? (
            <small
              className={pushes >= 2 ? "font-semibold text-amber-900" : "text-slate-600"}
            >{`pushed ${pushes}×`}</small>
          ) : null}
        </span>
      );
    },
  }),
  helper.accessor("flaggedDays", {
    id: "flaggedFor",
    header: "Flagged for",
    sortDescFirst: true,
    cell: (info) =>
      info.row.original.flaggedSinceOn ? (
        <span className="whitespace-nowrap tabular-nums" title={info.row.original.flaggedFor ?? undefined}>
          {formatDays(info.getValue())}
          <small>{`since ${info.row.original.flaggedSinceOn}`}</small>
        </span>
      ) : (
        <span className="text-slate-500">—</span>
      ),
  }),
  helper.display({
    id: "flags",
    header: "Flags",
    cell: (info) => {
      const deal = info.row.original;
      if (deal.flags.length === 0 && deal.waivers.length === 0) return <span className="text-slate-500">None</span>;
      // The worst flag only (flags arrive worst first); the rest are one click away in the details row.
      const others = deal.flags.slice(1);
      return (
        <WorstFlagCell
          deal={deal}
          idPrefix="flag"
          more={
            <button
              type="button"
              className="more-flags"
              aria-expanded={info.row.getIsExpanded()}
              aria-controls={`deal-detail-${deal.id}`}
              onClick={() => info.row.toggleExpanded(true)}
              data-testid="more-flags"
            >
              {`+${formatCount(others.length)} more`}
              <span className="sr-only">{` ${others.length === 1 ? "flag" : "flags"}: show all of them`}</span>
            </button>
          }
        />
      );
    },
  }),
]);

const RIGHT_ALIGNED = new Set(["amount", "age", "inStage"]);

function isStale(deal: Pick<RepTableDeal, "flags">): boolean {
  return deal.flags.some((flag) => flag.severity === "stale");
}

export function RepPipelineTable({
  deals,
  stages,
  currency,
  sort,
  dir,
  canAct,
  repName,
  earlyOpenInitially,
}: {
  deals: RepTableDeal[];
  stages: StageOption[];
  currency: string;
  sort: PipelineSortKey;
  dir: "asc" | "desc";
  canAct: boolean;
  repName: string;
  earlyOpenInitially: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [expanded, setExpanded] = useState<ExpandedState>({});
  const [earlyOpen, setEarlyOpen] = useState(earlyOpenInitially);
  const [dialogAction, setDialogAction] = useState<BulkAction | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const sorting = useMemo<SortingState>(() => [{ id: sort, desc: dir === "desc" }], [sort, dir]);
  const onSortingChange = useCallback(
    (updater: Updater<SortingState>) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const params = new URLSearchParams(searchParams.toString());
      const first = next[0];
      if (!first || first.id === "flags") {
        params.delete("sort");
        params.delete("dir");
      } else {
        params.set("sort", first.id);
        params.set("dir", first.desc ? "desc" : "asc");
      }
      const query = params.toString();
      router.push(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [sorting, searchParams, router, pathname],
  );

  const table = useTable({
    features,
    columns,
    data: deals,
    getRowId: (deal) => String(deal.id),
    state: { sorting, rowSelection, expanded },
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    onSortingChange,
    onRowSelectionChange: setRowSelection,
    onExpandedChange: setExpanded,
    getRowCanExpand: () => true,
    enableRowSelection: canAct,
  });

  const rows = table.getRowModel().rows;
  const lateRows = rows.filter((row) => !row.original.early);
  // Stale early-stage deals first: the group never hides its worst deals below the fold.
  const earlyRows = rows
    .filter((row) => row.original.early)
    .sort((a, b) => Number(isStale(b.original)) - Number(isStale(a.original)));
  const visibleRows = earlyOpen ? [...earlyRows, ...lateRows] : lateRows;
  const earlyValue = earlyRows.reduce((sum, row) => sum + row.original.amountCents, 0);
  const earlyFlagged = earlyRows.filter((row) => row.original.flags.length > 0).length;
  const earlyStale = earlyRows.filter((row) => isStale(row.original)).length;
  const earlyStages = stages
    .filter((stage) => earlyRows.some((row) => row.original.stageId === stage.id))
    .map((s) => s.name);

  const selected = deals.filter((deal) => rowSelection[String(deal.id)]);
  const allVisibleSelected = visibleRows.length > 0 && visibleRows.every((row) => row.getIsSelected());
  const someVisibleSelected = visibleRows.some((row) => row.getIsSelected());

  function toggleEarly() {
    const next = !earlyOpen;
    setEarlyOpen(next);
    if (!next) {
      // Nothing hidden stays selected: a bulk action only touches deals you can see.
      setRowSelection((old) => {
        const copy = { ...old };
        for (const row of earlyRows) delete copy[row.id];
        return copy;
      });
    }
    const params = new URLSearchParams(window.location.search);
    params.set("early", next ? "open" : "closed");
    const query = params.toString();
    window.history.replaceState(null, "", query ? `${pathname}?${query}` : pathname);
  }

  function toggleAllVisible(checked: boolean) {
    setRowSelection((old) => {
      const copy = { ...old };
      for (const row of visibleRows) {
        if (checked) copy[row.id] = true;
        else delete copy[row.id];
      }
      return copy;
    });
  }

  const headerGroup = table.getHeaderGroups()[0];
  const columnCount = headerGroup?.headers.length ?? columns.length;

  const renderRow = (row: (typeof rows)[number]) => {
    const deal = row.original;
    const detailId = `deal-detail-${deal.id}`;
    return (
      <Fragment key={row.id}>
        <tr
          className={row.getIsSelected() ? "bg-blue-50" : deal.early ? "bg-slate-50/60" : undefined}
          data-testid="deal-row"
          data-deal-id={deal.id}
        >
          {row.getAllCells().map((cell) => {
            if (cell.column.id === "select") {
              return (
                <td key={cell.id}>
                  {canAct ? (
                    <input
                      type="checkbox"
                      className="size-4"
                      aria-label={`Select ${deal.name}`}
                      checked={row.getIsSelected()}
                      onChange={row.getToggleSelectedHandler()}
                    />
                  ) : null}
                </td>
              );
            }
            if (cell.column.id === "expand") {
              return (
                <td key={cell.id} className="row-toggle">
                  <button
                    type="button"
                    aria-expanded={row.getIsExpanded()}
                    aria-controls={detailId}
                    onClick={() => row.toggleExpanded()}
                  >
                    <span aria-hidden="true">{row.getIsExpanded() ? "▾" : "▸"}</span>
                    <span className="sr-only">{`${row.getIsExpanded() ? "Hide" : "Show"} details of ${deal.name}`}</span>
                  </button>
                </td>
              );
            }
            // The deal's name is the row header; its width, the flags' width and right-aligned numbers come from CSS.
            return cell.column.id === "deal" ? (
              <th key={cell.id} scope="row">
                <table.FlexRender cell={cell} />
              </th>
            ) : (
              <td
                key={cell.id}
                className={
                  cell.column.id === "flags" ? "flags" : RIGHT_ALIGNED.has(cell.column.id) ? "number" : undefined
                }
              >
                <table.FlexRender cell={cell} />
              </td>
            );
          })}
        </tr>
        {row.getIsExpanded() ? (
          <tr id={detailId} className="bg-slate-50">
            <td colSpan={columnCount} className="px-4 py-3">
              <DealDetail deal={deal} />
            </td>
          </tr>
        ) : null}
      </Fragment>
    );
  };

  return (
    <div>
      {status ? (
        <p role="status" className="mb-3 rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-emerald-950">
          {status}
        </p>
      ) : null}
      {canAct ? (
        <BulkActionsToolbar
          selected={selected}
          currency={currency}
          onAction={setDialogAction}
          onClear={() => setRowSelection({})}
        />
      ) : null}

      {/* Scrolls sideways only on narrow screens; on a laptop the flags' tooltips may overflow the table. */}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm lg:overflow-visible">
        <table className="deal-table">
          <caption className="sr-only">
            Open deals of {repName}. Early-stage deals are grouped in one row; column headers sort the table.
          </caption>
          <thead className="bg-slate-50 text-left text-slate-700">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const id = header.column.id;
                  if (id === "select") {
                    return (
                      <th key={header.id} scope="col" className="w-8 px-2 py-2">
                        {canAct ? (
                          <input
                            type="checkbox"
                            className="size-4"
                            aria-label="Select all deals shown"
                            checked={allVisibleSelected}
                            ref={(input) => {
                              if (input) input.indeterminate = someVisibleSelected && !allVisibleSelected;
                            }}
                            onChange={(event) => toggleAllVisible(event.target.checked)}
                          />
                        ) : (
                          <span className="sr-only">Select</span>
                        )}
                      </th>
                    );
                  }
                  if (id === "expand") {
                    return (
                      <th key={header.id} scope="col" className="w-8 px-1 py-2">
                        <span className="sr-only">Details</span>
                      </th>
                    );
                  }
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                      className={`px-2 py-2 font-medium ${RIGHT_ALIGNED.has(id) ? "text-right" : ""}`}
                    >
                      {canSort ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 rounded hover:underline focus-visible:outline-2 focus-visible:outline-blue-700"
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden="true" className="text-xs">
                            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {earlyRows.length > 0 ? (
              <tr className="border-t border-slate-200 bg-slate-100" data-testid="early-group-row">
                <td colSpan={columnCount} className="px-2 py-2">
                  <button
                    type="button"
                    aria-expanded={earlyOpen}
                    onClick={toggleEarly}
                    className="flex w-full flex-wrap items-baseline gap-x-3 rounded px-1 text-left focus-visible:outline-2 focus-visible:outline-blue-700"
                  >
                    <span aria-hidden="true">{earlyOpen ? "▾" : "▸"}</span>
                    <span className="font-semibold text-slate-900">
                      Early-stage deals ({earlyStages.join(", ")}): {formatCount(earlyRows.length)}{" "}
                      {earlyRows.length === 1 ? "deal" : "deals"} · {formatMoney(centsToMoney(earlyValue), currency)}
                    </span>
                    <span className="text-slate-700">
                      {earlyStale > 0 ? `${formatCount(earlyStale)} stale · ` : ""}
                      {earlyFlagged > 0 ? `${formatCount(earlyFlagged)} flagged · ` : ""}reviewed as one group —
                      anything new on any of these?
                    </span>
                    <span className="ml-auto text-sm text-blue-800 underline">
                      {earlyOpen ? "Hide them" : "Show them"}
                    </span>
                  </button>
                </td>
              </tr>
            ) : null}
            {earlyOpen ? earlyRows.map(renderRow) : null}
            {lateRows.length > 0 && earlyRows.length > 0 ? (
              <tr className="border-t border-slate-200 bg-slate-100">
                <th
                  colSpan={columnCount}
                  scope="colgroup"
                  className="px-3 py-1.5 text-left font-semibold text-slate-900"
                >
                  Later-stage deals: {formatCount(lateRows.length)} ·{" "}
                  {formatMoney(
                    centsToMoney(lateRows.reduce((sum, row) => sum + row.original.amountCents, 0)),
                    currency,
                  )}
                </th>
              </tr>
            ) : null}
            {lateRows.map(renderRow)}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columnCount} className="px-4 py-6 text-center text-slate-600">
                  No open deals match these filters.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      {dialogAction ? (
        <BulkActionDialog
          action={dialogAction}
          deals={selected}
          stages={stages}
          currency={currency}
          onClose={() => setDialogAction(null)}
          onDone={(message) => {
            setDialogAction(null);
            setRowSelection({});
            setExpanded({});
            setStatus(message);
            router.refresh();
          }}
        />
      ) : null}
    </div>
  );
}

function DealDetail({ deal }: { deal: RepTableDeal }) {
  return (
    <div className="grid gap-3 text-sm md:grid-cols-[2fr_1fr]">
      <div>
        <h3 className="font-semibold text-slate-900">Why it is flagged</h3>
        {deal.flags.length === 0 ? (
          <p className="text-slate-700">No current flags.</p>
        ) : (
          <ul className="mt-1 space-y-1">
            {deal.flags.map((flag) => (
              <li key={flag.rule}>
                <strong>
                  {flag.label} ({severityText(flag.severity).toLowerCase()}):
                </strong>{" "}
                {flag.explanation}
              </li>
            ))}
          </ul>
        )}
        {deal.waivers.map((waiver) => (
          <div key={waiver.id} className="mt-2">
            <WaiverNote waiver={waiver} />
          </div>
        ))}
      </div>
      <div className="space-y-1">
        <p>
          <span className="text-slate-600">Next step:</span> {deal.nextStep ?? "none recorded"}
        </p>
        <p>
          <Link href={`/deals/${deal.id}`} className="font-medium text-blue-800 underline">
            Open the timeline and act on “{deal.name}”
          </Link>
        </p>
      </div>
    </div>
  );
}
