// Reads for the deal screens: a rep's open pipeline (/reps/[id]), one deal
// with its whole history (/deals/[id]) and a rep's own deals (/my). Every read
// takes the viewer and returns null when the rep or deal is outside what the
// viewer may see, so pages answer "not found" rather than leak that it exists.
//
// A fixed number of typed queries per page whatever the number of deals (no
// query per row). Money leaves here as integer cents (Decimal × 100, exact)
// plus the Decimal's string for forms; clocks are UTC calendar days counted
// with lib/rules/days.ts, the same count the rules use.
import "server-only";
import { canActOnDeal } from "@/lib/auth/permissions";
import { visibleDealsWhere, visibleUsersWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type {
  ActivitySide,
  ActivityType,
  DealStatus,
  DecisionAction,
  StageDirection,
  WaiverKind,
} from "@/lib/generated/prisma/enums";
import { currentFlagWhere } from "@/lib/reviews/current-flags";
import { flaggedDays, flaggedForText } from "@/lib/reviews/flagged-for";
import { evaluateScope } from "@/lib/reviews/evaluate";
import { prismaQuery } from "@/lib/db/bulk-sql";
import { loadCycleInputs } from "@/lib/reviews/facts";
import type { ReviewTotals } from "@/lib/reviews/mutations";
import { daysBetween, startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import { parseRuleSettings, type RuleSettings } from "@/lib/rules/settings";
import { type AverageCycle, averageCycleForTeam, buildRuleContext } from "@/lib/rules/statistics";
import { RULES, type RuleName, type Severity } from "@/lib/rules/types";
import { describeCycle } from "@/lib/rules/wording";
import { pipelineOpenedAt } from "./opened-date";

// ---------------------------------------------------------------------------
// Shared shapes

export interface DealFlagView {
  rule: string;
  /** RULES[rule].label, or the rule name for a rule this version does not know. */
  label: string;
  severity: Severity;
  explanation: string;
  /** When this flag's episode started (its review's or re-evaluation's as-of); set for stored flags. */
  since?: Date;
}

export interface WaiverView {
  id: number;
  kind: WaiverKind;
  /** Last day it applies (inclusive), UTC midnight. */
  until: Date;
  reason: string;
  byName: string | null;
}

export interface StageOption {
  id: number;
  name: string;
  order: number;
  early: boolean;
  probability: number;
}

/** One open deal as the tables and cards show it. Plain data: safe to hand to client components. */
export interface DealRowView {
  id: number;
  /** Where the deal came from ("salesforce", "manual", …) and its id there: exports carry both. */
  source: string;
  externalId: string | null;
  name: string;
  /** Optimistic concurrency: sent back with every action on the deal. */
  version: number;
  accountName: string | null;
  ownerId: string;
  stageId: number;
  stageName: string;
  stageOrder: number;
  early: boolean;
  amountCents: number;
  currency: string;
  ageDays: number;
  /** Age over the average cycle the deal is measured against (e.g. 2.4). */
  ageMultiple: number;
  /** Null when it entered its stage after the as-of date. */
  daysInStage: number | null;
  lastActivityAt: Date | null;
  daysSinceActivity: number | null;
  lastBuyerActivityAt: Date | null;
  daysSinceBuyerActivity: number | null;
  expectedCloseDate: Date | null;
  closeDatePushCount: number;
  nextStep: string | null;
  /** Current flags, worst first. */
  flags: DealFlagView[];
  /** Start of the oldest current flag episode ("flagged for 5 weeks (since Oct 30)"); null when not flagged. */
  flaggedSince: Date | null;
  /** Whole days since flaggedSince; null when not flagged. */
  flaggedDays: number | null;
  /** "flagged for 5 weeks (since Oct 30)"; null when not flagged. */
  flaggedFor: string | null;
  /** Waivers in effect on the as-of date. */
  waivers: WaiverView[];
}

const SEVERITY_RANK: Record<Severity, number> = { stale: 0, at_risk: 1, nudge: 2, warning: 3 };
export const SEVERITIES: readonly Severity[] = ["stale", "at_risk", "nudge", "warning"];

export function ruleLabel(rule: string): string {
  return rule in RULES ? RULES[rule as RuleName].label : rule;
}

/** Prisma Decimal → integer cents, exactly. */
function cents(value: Prisma.Decimal | null | undefined): number {
  return value ? Number(value.mul(100).toFixed(0)) : 0;
}

/** Days from an instant to asOf; null when it never happened or happens after asOf (not yet, as of then). */
function daysSince(instant: Date | null, asOf: Date): number | null {
  if (!instant || instant.getTime() > asOf.getTime()) return null;
  return daysBetween(instant, asOf);
}

function asOfDay(asOf: Date): Date {
  return startOfUtcDayNumber(utcDayNumber(asOf));
}

/** Waivers in effect on asOf's day (granted by then, not replaced, not expired). */
function waiversInEffectWhere(asOf: Date): Prisma.WaiverWhereInput {
  return {
    until: { gte: asOfDay(asOf) },
    createdAt: { lte: asOf },
    OR: [{ endedAt: null }, { endedAt: { gt: asOf } }],
  };
}

export const dealRowSelect = (asOf: Date) =>
  ({
    id: true,
    source: true,
    externalId: true,
    name: true,
    version: true,
    ownerId: true,
    amount: true,
    currency: true,
    openedAt: true,
    expectedCloseDate: true,
    lastActivityAt: true,
    lastBuyerActivityAt: true,
    stageEnteredAt: true,
    closeDatePushCount: true,
    nextStep: true,
    owner: { select: { teamId: true } },
    account: { select: { name: true } },
    stage: { select: { id: true, name: true, order: true, early: true, probability: true } },
    flags: {
      where: currentFlagWhere,
      select: { rule: true, severity: true, explanation: true, startedAt: true },
    },
    waivers: {
      where: waiversInEffectWhere(asOf),
      orderBy: { until: "desc" },
      select: { id: true, kind: true, until: true, reason: true, byId: true },
    },
  }) satisfies Prisma.OpportunitySelect;

type DealRowRecord = Prisma.OpportunityGetPayload<{ select: ReturnType<typeof dealRowSelect> }>;

export function toDealRow(deal: DealRowRecord, asOf: Date, cycleDays: number, names: Map<string, string>): DealRowView {
  const ageDays = daysBetween(pipelineOpenedAt(deal), asOf);
  const flaggedSince = deal.flags.reduce<Date | null>(
    (oldest, flag) => (oldest === null || flag.startedAt < oldest ? flag.startedAt : oldest),
    null,
  );
  return {
    id: deal.id,
    source: deal.source,
    externalId: deal.externalId,
    name: deal.name,
    version: deal.version,
    accountName: deal.account?.name ?? null,
    ownerId: deal.ownerId,
    stageId: deal.stage.id,
    stageName: deal.stage.name,
    stageOrder: deal.stage.order,
    early: deal.stage.early,
    amountCents: cents(deal.amount),
    currency: deal.currency,
    ageDays,
    ageMultiple: Math.round((ageDays / Math.max(1, cycleDays)) * 10) / 10,
    daysInStage: daysSince(deal.stageEnteredAt, asOf),
    lastActivityAt: deal.lastActivityAt,
    daysSinceActivity: daysSince(deal.lastActivityAt, asOf),
    lastBuyerActivityAt: deal.lastBuyerActivityAt,
    daysSinceBuyerActivity: daysSince(deal.lastBuyerActivityAt, asOf),
    expectedCloseDate: deal.expectedCloseDate,
    closeDatePushCount: deal.closeDatePushCount,
    nextStep: deal.nextStep,
    flags: deal.flags
      .map((flag) => ({
        rule: flag.rule,
        label: ruleLabel(flag.rule),
        severity: flag.severity,
        explanation: flag.explanation,
        since: flag.startedAt,
      }))
      .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.label.localeCompare(b.label)),
    flaggedSince,
    flaggedDays: flaggedSince ? flaggedDays(flaggedSince, asOf) : null,
    flaggedFor: flaggedSince ? flaggedForText(flaggedSince, asOf) : null,
    waivers: deal.waivers.map((waiver) => ({
      id: waiver.id,
      kind: waiver.kind,
      until: waiver.until,
      reason: waiver.reason,
      byName: waiver.byId ? (names.get(waiver.byId) ?? null) : null,
    })),
  };
}

export async function userNames(
  client: DbClient,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, string>> {
  const unique = [...new Set([...ids].filter((id): id is string => Boolean(id)))];
  if (unique.length === 0) return new Map();
  const users = await client.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } });
  return new Map(users.map((user) => [user.id, user.name]));
}

