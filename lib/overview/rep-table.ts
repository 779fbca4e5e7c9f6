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
