// Reads for one deal with its whole history (/deals/[id]): stage moves,
// activities, close-date and amount changes, decisions, waivers and flag
// changes merged into one timeline. Null when the deal is out of scope.
import { flagExplanation } from "@/lib/flags/flag-explanation";
import "server-only";
import { canActOnDeal } from "@/lib/auth/permissions";
import { visibleDealsWhere } from "@/lib/auth/scope";
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
import { evaluateScope } from "@/lib/reviews/evaluate";
import { prismaQuery } from "@/lib/db/bulk-sql";
import { daysBetween } from "@/lib/rules/days";
import { thresholdsForTeam } from "@/lib/org/team-thresholds";
import { parseRuleSettings } from "@/lib/rules/settings";
import type { Severity } from "@/lib/rules/types";
import { type DealFlagView, flagViews, ruleLabel, type WaiverView } from "./deal-row-view";
import { asOfDay, cents, daysSince, userNames } from "./deal-rows";
import { cycleForTeam, type CycleInUse } from "./team-cycle";

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
  /** The deal's team's waiver limits (its own, or the organisation's). */
  maxKeepWaiverDays: number;
  maxWaitingOnBuyerDays: number;
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
  const orgDefaults = parseRuleSettings(org?.rules ?? {});
  const { values: settings } = await thresholdsForTeam(prismaQuery(client), deal.owner.teamId, orgDefaults);
  const byOpportunity = { where: { opportunityId: deal.id } };
  const [cycleInfo, stages, stageChanges, activities, closeDates, amounts, decisions, waivers, storedFlags] =
    await Promise.all([
      cycleForTeam(client, deal.owner.teamId, asOf, orgDefaults),
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
    ...storedFlags.map((row) => row.review?.byId),
  ]);
  const nameOf = (id: string | null | undefined) => (id ? (names.get(id) ?? "A former user") : null);
  const stageName = new Map(stages.map((stage) => [stage.id, stage.name]));
  // Each episode's sentence with its latest numbers: as of the date viewed, or of when it ended.
  const flags = storedFlags.map((flag) => ({ ...flag, explanation: flagExplanation(flag, asOf) }));

  const current = flagViews(flags.filter((flag) => flag.endedAt === null));

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
    maxWaitingOnBuyerDays: settings.maxWaitingOnBuyerDays,
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
    // The decision is taken with the move (same instant); under a fixed earlier
    // as-of date the move is recorded at that date and the decision at the real
    // time, so the first same-action decision by the same person after it.
    const sameAct = (d: HistoryRows["decisions"][number]) => d.action === action && d.byId === change.byId;
    const decision = action
      ? (findDecision((d) => sameAct(d) && Math.abs(d.at.getTime() - change.at.getTime()) < 1000) ??
        findDecision((d) => sameAct(d) && d.at.getTime() >= change.at.getTime()))
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
      ...historyEvent("close-date", change, nameOf),
      from: change.fromDate,
      to: change.toDate,
      isPush: change.isPush,
    });
  }
  for (const change of rows.amounts) {
    events.push({
      ...historyEvent("amount", change, nameOf),
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

/** The key prefix of each history kind (keys stay as they were: React keeps rows across renders). */
const HISTORY_KEY_PREFIX = { "close-date": "close", amount: "amount" } as const;

/**
 * The part every history event shares — which change, when, by whom — for a
 * close-date or amount change row; the caller adds what the row says.
 */
function historyEvent<Kind extends keyof typeof HISTORY_KEY_PREFIX>(
  kind: Kind,
  row: { id: number; at: Date; byId: string | null },
  nameOf: (id: string | null) => string | null,
): { kind: Kind; key: string; at: Date; byName: string | null } {
  return { kind, key: `${HISTORY_KEY_PREFIX[kind]}-${row.id}`, at: row.at, byName: nameOf(row.byId) };
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