export async function activeStages(client: DbClient): Promise<StageOption[]> {
  return client.stage.findMany({
    where: { active: true },
    orderBy: { order: "asc" },
    select: { id: true, name: true, order: true, early: true, probability: true },
  });
}

// ---------------------------------------------------------------------------
// The average cycle a team's deals are measured against

export interface CycleInUse {
  days: number;
  /** "the Central team's 88-day average cycle (41 won deals)". */
  description: string;
  /** Where it came from: the latest review's totals, or computed now (no review yet). */
  source: "review" | "computed";
}

export interface LatestReview {
  id: number;
  at: Date;
  asOf: Date;
}

/** The cycle a review measured the team's deals against (its own, or the organisation's). */
function reviewCycle(totals: unknown, teamId: string | null): AverageCycle | undefined {
  const known = (totals ?? null) as Partial<ReviewTotals> | null;
  return (teamId ? known?.byTeam?.[teamId]?.cycle : undefined) ?? known?.organisationCycle;
}

/**
 * The cycle the latest review covering the team measured deals against; with
 * no review yet, the same statistics computed now by the engine.
 */
async function cycleForTeam(
  client: DbClient,
  teamId: string | null,
  asOf: Date,
  settings: RuleSettings,
): Promise<{ cycle: CycleInUse; latestReview: LatestReview | null }> {
  const review = await client.review.findFirst({
    where: { OR: [{ teamId: null }, ...(teamId ? [{ teamId }] : [])] },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { id: true, at: true, asOf: true, totals: true },
  });
  const fromReview = reviewCycle(review?.totals, teamId);
  const latestReview = review ? { id: review.id, at: review.at, asOf: review.asOf } : null;
  if (fromReview) {
    return { cycle: { days: fromReview.days, description: describeCycle(fromReview), source: "review" }, latestReview };
  }
  const inputs = await loadCycleInputs(prismaQuery(client), settings, asOf);
  const cycle = averageCycleForTeam(buildRuleContext(inputs, settings, asOf).cycles, teamId);
  return { cycle: { days: cycle.days, description: describeCycle(cycle), source: "computed" }, latestReview };
}

/**
 * cycleForTeam for many teams at once (an admin's flagged deals span every
 * team): the latest organisation-wide review and each team's latest review
 * are read in two queries, and the engine computes the cycles at most once.
 */
