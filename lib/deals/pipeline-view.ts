// The filters and sort of a deal list as they appear in a pipeline URL
// (?rule=&severity=&stage=&sort=&dir=), and the pure matching and sorting
// they stand for. Shared by the rep pipeline, the flagged deals and /my.
import { RULES, type RuleName, type Severity } from "@/lib/rules/types";
import { type DealRowView, SEVERITIES, SEVERITY_RANK } from "./deal-row-view";

export const PIPELINE_SORT_KEYS = [
  "flags",
  "flaggedFor",
  "deal",
  "account",
  "stage",
  "amount",
  "age",
  "inStage",
  "lastActivity",
  "lastBuyerActivity",
  "closeDate",
] as const;
export type PipelineSortKey = (typeof PIPELINE_SORT_KEYS)[number];

export interface PipelineView {
  /** A rule name, "any" (flagged deals) or "none" (deals without flags). */
  rule: string | null;
  severity: Severity | null;
  stageId: number | null;
  sort: PipelineSortKey;
  dir: "asc" | "desc";
}

export const DEFAULT_PIPELINE_VIEW: PipelineView = {
  rule: null,
  severity: null,
  stageId: null,
  sort: "flags",
  dir: "asc",
};

type SearchParams = Record<string, string | string[] | undefined> | URLSearchParams;

function param(params: SearchParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

/** The filters and sort in a pipeline URL; anything unknown falls back to the default. */
export function parsePipelineView(params: SearchParams): PipelineView {
  const rule = param(params, "rule");
  const severity = param(params, "severity");
  const stage = Number(param(params, "stage"));
  const sortParam = param(params, "sort");
  const sort = (PIPELINE_SORT_KEYS as readonly string[]).includes(sortParam ?? "")
    ? (sortParam as PipelineSortKey)
    : "flags";
  const dir = param(params, "dir");
  return {
    rule:
      rule && (rule === "any" || rule === "none" || (rule in RULES && RULES[rule as RuleName].level === "deal"))
        ? rule
        : null,
    severity: severity && (SEVERITIES as readonly string[]).includes(severity) ? (severity as Severity) : null,
    stageId: Number.isInteger(stage) && stage > 0 ? stage : null,
    sort,
    // Without a direction: worst flags first, otherwise the largest / oldest first.
    dir: dir === "desc" || dir === "asc" ? dir : sort === "flags" ? "asc" : "desc",
  };
}

export function pipelineViewIsFiltered(view: PipelineView): boolean {
  return view.rule !== null || view.severity !== null || view.stageId !== null;
}

export function matchesView(deal: DealRowView, view: PipelineView): boolean {
  if (view.stageId !== null && deal.stageId !== view.stageId) return false;
  if (view.rule === "any" && deal.flags.length === 0) return false;
  if (view.rule === "none" && deal.flags.length > 0) return false;
  if (view.rule && view.rule !== "any" && view.rule !== "none" && !deal.flags.some((f) => f.rule === view.rule))
    return false;
  if (view.severity && !deal.flags.some((flag) => flag.severity === view.severity)) return false;
  return true;
}

type SortValue = number | string | null;

const SORT_VALUE: Record<PipelineSortKey, (deal: DealRowView) => SortValue> = {
  // Worst severity first, then more flags, then older.
  flags: (deal) =>
    deal.flags.length === 0
      ? 9_000_000
      : SEVERITY_RANK[deal.flags[0]?.severity ?? "warning"] * 1000 - deal.flags.length,
  flaggedFor: (deal) => deal.flaggedDays,
  deal: (deal) => deal.name.toLocaleLowerCase(),
  account: (deal) => deal.accountName?.toLocaleLowerCase() ?? null,
  stage: (deal) => deal.stageOrder,
  amount: (deal) => deal.amountCents,
  age: (deal) => deal.ageDays,
  inStage: (deal) => deal.daysInStage,
  lastActivity: (deal) => deal.daysSinceActivity,
  lastBuyerActivity: (deal) => deal.daysSinceBuyerActivity,
  closeDate: (deal) => deal.expectedCloseDate?.getTime() ?? null,
};

/** Sorts in place: the chosen column, blanks last whatever the direction, then oldest first, then id. */
export function sortDeals(deals: DealRowView[], sort: PipelineSortKey, dir: "asc" | "desc"): DealRowView[] {
  const value = SORT_VALUE[sort];
  const sign = dir === "asc" ? 1 : -1;
  return deals.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else if (va !== vb) {
      return (typeof va === "string" ? va.localeCompare(vb as string) : va - (vb as number)) * sign;
    }
    return b.ageDays - a.ageDays || a.id - b.id;
  });
}
