// The flagged-deals page's view (/deals): which flagged deals to show — by
// rule, severity, rep, stage and "flagged for more than N weeks" — and which
// page of them. Everything lives in the URL so a filtered list can be shared;
// pure, so parsing, filtering and paging are unit-tested without a database.
import { daysBetween } from "@/lib/rules/days";
import { RULES, type RuleName, type Severity } from "@/lib/rules/types";

export const FLAGGED_PAGE_SIZE = 50;
const SEVERITIES: readonly Severity[] = ["stale", "at_risk", "nudge", "warning"];

export interface FlaggedDealsView {
  rule: string | null;
  severity: Severity | null;
  repId: string | null;
  stageId: number | null;
  /** Only deals flagged for more than this many weeks (episode start to as-of). */
  minWeeks: number | null;
  /** 1-based. */
  page: number;
}

/** What the filters need of a deal: its owner, stage, and current flags with when each episode began. */
export interface FlaggedDealFacts {
  ownerId: string;
  stageId: number;
  flags: { rule: string; severity: Severity; startedAt: Date }[];
}

type SearchParams = Record<string, string | string[] | undefined> | URLSearchParams;

function param(params: SearchParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

function positiveInteger(text: string | undefined): number | null {
  if (!text || !/^\d{1,6}$/.test(text.trim())) return null;
  const value = Number(text);
  return value > 0 ? value : null;
}

/** The view in a URL; anything unknown or malformed is dropped (the filter shows "any"). */
export function parseFlaggedDealsView(params: SearchParams): FlaggedDealsView {
  const rule = param(params, "rule");
  const severity = param(params, "severity");
  const rep = param(params, "rep")?.trim();
  return {
    rule: rule && rule in RULES && RULES[rule as RuleName].level === "deal" ? rule : null,
    severity: severity && (SEVERITIES as readonly string[]).includes(severity) ? (severity as Severity) : null,
    repId: rep ? rep : null,
    stageId: positiveInteger(param(params, "stage")),
    minWeeks: positiveInteger(param(params, "weeks")),
    page: positiveInteger(param(params, "page")) ?? 1,
  };
}

/** The URL query of a view (page 1 and empty filters left out), for links and the pager. */
export function flaggedDealsQuery(view: FlaggedDealsView, changes: Partial<FlaggedDealsView> = {}): string {
  const next = { ...view, ...changes };
  const query = new URLSearchParams();
  if (next.rule) query.set("rule", next.rule);
  if (next.severity) query.set("severity", next.severity);
  if (next.repId) query.set("rep", next.repId);
  if (next.stageId) query.set("stage", String(next.stageId));
  if (next.minWeeks) query.set("weeks", String(next.minWeeks));
  if (next.page > 1) query.set("page", String(next.page));
  return query.toString();
}

export function flaggedDealsViewIsFiltered(view: FlaggedDealsView): boolean {
  return Boolean(view.rule || view.severity || view.repId || view.stageId || view.minWeeks);
}

/**
 * The flags a view is about: those of the chosen rule and severity (all of a
 * deal's flags when neither is chosen). A deal matches when it has one, and has
 * had one for longer than the weeks asked for.
 */
export function matchingFlags<F extends FlaggedDealFacts["flags"][number]>(
  flags: readonly F[],
  view: Pick<FlaggedDealsView, "rule" | "severity">,
): F[] {
  return flags.filter(
    (flag) => (!view.rule || flag.rule === view.rule) && (!view.severity || flag.severity === view.severity),
  );
}

/** Whole days since the earliest matching flag's episode began; null without one. */
export function flaggedForDays(deal: FlaggedDealFacts, view: FlaggedDealsView, asOf: Date): number | null {
  const flags = matchingFlags(deal.flags, view);
  if (flags.length === 0) return null;
  const earliest = Math.min(...flags.map((flag) => flag.startedAt.getTime()));
  return Math.max(0, daysBetween(new Date(earliest), asOf));
}

export function matchesFlaggedView(deal: FlaggedDealFacts, view: FlaggedDealsView, asOf: Date): boolean {
  if (view.repId && deal.ownerId !== view.repId) return false;
  if (view.stageId && deal.stageId !== view.stageId) return false;
  const days = flaggedForDays(deal, view, asOf);
  if (days === null) return false;
  return view.minWeeks === null || days > view.minWeeks * 7;
}

export interface FlaggedPage<T> {
  rows: T[];
  total: number;
  page: number;
  pageCount: number;
  /** 1-based position of the first and last row shown (0 when empty). */
  from: number;
  to: number;
}

/** One page of the rows; a page past the end shows the last page rather than nothing. */
export function pageOf<T>(rows: readonly T[], page: number, size = FLAGGED_PAGE_SIZE): FlaggedPage<T> {
  const pageCount = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(Math.max(1, page), pageCount);
  const start = (current - 1) * size;
  const shown = rows.slice(start, start + size);
  return {
    rows: shown,
    total: rows.length,
    page: current,
    pageCount,
    from: shown.length ? start + 1 : 0,
    to: start + shown.length,
  };
}