export async function cycleDaysForTeams(
  client: DbClient,
  teamIds: (string | null)[],
  asOf: Date,
  settings: RuleSettings,
): Promise<Map<string | null, number>> {
  const named = teamIds.filter((id): id is string => id !== null);
  const [orgReview, teamReviews] = await Promise.all([
    client.review.findFirst({
      where: { teamId: null },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      select: { at: true, id: true, totals: true },
    }),
    named.length
      ? client.review.findMany({
          where: { teamId: { in: named } },
          orderBy: [{ at: "desc" }, { id: "desc" }],
          distinct: ["teamId"],
          select: { at: true, id: true, teamId: true, totals: true },
        })
      : Promise.resolve([]),
  ]);
  const byTeam = new Map(teamReviews.map((review) => [review.teamId, review]));
  let computed: ReturnType<typeof buildRuleContext>["cycles"] | undefined;
  const days = new Map<string | null, number>();
  for (const teamId of teamIds) {
    const teamReview = teamId ? byTeam.get(teamId) : undefined;
    // The latest review covering the team, as cycleForTeam picks it.
    const review =
      teamReview &&
      (!orgReview || teamReview.at > orgReview.at || (+teamReview.at === +orgReview.at && teamReview.id > orgReview.id))
        ? teamReview
        : orgReview;
    const fromReview = reviewCycle(review?.totals, teamId);
    if (fromReview) {
      days.set(teamId, fromReview.days);
      continue;
    }
    computed ??= buildRuleContext(await loadCycleInputs(prismaQuery(client), settings, asOf), settings, asOf).cycles;
    days.set(teamId, averageCycleForTeam(computed, teamId).days);
  }
  return days;
}

// ---------------------------------------------------------------------------
// Rep pipeline: /reps/[id]

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

