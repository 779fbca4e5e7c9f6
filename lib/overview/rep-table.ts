// The rep table of the team overview: one row per rep, and its sort order,
// which lives in the URL (?sort=stale&dir=desc) so a sorted view can be shared.
// Pure: no database, no React.

export interface Tally {
  count: number;
  valueCents: number;
}

export interface RepOverviewRow {
  repId: string;
  repName: string;
  teamName: string | null;
  openDeals: number;
  openValueCents: number;
  weightedValueCents: number;
  /** Deals with at least one current flag of the severity (a deal counts once per severity). */
  stale: Tally;
  atRisk: Tally;
  nudge: Tally;
  /** Deals with any current flag. */
  flagged: Tally;
  /** For the stacked bar: stale, at risk but not stale, and neither (healthy). */
  health: { healthyCents: number; atRiskCents: number; staleCents: number };
  /** Days since the oldest open deal opened; null without open deals. */
  oldestDealDays: number | null;
  /** Days since the last activity (either side) on the rep's open deals; null when none. */
  daysSinceLastActivity: number | null;
  /** Opportunities opened in the last 30 days, whatever became of them since. */
  newPipeline30: Tally;
}

export const REP_SORT_KEYS = [
  "rep",
  "openDeals",
  "openValue",
  "stale",
  "atRisk",
  "nudge",
  "oldest",
  "lastActivity",
  "newPipeline",
] as const;

export type RepSortKey = (typeof REP_SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";

export interface RepSort {
  key: RepSortKey;
  direction: SortDirection;
}

/** Reps carrying the most stale pipeline first: what a manager looks for. */
export const DEFAULT_REP_SORT: RepSort = { key: "stale", direction: "desc" };

/** The direction a column sorts in when first clicked: names A→Z, numbers largest first. */
export function firstDirection(key: RepSortKey): SortDirection {
  return key === "rep" ? "asc" : "desc";
}

/** Reads ?sort= and ?dir=; anything unknown falls back to the default. */
export function parseRepSort(params: { sort?: string | string[]; dir?: string | string[] }): RepSort {
  const key = typeof params.sort === "string" ? params.sort : undefined;
  if (!key || !(REP_SORT_KEYS as readonly string[]).includes(key)) return DEFAULT_REP_SORT;
  const sortKey = key as RepSortKey;
  const dir = params.dir === "asc" || params.dir === "desc" ? params.dir : firstDirection(sortKey);
  return { key: sortKey, direction: dir };
}

function sortValue(row: RepOverviewRow, key: RepSortKey): number | string | null {
  switch (key) {
    case "rep":
      return row.repName.toLocaleLowerCase("en");
    case "openDeals":
      return row.openDeals;
    case "openValue":
      return row.openValueCents;
    case "stale":
      return row.stale.valueCents;
    case "atRisk":
      return row.atRisk.valueCents;
    case "nudge":
      return row.nudge.count;
    case "oldest":
      return row.oldestDealDays;
    case "lastActivity":
      return row.daysSinceLastActivity;
    case "newPipeline":
      return row.newPipeline30.valueCents;
  }
}

/**
 * Sorted copy. Empty values (no open deals, no activity) go last in either
 * direction; ties keep name order so the table does not jump around.
 */
export function sortRepRows(rows: readonly RepOverviewRow[], sort: RepSort): RepOverviewRow[] {
  const sign = sort.direction === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = sortValue(a, sort.key);
    const right = sortValue(b, sort.key);
    if (left === null || right === null) {
      if (left !== right) return left === null ? 1 : -1;
    } else if (left !== right) {
      return (left < right ? -1 : 1) * sign;
    }
    return a.repName.localeCompare(b.repName, "en");
  });
}

/** Rows on one page of the table: past this a page of 2,000 reps would be megabytes of HTML. */
export const REPS_PER_PAGE = 200;

export interface RepPage {
  rows: RepOverviewRow[];
  /** 1-based, clamped to the pages there are. */
  page: number;
  pageCount: number;
  /** 1-based positions of the first and last row shown (0 and 0 without rows). */
  first: number;
  last: number;
  total: number;
}

/** The page `?page=N` asks for (1 when absent or not a whole number). */
export function parseRepPage(params: { page?: string | string[] }): number {
  const raw = Array.isArray(params.page) ? params.page[0] : params.page;
  const page = Number(raw);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

/** One page of already sorted rows; a page past the end shows the last page. */
export function pageOfReps(rows: readonly RepOverviewRow[], page: number, perPage = REPS_PER_PAGE): RepPage {
  const pageCount = Math.max(1, Math.ceil(rows.length / perPage));
  const current = Math.min(Math.max(1, page), pageCount);
  const start = (current - 1) * perPage;
  const shown = rows.slice(start, start + perPage);
  return {
    rows: shown,
    page: current,
    pageCount,
    first: shown.length ? start + 1 : 0,
    last: start + shown.length,
    total: rows.length,
  };
}
