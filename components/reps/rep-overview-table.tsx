// The overview's rep table: pipeline, flags by severity, age and activity,
// new pipeline. Sorting is a link (?sort=…&dir=…), so it works without
// JavaScript and a sorted view can be shared; each rep links to their pipeline.
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import {
  firstDirection,
  type RepOverviewRow,
  type RepSort,
  type RepSortKey,
  type Tally,
} from "@/lib/overview/rep-table";
import { formatCount, formatDays, formatMoney, formatPlural } from "@/lib/format";

interface Column {
  key: RepSortKey;
  label: string;
  /** Said to screen readers and in the caption when sorted by it. */
  description: string;
  numeric: boolean;
}

const COLUMNS: Column[] = [
  { key: "rep", label: "Rep", description: "rep name", numeric: false },
  { key: "openDeals", label: "Open deals", description: "open deals", numeric: true },
  { key: "openValue", label: "Open value", description: "open pipeline value", numeric: true },
  { key: "stale", label: "Stale", description: "stale value", numeric: true },
  { key: "atRisk", label: "At risk", description: "at-risk value", numeric: true },
  { key: "nudge", label: "Nudges", description: "deals with a nudge", numeric: true },
  { key: "oldest", label: "Oldest deal", description: "age of the oldest open deal", numeric: true },
  { key: "lastActivity", label: "Last activity", description: "days since the last activity", numeric: true },
  { key: "newPipeline", label: "New (30 days)", description: "new pipeline in the last 30 days", numeric: true },
];

export function RepOverviewTable({
  rows,
  sort,
  currency,
  scopeLabel,
  showTeam,
}: {
  rows: RepOverviewRow[];
  sort: RepSort;
  currency: string;
  scopeLabel: string;
  showTeam: boolean;
}) {
  const money = (cents: number) => formatMoney(cents / 100, currency);
  const sortedBy = COLUMNS.find((column) => column.key === sort.key);
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full text-sm" data-testid="rep-table">
        <caption className="px-4 py-3 text-left text-sm text-slate-600">
          Reps in {scopeLabel.toLowerCase() === "all teams" ? "all teams" : scopeLabel}, sorted by{" "}
          {sortedBy?.description} ({sort.direction === "asc" ? "smallest first" : "largest first"}
          {sort.key === "rep" ? (sort.direction === "asc" ? ", A to Z" : ", Z to A") : ""}). Flag columns count deals
          with a current flag of that severity, with their value.
        </caption>
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            {COLUMNS.map((column) => (
              <SortableHeader key={column.key} column={column} sort={sort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((rep) => (
            <tr key={rep.repId} className="border-t border-slate-100 hover:bg-slate-50" data-testid="rep-row">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                <Link
                  href={`/reps/${rep.repId}`}
                  className="text-blue-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-blue-700"
                >
                  {rep.repName}
                </Link>
                {showTeam && rep.teamName ? (
                  <span className="block text-xs font-normal text-slate-500">{rep.teamName}</span>
                ) : null}
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
                    <span className="block text-xs text-slate-500">
                      {formatCount(rep.newPipeline30.count)} {rep.newPipeline30.count === 1 ? "deal" : "deals"}
                    </span>
                  </>
                )}
              </Cell>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SortableHeader({ column, sort }: { column: Column; sort: RepSort }) {
  const active = sort.key === column.key;
  const nextDirection = active ? (sort.direction === "asc" ? "desc" : "asc") : firstDirection(column.key);
  const ariaSort = active ? (sort.direction === "asc" ? "ascending" : "descending") : undefined;
  return (
    <th
      scope="col"
      aria-sort={ariaSort}
      className={`px-3 py-2 font-medium ${column.numeric ? "text-right" : "text-left"}`}
    >
      <Link
        href={`/?sort=${column.key}&dir=${nextDirection}`}
        scroll={false}
        className="inline-flex items-center gap-1 rounded hover:text-slate-950 hover:underline focus-visible:outline-2 focus-visible:outline-blue-700"
        title={`Sort by ${column.description}`}
      >
        {column.label}
        <span aria-hidden="true" className={active ? "text-slate-900" : "text-slate-300"}>
          {active ? (sort.direction === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </Link>
    </th>
  );
}

function Cell({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <td className="px-3 py-2 text-right tabular-nums" data-testid={testId}>
      {children}
    </td>
  );
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
    <span className="inline-flex flex-col items-end gap-0.5">
      <Badge tone={tone}>
        {/* "3 nudges"; "stale" and "at risk" read the same for one or many. */}
        {tone === "nudge" ? formatPlural(tally.count, label) : `${formatCount(tally.count)} ${label}`}
      </Badge>
      <span className="text-xs text-slate-600">{money(tally.valueCents)}</span>
    </span>
  );
}