function matchesView(deal: DealRowView, view: PipelineView): boolean {
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

export interface QuotaCoverage {
  quotaCents: number;
  periodStart: Date;
  periodEnd: Date;
  wonCents: number;
  remainingCents: number;
  /** Open pipeline over the whole period's quota ("8× quota"). */
  ofQuota: number | null;
  /** Open pipeline over the remaining quota; null when the quota is already met. */
  raw: number | null;
  /** The same without stale deals. */
  adjusted: number | null;
}

export interface RepPipelineSummary {
  openDeals: number;
  openValueCents: number;
  weightedValueCents: number;
  staleDeals: number;
  staleValueCents: number;
  /** 0–1; null without open pipeline. */
  staleShare: number | null;
  flaggedDeals: number;
  oldestDeal: { id: number; name: string; ageDays: number } | null;
  quota: QuotaCoverage | null;
  /** Days since the rep last opened a deal (any status); null if never. */
  daysSinceLastNewDeal: number | null;
}

export interface RepPipeline {
  rep: { id: string; name: string; role: Viewer["role"]; teamId: string | null; teamName: string | null };
  currency: string;
  cycle: CycleInUse;
  latestReview: LatestReview | null;
  /** Over the whole open pipeline, whatever the filters. */
  summary: RepPipelineSummary;
  /** The deals in the view (filtered and sorted). */
  deals: DealRowView[];
  view: PipelineView;
  stages: StageOption[];
  /** Rules that flag at least one of the rep's deals (for the filter). */
  rulesPresent: string[];
  /** Whether the viewer may act on these deals (bulk actions). */
  canAct: boolean;
  /** Current rep-level flags (no new pipeline). */
  repFlags: DealFlagView[];
}

export async function getRepPipeline(
  viewer: Viewer,
  repId: string,
  asOf: Date,
  view: PipelineView = DEFAULT_PIPELINE_VIEW,
  client: DbClient = db,
): Promise<RepPipeline | null> {
  const rep = await client.user.findFirst({
    where: { AND: [{ id: repId }, visibleUsersWhere(viewer)] },
    select: { id: true, name: true, role: true, teamId: true, team: { select: { name: true } } },
  });
  if (!rep) return null;

  const org = await client.orgSettings.findUnique({ where: { id: 1 }, select: { rules: true, currency: true } });
  const settings = parseRuleSettings(org?.rules ?? {});
  const [cycleInfo, dealRecords, stages, quota, lastOpened, repFlags] = await Promise.all([
    cycleForTeam(client, rep.teamId, asOf, settings),
    client.opportunity.findMany({
      where: { ownerId: rep.id, status: "open", openedAt: { lte: asOf } },
      select: dealRowSelect(asOf),
      orderBy: { id: "asc" },
    }),
    activeStages(client),
    loadQuotaCoverage(client, rep.id, asOf),
    client.opportunity.aggregate({ where: { ownerId: rep.id, openedAt: { lte: asOf } }, _max: { openedAt: true } }),
    client.flag.findMany({
      where: { userId: rep.id, ...currentFlagWhere },
      select: { rule: true, severity: true, explanation: true },
    }),
  ]);
  const names = await userNames(
    client,
    dealRecords.flatMap((deal) => deal.waivers.map((waiver) => waiver.byId)),
  );
  const all = dealRecords.map((deal) => toDealRow(deal, asOf, cycleInfo.cycle.days, names));

  const probability = new Map(dealRecords.map((deal) => [deal.id, deal.stage.probability]));
  let openValueCents = 0;
  let staleValueCents = 0;
  let staleDeals = 0;
  let flaggedDeals = 0;
  // Σ cents × percent: integers, exact; divided by 100 once at the end.
  let weighted = 0;
  for (const deal of all) {
    openValueCents += deal.amountCents;
    weighted += deal.amountCents * (probability.get(deal.id) ?? 0);
    if (deal.flags.length > 0) flaggedDeals += 1;
    if (deal.flags.some((flag) => flag.severity === "stale")) {
      staleDeals += 1;
      staleValueCents += deal.amountCents;
    }
  }
  const oldest = all.reduce<DealRowView | null>((max, deal) => (!max || deal.ageDays > max.ageDays ? deal : max), null);
  if (quota) {
    const remaining = quota.remainingCents;
    quota.ofQuota = quota.quotaCents > 0 ? openValueCents / quota.quotaCents : null;
    quota.raw = remaining > 0 ? openValueCents / remaining : null;
    quota.adjusted = remaining > 0 ? (openValueCents - staleValueCents) / remaining : null;
  }

  const deals = sortDeals(
    all.filter((deal) => matchesView(deal, view)),
    view.sort,
    view.dir,
  );
  return {
    rep: { id: rep.id, name: rep.name, role: rep.role, teamId: rep.teamId, teamName: rep.team?.name ?? null },
    currency: org?.currency ?? "USD",
    cycle: cycleInfo.cycle,
    latestReview: cycleInfo.latestReview,
    summary: {
      openDeals: all.length,
      openValueCents,
      weightedValueCents: Math.round(weighted / 100),
      staleDeals,
      staleValueCents,
      staleShare: openValueCents > 0 ? staleValueCents / openValueCents : null,
      flaggedDeals,
      oldestDeal: oldest ? { id: oldest.id, name: oldest.name, ageDays: oldest.ageDays } : null,
      quota,
      daysSinceLastNewDeal: daysSince(lastOpened._max.openedAt, asOf),
    },
    deals,
    view,
    stages,
    rulesPresent: [...new Set(all.flatMap((deal) => deal.flags.map((flag) => flag.rule)))].sort(),
    canAct: canActOnDeal(viewer, { id: 0, name: "", ownerId: rep.id, owner: { teamId: rep.teamId } }),
    repFlags: repFlags.map((flag) => ({
      rule: flag.rule,
      label: ruleLabel(flag.rule),
      severity: flag.severity,
      explanation: flag.explanation,
    })),
  };
}

// ---------------------------------------------------------------------------
// Flagged deals across the viewer's scope (the CSV a manager takes away)

export interface FlaggedDealRow extends DealRowView {
  ownerName: string;
  teamName: string | null;
}

/**
 * Every open deal in the viewer's scope with a current flag, worst first,
 * each measured against its own team's cycle: a team for a manager, every
 * team for an admin, their own deals for a rep. A fixed number of queries.
 */
export async function listFlaggedDeals(viewer: Viewer, asOf: Date, client: DbClient = db): Promise<FlaggedDealRow[]> {
  const records = await client.opportunity.findMany({
    where: {
      AND: [visibleDealsWhere(viewer), { status: "open", openedAt: { lte: asOf }, flags: { some: currentFlagWhere } }],
    },
    select: {
      ...dealRowSelect(asOf),
      owner: { select: { teamId: true, name: true, team: { select: { name: true } } } },
    },
    orderBy: { id: "asc" },
  });
  const org = await client.orgSettings.findUnique({ where: { id: 1 }, select: { rules: true } });
  const settings = parseRuleSettings(org?.rules ?? {});
  const cycles = await cycleDaysForTeams(
    client,
    [...new Set(records.map((deal) => deal.owner.teamId))],
    asOf,
    settings,
  );
  const names = await userNames(
    client,
    records.flatMap((deal) => deal.waivers.map((waiver) => waiver.byId)),
  );
  const rows = records.map((deal) => ({
    ...toDealRow(deal, asOf, cycles.get(deal.owner.teamId) ?? 90, names),
    ownerName: deal.owner.name,
    teamName: deal.owner.team?.name ?? null,
  }));
  return sortDeals(rows, "flags", "asc") as FlaggedDealRow[];
}

/** The rep's quota for the period holding asOf, and what they won in it up to asOf. */
async function loadQuotaCoverage(client: DbClient, repId: string, asOf: Date): Promise<QuotaCoverage | null> {
  const day = asOfDay(asOf);
  const quota = await client.quota.findFirst({
    where: { userId: repId, periodStart: { lte: day }, periodEnd: { gte: day } },
    orderBy: { periodStart: "desc" },
  });
  if (!quota) return null;
  const periodEndExclusive = startOfUtcDayNumber(utcDayNumber(quota.periodEnd) + 1);
  const won = await client.opportunity.aggregate({
    where: {
      ownerId: repId,
      status: "won",
      closedAt: { gte: quota.periodStart, lt: periodEndExclusive, lte: asOf },
    },
    _sum: { amount: true },
  });
  const quotaCents = cents(quota.amount);
  const wonCents = cents(won._sum.amount);
  return {
    quotaCents,
    periodStart: quota.periodStart,
    periodEnd: quota.periodEnd,
    wonCents,
    remainingCents: quotaCents - wonCents,
    ofQuota: null,
    raw: null,
    adjusted: null,
  };
}

// ---------------------------------------------------------------------------
// Deal timeline: /deals/[id]

export type TimelineEvent =
  | {
      kind: "stage";
      key: string;
      at: Date;
      byName: string | null;
      direction: StageDirection;
      fromStage: string | null;
      toStage: string | null;
      fromStatus: DealStatus | null;
      toStatus: DealStatus;
      reason: string | null;
      /** The decision recorded with it (and the review it was taken in). */
      reviewId: number | null;
    }
  | {
      kind: "activity";
      key: string;
      at: Date;
      byName: string | null;
      type: ActivityType;
      side: ActivitySide;
      summary: string | null;
      source: string;
    }
  | {
      kind: "close-date";
      key: string;
      at: Date;
      byName: string | null;
      from: Date | null;
      to: Date | null;
      isPush: boolean;
    }
  | { kind: "amount"; key: string; at: Date; byName: string | null; fromCents: number | null; toCents: number }
  | {
      kind: "waiver";
      key: string;
      at: Date;
      byName: string | null;
      waiverKind: WaiverKind;
      until: Date;
      reason: string;
      endedAt: Date | null;
      reviewId: number | null;
    }
  | {
      kind: "decision";
      key: string;
      at: Date;
      byName: string | null;
      action: DecisionAction;
      reason: string;
      reviewId: number | null;
    }
  | {
      kind: "flags";
      key: string;
      at: Date;
      byName: string | null;
      /** The review that raised them; null for a re-evaluation after a change. */
      reviewId: number | null;
      raised: DealFlagView[];
      cleared: DealFlagView[];
      current: string[];
      /** The flags ended because the deal left the pipeline (not because it improved). */
      leftPipeline: boolean;
    };

export interface SuppressedFlagView extends DealFlagView {
  waiverKind: WaiverKind;
  until: Date;
  waiverReason: string;
}

export interface DealTimeline {
  deal: {
    id: number;
    name: string;
    version: number;
    status: DealStatus;
    source: string;
    externalId: string | null;
    ownerId: string;
    ownerName: string;
    teamName: string | null;
    accountName: string | null;
    stageId: number;
    stageName: string;
    stageOrder: number;
    early: boolean;
    amountCents: number;
    /** The amount as typed in a form ("25000.00"). */
    amount: string;
    currency: string;
    /** Null: a prospect whose source gave no opened date ("date unknown"). */
    openedAt: Date | null;
    closedAt: Date | null;
    lostReason: string | null;
    /** Null with the opened date unknown. */
    ageDays: number | null;
    ageMultiple: number | null;
    daysInStage: number | null;
    lastActivityAt: Date | null;
    daysSinceActivity: number | null;
    lastBuyerActivityAt: Date | null;
    daysSinceBuyerActivity: number | null;
    lastSellerActivityAt: Date | null;
    daysSinceSellerActivity: number | null;
    expectedCloseDate: Date | null;
    closeDatePushCount: number;
    nextStep: string | null;
  };
  /** False before any review covered the deal's team: the deal page says "Not reviewed yet", not "no rule flags". */
  reviewed: boolean;
  cycle: CycleInUse;
  flags: DealFlagView[];
  /** Flags an active waiver holds back ("would be flagged — waived until …"). */
  suppressed: SuppressedFlagView[];
  waivers: WaiverView[];
  /** The stage a "move back" would go to; null in the first stage. */
  previousStage: { id: number; name: string } | null;
  events: TimelineEvent[];
  canAct: boolean;
  /** Managers and admins may keep a flagged deal with a waiver. */
  canWaive: boolean;
  maxKeepWaiverDays: number;
}

export async function getDealTimeline(
  viewer: Viewer,
  dealId: number,
  asOf: Date,
  client: DbClient = db,
): Promise<DealTimeline | null> {
  if (!Number.isInteger(dealId) || dealId <= 0) return null;
  const deal = await client.opportunity.findFirst({
    where: { AND: [{ id: dealId }, visibleDealsWhere(viewer)] },
    include: {
      owner: { select: { name: true, teamId: true, team: { select: { name: true } } } },
      account: { select: { name: true } },
      stage: true,
    },
  });
  if (!deal) return null;

  const org = await client.orgSettings.findUnique({ where: { id: 1 }, select: { rules: true, asOf: true } });
  const settings = parseRuleSettings(org?.rules ?? {});
  const byOpportunity = { where: { opportunityId: deal.id } };
  const [cycleInfo, stages, stageChanges, activities, closeDates, amounts, decisions, waivers, flags] =
    await Promise.all([
      cycleForTeam(client, deal.owner.teamId, asOf, settings),
      client.stage.findMany({ select: { id: true, name: true, order: true, active: true } }),
      client.stageChange.findMany(byOpportunity),
      client.activity.findMany(byOpportunity),
      client.closeDateChange.findMany(byOpportunity),
      client.amountChange.findMany(byOpportunity),
      client.decision.findMany(byOpportunity),
      client.waiver.findMany(byOpportunity),
      client.flag.findMany({
        ...byOpportunity,
        include: { review: { select: { byId: true } } },
      }),
    ]);
  const names = await userNames(client, [
    ...stageChanges.map((row) => row.byId),
    ...activities.map((row) => row.byId),
    ...closeDates.map((row) => row.byId),
    ...amounts.map((row) => row.byId),
    ...decisions.map((row) => row.byId),
    ...waivers.map((row) => row.byId),
    ...flags.map((row) => row.review?.byId),
  ]);
  const nameOf = (id: string | null | undefined) => (id ? (names.get(id) ?? "A former user") : null);
  const stageName = new Map(stages.map((stage) => [stage.id, stage.name]));

  const current = flags
    .filter((flag) => flag.endedAt === null)
    .map((flag) => ({
      rule: flag.rule,
      label: ruleLabel(flag.rule),
      severity: flag.severity,
      explanation: flag.explanation,
      since: flag.startedAt,
    }))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.label.localeCompare(b.label));

  const today = asOfDay(asOf);
  const activeWaivers = waivers
    .filter(
      (waiver) =>
        waiver.until.getTime() >= today.getTime() &&
        waiver.createdAt.getTime() <= asOf.getTime() &&
        (waiver.endedAt === null || waiver.endedAt.getTime() > asOf.getTime()),
    )
    .sort((a, b) => b.until.getTime() - a.until.getTime())
    .map((waiver) => ({
      id: waiver.id,
      kind: waiver.kind,
      until: waiver.until,
      reason: waiver.reason,
      byName: nameOf(waiver.byId),
    }));

  // What the waivers hold back: the engine evaluates this one deal (reads only).
  let suppressed: SuppressedFlagView[] = [];
  if (deal.status === "open" && activeWaivers.length > 0) {
    const evaluation = await evaluateScope(prismaQuery(client), { teamId: null, dealIds: [deal.id] }, asOf, {
      fromHistory: Boolean(org?.asOf),
    });
    suppressed = (evaluation.dealVerdicts[0]?.suppressed ?? []).map(({ flag, waiver }) => ({
      rule: flag.rule,
      label: ruleLabel(flag.rule),
      severity: flag.severity,
      explanation: flag.explanation,
      waiverKind: waiver.kind,
      until: waiver.until,
      waiverReason: waiver.reason,
    }));
  }

  const events = buildTimeline(
    { stageChanges, activities, closeDates, amounts, decisions, waivers, flags },
    nameOf,
    (id) => stageName.get(id) ?? `stage #${id}`,
  );

  const previous = stages
    .filter((stage) => stage.active && stage.order < deal.stage.order)
    .sort((a, b) => b.order - a.order)[0];
  const ageDays = deal.openedAt ? daysBetween(deal.openedAt, asOf) : null;
  return {
    deal: {
      id: deal.id,
      name: deal.name,
      version: deal.version,
      status: deal.status,
      source: deal.source,
      externalId: deal.externalId,
      ownerId: deal.ownerId,
      ownerName: deal.owner.name,
      teamName: deal.owner.team?.name ?? null,
      accountName: deal.account?.name ?? null,
      stageId: deal.stage.id,
      stageName: deal.stage.name,
      stageOrder: deal.stage.order,
      early: deal.stage.early,
      amountCents: cents(deal.amount),
      amount: deal.amount.toFixed(2),
      currency: deal.currency,
      openedAt: deal.openedAt,
      closedAt: deal.closedAt,
      lostReason: deal.lostReason,
      ageDays,
      ageMultiple: ageDays === null ? null : Math.round((ageDays / Math.max(1, cycleInfo.cycle.days)) * 10) / 10,
      daysInStage: daysSince(deal.stageEnteredAt, asOf),
      lastActivityAt: deal.lastActivityAt,
      daysSinceActivity: daysSince(deal.lastActivityAt, asOf),
      lastBuyerActivityAt: deal.lastBuyerActivityAt,
      daysSinceBuyerActivity: daysSince(deal.lastBuyerActivityAt, asOf),
      lastSellerActivityAt: deal.lastSellerActivityAt,
      daysSinceSellerActivity: daysSince(deal.lastSellerActivityAt, asOf),
      expectedCloseDate: deal.expectedCloseDate,
      closeDatePushCount: deal.closeDatePushCount,
      nextStep: deal.nextStep,
    },
    cycle: cycleInfo.cycle,
    reviewed: cycleInfo.latestReview !== null,
    flags: current,
    suppressed,
    waivers: activeWaivers,
    previousStage: previous ? { id: previous.id, name: previous.name } : null,
    events,
    canAct: canActOnDeal(viewer, { id: deal.id, name: deal.name, ownerId: deal.ownerId, owner: deal.owner }),
    canWaive: viewer.role === "manager" || viewer.role === "admin",
    maxKeepWaiverDays: settings.maxKeepWaiverDays,
  };
}

