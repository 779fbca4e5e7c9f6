"use client";
// The overview's rep table: pipeline, flags by severity, age and activity,
// new pipeline. Sorting is a link (?sort=…&dir=…), so it works without
// JavaScript and a sorted view can be shared; each rep links to their pipeline.
// A client component on purpose: the HTML is rendered on the server as before,
// and the page's React payload carries the rows once as data (only the fields
// shown: RepOverviewTable picks them) instead of the whole tree of cells a
// second time. Its look is the `rep-table` class (app/globals.css), not a
// class list on every cell.
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import {
  firstDirection,
  type RepOverviewRow,
  type RepPage,
  type RepSort,
  type RepSortKey,
  REPS_PER_PAGE,
  type Tally,
} from "@/lib/overview/rep-table";
import { formatCount, formatDays, formatMoney, formatPlural } from "@/lib/format";

interface Column {
  key: RepSortKey;
  label: string;
  /** Said to screen readers and in the caption when sorted by it. */
  description: string;
}

const COLUMNS: Column[] = [
  { key: "rep", label: "Rep", description: "rep name" },
  { key: "openDeals", label: "Open deals", description: "open deals" },
  { key: "openValue", label: "Open value", description: "open pipeline value" },
  { key: "stale", label: "Stale", description: "stale value" },
  { key: "atRisk", label: "At risk", description: "at-risk value" },
  { key: "nudge", label: "Nudges", description: "deals with a nudge" },
  { key: "oldest", label: "Oldest deal", description: "age of the oldest open deal" },
  { key: "lastActivity", label: "Last activity", description: "days since the last activity" },
  { key: "newPipeline", label: "New (30 days)", description: "new pipeline in the last 30 days" },
];

/** What a row shows: the rep, their team (only when the table shows teams), pipeline, flags, age and activity. */
export type RepTableRow = Omit<RepOverviewRow, "teamName" | "weightedValueCents" | "flagged" | "health"> & {
  teamName?: string;
};

/** A page of the table: its rows and where it sits among all the reps. */
export type RepTablePage = Omit<RepPage, "rows"> & { rows: RepTableRow[] };

export function RepTableView({
  page,
  sort,
  currency,
  scopeLabel,
}: {
  page: RepTablePage;
  sort: RepSort;
  currency: string;
  scopeLabel: string;
}) {
  const money = (cents: number) => formatMoney(cents / 100, currency);
  const sortedBy = COLUMNS.find((column) => column.key === sort.key);
  const { rows } = page;
  return (
    <>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="rep-table" data-testid="rep-table">
          <caption className="px-4 py-3 text-left text-sm text-slate-600">
            Reps in {scopeLabel.toLowerCase() === "all teams" ? "all teams" : scopeLabel}, sorted by{" "}
            {sortedBy?.description} ({sort.direction === "asc" ? "smallest first" : "largest first"}
            {sort.key === "rep" ? (sort.direction === "asc" ? ", A to Z" : ", Z to A") : ""}). Flag columns count deals
            with a current flag of that severity, with their value.
            {page.pageCount > 1
              ? ` Reps ${formatCount(page.first)}–${formatCount(page.last)} of ${formatCount(page.total)}.`
              : ""}
          </caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <SortableHeader key={column.key} column={column} sort={sort} />
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((rep) => (
              <tr key={rep.repId} data-testid="rep-row">
                <th scope="row">
                  <Link href={`/reps/${rep.repId}`}>{rep.repName}</Link>
                  {rep.teamName ? <small className="font-normal">{rep.teamName}</small> : null}
                </th>
                <Cell testId="open-deals">{formatCount(rep.openDeals)}</Cell>
                <Cell testId="open-value">{money(rep.openValueCents)}</Cell>
                <Cell>
                  <Flagged tally={rep.stale} tone="stale" label="stale" money={money} />
                </Cell>
                <Cell>
                  <Flagged tally={rep.atRisk} tone="at_risk" label="at risk" money={money} />
                </Cell>
                <Cell>
                  <Flagged tally={rep.nudge} tone="nudge" label="nudge" money={money} />
                </Cell>
                <Cell>{formatDays(rep.oldestDealDays)}</Cell>
                <Cell>
                  {rep.daysSinceLastActivity === null
                    ? "—"
                    : rep.daysSinceLastActivity === 0
                      ? "today"
                      : `${formatDays(rep.daysSinceLastActivity)} ago`}
                </Cell>
                <Cell>
                  {rep.newPipeline30.count === 0 ? (
                    <span className="text-red-800">none</span>
                  ) : (
                    <>
                      {money(rep.newPipeline30.valueCents)}
                      <small>{`${formatCount(rep.newPipeline30.count)} ${rep.newPipeline30.count === 1 ? "deal" : "deals"}`}</small>
                    </>
                  )}
                </Cell>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.pageCount > 1 ? <RepPager page={page} sort={sort} /> : null}
    </>
  );
}

/** Previous / next page links, keeping the sort (plain links: they work without JavaScript). */
function RepPager({ page, sort }: { page: RepTablePage; sort: RepSort }) {
  const href = (target: number) => `/?sort=${sort.key}&dir=${sort.direction}&page=${target}`;
  return (
    <nav aria-label="Pages of the rep table" className="mt-2 flex items-center justify-end gap-4 text-sm">
      {page.page > 1 ? (
        <Link href={href(page.page - 1)} className="text-blue-800 underline">
          Previous {formatCount(REPS_PER_PAGE)} reps
        </Link>
      ) : null}
      <span className="text-slate-600" data-testid="rep-page">
        Page {formatCount(page.page)} of {formatCount(page.pageCount)} · reps {formatCount(page.first)}–
        {formatCount(page.last)} of {formatCount(page.total)}
      </span>
      {page.page < page.pageCount ? (
        <Link href={href(page.page + 1)} className="text-blue-800 underline">
          Next {formatCount(Math.min(REPS_PER_PAGE, page.total - page.last))} reps
        </Link>
      ) : null}
    </nav>
  );
}

function SortableHeader({ column, sort }: { column: Column; sort: RepSort }) {
  const active = sort.key === column.key;
  const nextDirection = active ? (sort.direction === "asc" ? "desc" : "asc") : firstDirection(column.key);
  const ariaSort = active ? (sort.direction === "asc" ? "ascending" : "descending") : undefined;
  return (
    <th scope="col" aria-sort={ariaSort}>
      <Link href={`/?sort=${column.key}&dir=${nextDirection}`} scroll={false} title={`Sort by ${column.description}`}>
        {column.label}
        <span aria-hidden="true" className={active ? "text-slate-900" : "text-slate-300"}>
          {active ? (sort.direction === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </Link>
    </th>
  );
}

function Cell({ children, testId }: { children: ReactNode; testId?: string }) {
  // No attribute at all without a test id (an undefined prop still costs bytes in the React payload).
  return testId ? <td data-testid={testId}>{children}</td> : <td>{children}</td>;
}

function Flagged({
  tally,
  tone,
  label,
  money,
}: {
  tally: Tally;
  tone: "stale" | "at_risk" | "nudge";
  label: string;
  money: (cents: number) => string;
}) {
  if (tally.count === 0) return <span className="text-slate-400">0</span>;
  return (
    <>
      <Badge tone={tone}>
        {/* "3 nudges"; "stale" and "at risk" read the same for one or many. */}
        {tone === "nudge" ? formatPlural(tally.count, label) : `${formatCount(tally.count)} ${label}`}
      </Badge>
      <small className="mt-0.5">{money(tally.valueCents)}</small>
    </>
  );
}