interface HistoryRows {
  stageChanges: {
    id: number;
    at: Date;
    byId: string | null;
    direction: StageDirection;
    fromStageId: number | null;
    toStageId: number | null;
    fromStatus: DealStatus | null;
    toStatus: DealStatus;
    reason: string | null;
  }[];
  activities: {
    id: number;
    at: Date;
    byId: string | null;
    type: ActivityType;
    side: ActivitySide;
    summary: string | null;
    source: string;
  }[];
  closeDates: {
    id: number;
    at: Date;
    byId: string | null;
    fromDate: Date | null;
    toDate: Date | null;
    isPush: boolean;
  }[];
  amounts: { id: number; at: Date; byId: string | null; fromAmount: Prisma.Decimal | null; toAmount: Prisma.Decimal }[];
  decisions: {
    id: number;
    at: Date;
    byId: string | null;
    action: DecisionAction;
    reason: string;
    reviewId: number | null;
    details: Prisma.JsonValue;
  }[];
  waivers: {
    id: number;
    createdAt: Date;
    byId: string | null;
    kind: WaiverKind;
    until: Date;
    reason: string;
    endedAt: Date | null;
  }[];
  flags: {
    id: number;
    rule: string;
    severity: Severity;
    explanation: string;
    reviewId: number | null;
    startedAt: Date;
    endedAt: Date | null;
    review: { byId: string | null } | null;
  }[];
}

const DECISION_FOR_DIRECTION: Partial<Record<StageDirection, DecisionAction>> = {
  back: "move_back",
  to_prospect: "return_to_prospecting",
  lost: "remove",
  reopened: "reopen",
};

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Merges a deal's history into one list, newest first. A decision is shown
 * on the stage move or waiver it produced (same person, same moment / same
 * waiver), so each change appears once; decisions without one stand alone.
 */
export function buildTimeline(
  rows: HistoryRows,
  nameOf: (id: string | null) => string | null,
  stageNameOf: (id: number) => string,
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const usedDecisions = new Set<number>();
  const findDecision = (predicate: (decision: HistoryRows["decisions"][number]) => boolean) => {
    const decision = rows.decisions.find((candidate) => !usedDecisions.has(candidate.id) && predicate(candidate));
    if (decision) usedDecisions.add(decision.id);
    return decision;
  };

  for (const change of rows.stageChanges) {
    const action = DECISION_FOR_DIRECTION[change.direction];
    const decision = action
      ? findDecision(
          (d) => d.action === action && d.byId === change.byId && Math.abs(d.at.getTime() - change.at.getTime()) < 1000,
        )
      : undefined;
    events.push({
      kind: "stage",
      key: `stage-${change.id}`,
      at: change.at,
      byName: nameOf(change.byId),
      direction: change.direction,
      fromStage: change.fromStageId === null ? null : stageNameOf(change.fromStageId),
      toStage: change.toStageId === null ? null : stageNameOf(change.toStageId),
      fromStatus: change.fromStatus,
      toStatus: change.toStatus,
      reason: change.reason ?? decision?.reason ?? null,
      reviewId: decision?.reviewId ?? null,
    });
  }
  for (const activity of rows.activities) {
    events.push({
      kind: "activity",
      key: `activity-${activity.id}`,
      at: activity.at,
      byName: nameOf(activity.byId),
      type: activity.type,
      side: activity.side,
      summary: activity.summary,
      source: activity.source,
    });
  }
  for (const change of rows.closeDates) {
    events.push({
      kind: "close-date",
      key: `close-${change.id}`,
      at: change.at,
      byName: nameOf(change.byId),
      from: change.fromDate,
      to: change.toDate,
      isPush: change.isPush,
    });
  }
  for (const change of rows.amounts) {
    events.push({
      kind: "amount",
      key: `amount-${change.id}`,
      at: change.at,
      byName: nameOf(change.byId),
      fromCents: change.fromAmount ? cents(change.fromAmount) : null,
      toCents: cents(change.toAmount),
    });
  }
  for (const waiver of rows.waivers) {
    const action = waiver.kind === "manager_keep" ? "keep_with_waiver" : "waiting_on_buyer";
    const decision = findDecision((d) => {
      const until = d.details && typeof d.details === "object" && !Array.isArray(d.details) ? d.details.until : null;
      return d.action === action && d.byId === waiver.byId && until === isoDay(waiver.until);
    });
    events.push({
      kind: "waiver",
      key: `waiver-${waiver.id}`,
      // A waiver granted for a fixed earlier as-of date is dated then; the decision says when it was taken.
      at: decision?.at ?? waiver.createdAt,
      byName: nameOf(waiver.byId),
      waiverKind: waiver.kind,
      until: waiver.until,
      reason: waiver.reason,
      endedAt: waiver.endedAt,
      reviewId: decision?.reviewId ?? null,
    });
  }
  for (const decision of rows.decisions) {
    if (usedDecisions.has(decision.id)) continue;
    events.push({
      kind: "decision",
      key: `decision-${decision.id}`,
      at: decision.at,
      byName: nameOf(decision.byId),
      action: decision.action,
      reason: decision.reason,
      reviewId: decision.reviewId,
    });
  }
  const leftPipelineAt = rows.stageChanges
    .filter((change) => change.toStatus !== "open")
    .map((change) => change.at.getTime());
  events.push(...flagChanges(rows.flags, nameOf, leftPipelineAt));
  // Newest first; at the same instant, the change before the flags it caused.
  const order: Record<TimelineEvent["kind"], number> = {
    flags: 0,
    decision: 1,
    waiver: 2,
    amount: 3,
    "close-date": 4,
    activity: 5,
    stage: 6,
  };
  return events.sort((a, b) => b.at.getTime() - a.at.getTime() || order[a.kind] - order[b.kind]);
}

/**
 * The deal's flags over time, as changes: at every review or re-evaluation
 * that changed which rules flag the deal, what was raised and what cleared.
 */
function flagChanges(
  flags: HistoryRows["flags"],
  nameOf: (id: string | null) => string | null,
  leftPipelineAt: number[],
): TimelineEvent[] {
  // Episodes start and end at as-of instants. With a fixed as-of date a flag
  // can be raised by a review and cleared by an action at the same instant;
  // it is shown cleared a millisecond later so both changes appear, in order.
  const endOf = new Map(
    flags.map((flag) => {
      const end = flag.endedAt?.getTime() ?? null;
      return [flag, end !== null && end <= flag.startedAt.getTime() ? flag.startedAt.getTime() + 1 : end];
    }),
  );
  const moments = [...new Set(flags.flatMap((flag) => [flag.startedAt.getTime(), endOf.get(flag) ?? null]))]
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => a - b);
  const events: TimelineEvent[] = [];
  let previous = new Map<string, HistoryRows["flags"][number]>();
  for (const ms of moments) {
    const now = new Map<string, HistoryRows["flags"][number]>();
    for (const flag of flags) {
      const endedAt = endOf.get(flag) ?? null;
      if (flag.startedAt.getTime() <= ms && (endedAt === null || endedAt > ms)) {
        now.set(flag.rule, flag);
      }
    }
    const raised = [...now.values()].filter((flag) => !previous.has(flag.rule));
    const cleared = [...previous.values()].filter((flag) => !now.has(flag.rule));
    if (raised.length > 0 || cleared.length > 0) {
      const byReview = flags.find((flag) => flag.startedAt.getTime() === ms && flag.reviewId !== null);
      const view = (flag: HistoryRows["flags"][number]): DealFlagView => ({
        rule: flag.rule,
        label: ruleLabel(flag.rule),
        severity: flag.severity,
        explanation: flag.explanation,
      });
      events.push({
        kind: "flags",
        key: `flags-${ms}`,
        at: new Date(ms),
        byName: byReview ? nameOf(byReview.review?.byId ?? null) : null,
        reviewId: byReview?.reviewId ?? null,
        raised: raised.map(view),
        cleared: cleared.map(view),
        current: [...now.keys()].map(ruleLabel),
        leftPipeline: now.size === 0 && leftPipelineAt.some((at) => Math.abs(at - ms) < 1000),
      });
    }
    previous = now;
  }
  return events;
}

// ---------------------------------------------------------------------------
// My deals: /my

export interface MyDeals {
  /** Whose deals these are. */
  rep: { id: string; name: string; role: Viewer["role"]; teamName: string | null };
  /** False before any review covered the rep's team: screens say "Not reviewed yet", never "nothing flagged". */
  reviewed: boolean;
  /** True when a manager or admin is previewing a rep's page (?rep=). */
  preview: boolean;
  currency: string;
  cycle: CycleInUse;
  /** Flagged deals, worst first, then oldest. */
  flagged: DealRowView[];
  /** The rest, oldest first. */
  others: DealRowView[];
  openValueCents: number;
  /** Days since the rep last opened a deal; null if never. */
  daysSinceLastNewDeal: number | null;
  lastNewDeal: { id: number; name: string; openedAt: Date } | null;
  noNewPipelineDays: number;
  repFlags: DealFlagView[];
  /** Reps a manager or admin may preview (empty for reps). */
  previewableReps: { id: string; name: string; teamName: string | null }[];
}

/**
 * The viewer's own open deals; managers and admins may pass a rep they can see
 * (`?rep=`) to preview that rep's page. Null when that rep is out of scope.
 */
export async function getMyDeals(
  viewer: Viewer,
  asOf: Date,
  previewRepId?: string | null,
  client: DbClient = db,
  /** Flagged deals worst first (default), or flagged longest first. */
  order: "worst" | "longest" = "worst",
): Promise<MyDeals | null> {
  const preview = Boolean(previewRepId && previewRepId !== viewer.userId);
  if (preview && viewer.role === "rep") return null;
  const targetId = preview && previewRepId ? previewRepId : viewer.userId;
  const rep = await client.user.findFirst({
    where: { AND: [{ id: targetId }, preview ? visibleUsersWhere(viewer) : {}] },
    select: { id: true, name: true, role: true, teamId: true, team: { select: { name: true } } },
  });
  if (!rep) return null;

  const org = await client.orgSettings.findUnique({ where: { id: 1 }, select: { rules: true, currency: true } });
  const settings = parseRuleSettings(org?.rules ?? {});
  const [cycleInfo, dealRecords, lastNew, repFlags, previewable] = await Promise.all([
    cycleForTeam(client, rep.teamId, asOf, settings),
    client.opportunity.findMany({
      where: { ownerId: rep.id, status: "open", openedAt: { lte: asOf } },
      select: dealRowSelect(asOf),
    }),
    client.opportunity.findFirst({
      where: { ownerId: rep.id, openedAt: { lte: asOf } },
      orderBy: [{ openedAt: "desc" }, { id: "desc" }],
      select: { id: true, name: true, openedAt: true },
    }),
    client.flag.findMany({
      where: { userId: rep.id, ...currentFlagWhere },
      select: { rule: true, severity: true, explanation: true },
    }),
    viewer.role === "rep"
      ? Promise.resolve([])
      : client.user.findMany({
          where: { AND: [visibleUsersWhere(viewer), { role: "rep", active: true }] },
          orderBy: [{ team: { name: "asc" } }, { name: "asc" }],
          select: { id: true, name: true, team: { select: { name: true } } },
        }),
  ]);
  const names = await userNames(
    client,
    dealRecords.flatMap((deal) => deal.waivers.map((waiver) => waiver.byId)),
  );
  const deals = dealRecords.map((deal) => toDealRow(deal, asOf, cycleInfo.cycle.days, names));
  const flagged = sortDeals(
    deals.filter((deal) => deal.flags.length > 0),
    order === "longest" ? "flaggedFor" : "flags",
    order === "longest" ? "desc" : "asc",
  );
  const others = sortDeals(
    deals.filter((deal) => deal.flags.length === 0),
    "age",
    "desc",
  );
  return {
    rep: { id: rep.id, name: rep.name, role: rep.role, teamName: rep.team?.name ?? null },
    reviewed: cycleInfo.latestReview !== null,
    preview,
    currency: org?.currency ?? "USD",
    cycle: cycleInfo.cycle,
    flagged,
    others,
    openValueCents: deals.reduce((sum, deal) => sum + deal.amountCents, 0),
    daysSinceLastNewDeal: lastNew?.openedAt ? daysSince(lastNew.openedAt, asOf) : null,
    // The query's `openedAt <= asOf` leaves out deals with no opened date.
    lastNewDeal: lastNew?.openedAt ? { id: lastNew.id, name: lastNew.name, openedAt: lastNew.openedAt } : null,
    noNewPipelineDays: settings.noNewPipelineDays,
    repFlags: repFlags.map((flag) => ({
      rule: flag.rule,
      label: ruleLabel(flag.rule),
      severity: flag.severity,
      explanation: flag.explanation,
    })),
    previewableReps: previewable.map((user) => ({ id: user.id, name: user.name, teamName: user.team?.name ?? null })),
  };
}
