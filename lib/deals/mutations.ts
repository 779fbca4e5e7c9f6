// Writes on deals. Each function runs inside the caller's transaction and
// writes the change, its history rows (stage change, close-date / amount
// change, decision, waiver), the rollups and an audit event together, then
// re-evaluates the deal so its flags are current without a full review.
//
// Never deletes anything. Refusals are thrown as ActionRefused so the whole
// transaction rolls back and the person gets a message they can act on.
import { ActionRefused } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit/mutations";
import { assertCanActOnDeals, assertRole } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/auth/viewer";
import type { Transaction } from "@/lib/db";
import type { DecisionAction } from "@/lib/generated/prisma/enums";
import { refreshFiguresOfDeals } from "@/lib/figures/mutations";
import { reevaluateDeals } from "@/lib/reviews/reevaluate";
import { daysBetween, startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import { prismaQuery } from "@/lib/db/bulk-sql";
import { thresholdsForOwner } from "@/lib/org/team-thresholds";
import { DEFAULT_RULE_SETTINGS, describeLevel } from "@/lib/rules/settings";
import { directionBetween, isCloseDatePush, recordCloseDateEdits, refreshRollups } from "./history";
import type {
  BulkActionInput,
  KeepWithWaiverInput,
  LogActivityInput,
  MoveBackInput,
  RemoveFromPipelineInput,
  ReturnToProspectingInput,
  UpdateDealInput,
  WaitingOnBuyerInput,
} from "./schema";

export interface ChangeContext {
  actor: Viewer;
  /** When the change really happens (audit events). */
  now: Date;
  /**
   * The date rules are evaluated as of (the organisation's fixed date, or
   * now). Before now, the deal's history rows are recorded at it: see historyAt.
   */
  asOf: Date;
  /** Longest a manager's "keep" waiver may run, from the organisation's settings (default 30); a deal's team may set its own. */
  maxKeepWaiverDays?: number;
  /** Furthest ahead a "waiting on buyer" date may be, from the organisation's settings (default 30); a team may set its own. */
  maxWaitingOnBuyerDays?: number;
}

/** Bulk actions re-evaluate all their deals once at the end instead of one by one. */
interface BulkStep {
  reevaluate?: boolean;
}

/** The deals' flags and their owners' figures (lib/figures), current after the change, in the same transaction. */
async function reevaluate(tx: Transaction, ctx: ChangeContext, dealIds: number[]) {
  await reevaluateDeals(tx, dealIds, ctx.asOf, ctx.now);
  await refreshFiguresOfDeals(tx, dealIds);
}

async function loadForChange(tx: Transaction, ctx: ChangeContext, dealId: number, expectedVersion: number) {
  await assertCanActOnDeals(tx, ctx.actor, [dealId]);
  const deal = await tx.opportunity.findUniqueOrThrow({
    where: { id: dealId },
    include: { stage: true },
  });
  if (deal.version !== expectedVersion) {
    throw new ActionRefused(
      `“${deal.name}” was changed by someone else since you opened it. Reload the page to see the change, then try again.`,
      "conflict",
    );
  }
  return deal;
}

/** Bumps the version only if nobody else did in between (the row lock makes it race-free). */
async function claimVersion(tx: Transaction, dealId: number, expectedVersion: number, name: string) {
  const { count } = await tx.opportunity.updateMany({
    where: { id: dealId, version: expectedVersion },
    data: { version: { increment: 1 } },
  });
  if (count !== 1) {
    throw new ActionRefused(
      `“${name}” was changed by someone else since you opened it. Reload the page to see the change, then try again.`,
      "conflict",
    );
  }
}

async function recordDecision(
  tx: Transaction,
  ctx: ChangeContext,
  dealId: number,
  action: DecisionAction,
  reason: string,
  reviewId?: number,
  details?: Record<string, string | number | null>,
) {
  await tx.decision.create({
    data: { opportunityId: dealId, action, reason, byId: ctx.actor.userId, at: ctx.now, reviewId, details },
  });
}

/**
 * When an action enters the deal's history (stage changes, closedAt, stage
 * entry, close-date and amount changes, waivers). The decision itself keeps the
 * real time it was taken, like the audit event, so meeting mode can tell the
 * decisions taken since its review from earlier ones. A review replays history as
 * of its date: when the organisation reviews a fixed earlier date (a
 * historical export), a deal removed or moved today would be recorded after
 * that date and the next review would see it open again, unchanged. The
 * manager acts on the pipeline as of that date, so the change is recorded at
 * it; the audit event keeps the real time.
 */
export function historyAt(ctx: Pick<ChangeContext, "asOf" | "now">): Date {
  return ctx.asOf.getTime() < ctx.now.getTime() ? ctx.asOf : ctx.now;
}

function requireOpen(deal: { status: string; name: string }, what: string) {
  if (deal.status !== "open") {
    throw new ActionRefused(`“${deal.name}” is ${deal.status}, not open, so it cannot be ${what}.`, "invalid");
  }
}

/**
 * The deal stays open one stage earlier. Time in stage restarts; its age does
 * not (openedAt is untouched): moving back does not launder an old deal.
 */
export async function moveDealBack(tx: Transaction, ctx: ChangeContext, input: MoveBackInput, options: BulkStep = {}) {
  const deal = await loadForChange(tx, ctx, input.dealId, input.version);
  requireOpen(deal, "moved back");
  const previous = await tx.stage.findFirst({
    where: { active: true, order: { lt: deal.stage.order } },
    orderBy: { order: "desc" },
  });
  if (!previous) {
    throw new ActionRefused(
      `“${deal.name}” is already in the first stage (${deal.stage.name}). Return it to prospecting instead.`,
      "invalid",
    );
  }
  await claimVersion(tx, deal.id, deal.version, deal.name);
  await tx.opportunity.update({
    where: { id: deal.id },
    data: { stageId: previous.id, stageEnteredAt: historyAt(ctx) },
  });
  const reason = input.reason ?? `Moved back from ${deal.stage.name} to ${previous.name}`;
  await tx.stageChange.create({
    data: {
      opportunityId: deal.id,
      fromStageId: deal.stageId,
      toStageId: previous.id,
      fromStatus: "open",
      toStatus: "open",
      direction: directionBetween(deal.stage.order, previous.order),
      at: historyAt(ctx),
      byId: ctx.actor.userId,
      reason,
    },
  });
  await recordDecision(tx, ctx, deal.id, "move_back", reason, input.reviewId, {
    from: deal.stage.name,
    to: previous.name,
  });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "deal.move_back",
    entityType: "opportunity",
    entityId: deal.id,
    before: { stage: deal.stage.name },
    after: { stage: previous.name, reason },
    at: ctx.now,
  });
  if (options.reevaluate !== false) await reevaluate(tx, ctx, [deal.id]);
  return { dealId: deal.id, from: deal.stage.name, to: previous.name };
}

/** Out of the pipeline, not lost: status prospect, not counted, not reviewed. */
export async function returnDealToProspecting(
  tx: Transaction,
  ctx: ChangeContext,
  input: ReturnToProspectingInput,
  options: BulkStep = {},
) {
  const deal = await loadForChange(tx, ctx, input.dealId, input.version);
  requireOpen(deal, "returned to prospecting");
  await claimVersion(tx, deal.id, deal.version, deal.name);
  await tx.opportunity.update({ where: { id: deal.id }, data: { status: "prospect", stageEnteredAt: historyAt(ctx) } });
  await tx.stageChange.create({
    data: {
      opportunityId: deal.id,
      fromStageId: deal.stageId,
      toStageId: deal.stageId,
      fromStatus: "open",
      toStatus: "prospect",
      direction: "to_prospect",
      at: historyAt(ctx),
      byId: ctx.actor.userId,
      reason: input.reason,
    },
  });
  await recordDecision(tx, ctx, deal.id, "return_to_prospecting", input.reason, input.reviewId, {
    stage: deal.stage.name,
  });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "deal.return_to_prospecting",
    entityType: "opportunity",
    entityId: deal.id,
    // The deal keeps its stage (it is where it left the pipeline): in both, so it is not shown as removed.
    before: { status: "open", stage: deal.stage.name },
    after: { status: "prospect", stage: deal.stage.name, reason: input.reason },
    at: ctx.now,
  });
  if (options.reevaluate !== false) await reevaluate(tx, ctx, [deal.id]);
  return { dealId: deal.id, amount: deal.amount.toFixed(2) };
}

/** Closed lost with the reason; counts as a loss, never in won-deal cycle statistics. */
export async function removeDealFromPipeline(
  tx: Transaction,
  ctx: ChangeContext,
  input: RemoveFromPipelineInput,
  options: BulkStep = {},
) {
  const deal = await loadForChange(tx, ctx, input.dealId, input.version);
  requireOpen(deal, "removed from the pipeline");
  await claimVersion(tx, deal.id, deal.version, deal.name);
  await tx.opportunity.update({
    where: { id: deal.id },
    data: { status: "lost", closedAt: historyAt(ctx), lostReason: input.reason },
  });
  await tx.stageChange.create({
    data: {
      opportunityId: deal.id,
      fromStageId: deal.stageId,
      toStageId: deal.stageId,
      fromStatus: "open",
      toStatus: "lost",
      direction: "lost",
      at: historyAt(ctx),
      byId: ctx.actor.userId,
      reason: input.reason,
    },
  });
  await recordDecision(tx, ctx, deal.id, "remove", input.reason, input.reviewId, { stage: deal.stage.name });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "deal.remove",
    entityType: "opportunity",
    entityId: deal.id,
    before: { status: "open", stage: deal.stage.name },
    after: { status: "lost", stage: deal.stage.name, reason: input.reason },
    at: ctx.now,
  });
  if (options.reevaluate !== false) await reevaluate(tx, ctx, [deal.id]);
  return { dealId: deal.id, amount: deal.amount.toFixed(2) };
}

/** Ends the deal's current waivers of a kind: a new one replaces them. */
async function endActiveWaivers(tx: Transaction, dealId: number, kind: "waiting_on_buyer" | "manager_keep", now: Date) {
  await tx.waiver.updateMany({ where: { opportunityId: dealId, kind, endedAt: null }, data: { endedAt: now } });
}

/** UTC calendar days from asOf's day to the waiver's last day (a `date`: UTC midnight), as the rules count. */
function daysAhead(asOf: Date, until: Date): number {
  return daysBetween(asOf, until);
}

/**
 * A waiver limit for the deal: its owner's team's own when the team set one
 * (note: " (the Enterprise team's setting)"), else the organisation's.
 */
async function waiverLimit(
  tx: Transaction,
  ctx: ChangeContext,
  ownerId: string,
  key: "maxKeepWaiverDays" | "maxWaitingOnBuyerDays",
): Promise<{ days: number; note: string }> {
  const organisation = {
    ...DEFAULT_RULE_SETTINGS,
    maxKeepWaiverDays: ctx.maxKeepWaiverDays ?? DEFAULT_RULE_SETTINGS.maxKeepWaiverDays,
    maxWaitingOnBuyerDays: ctx.maxWaitingOnBuyerDays ?? DEFAULT_RULE_SETTINGS.maxWaitingOnBuyerDays,
  };
  const team = await thresholdsForOwner(prismaQuery(tx), ownerId, organisation);
  const level = team.levelOf(key);
  return { days: team.values[key], note: level.kind === "team" ? ` (${describeLevel(level)})` : "" };
}

/** A manager keeps the deal: all its flags are suppressed until the date (at most 30 days). */
export async function keepDealWithWaiver(tx: Transaction, ctx: ChangeContext, input: KeepWithWaiverInput) {
  assertRole(ctx.actor, ["manager", "admin"], "keep a flagged deal with a waiver");
  const deal = await loadForChange(tx, ctx, input.dealId, input.version);
  requireOpen(deal, "kept with a waiver");
  const { days: maxDays, note } = await waiverLimit(tx, ctx, deal.ownerId, "maxKeepWaiverDays");
  const ahead = daysAhead(ctx.asOf, input.until);
  if (ahead < 0 || ahead > maxDays) {
    const latest = startOfUtcDayNumber(utcDayNumber(ctx.asOf) + maxDays)
      .toISOString()
      .slice(0, 10);
    throw new ActionRefused(`A waiver can run at most ${maxDays} days${note}: pick a date up to ${latest}.`, "invalid");
  }
  await claimVersion(tx, deal.id, deal.version, deal.name);
  await endActiveWaivers(tx, deal.id, "manager_keep", historyAt(ctx));
  const waiver = await tx.waiver.create({
    data: {
      opportunityId: deal.id,
      kind: "manager_keep",
      reason: input.reason,
      until: input.until,
      byId: ctx.actor.userId,
      createdAt: historyAt(ctx),
    },
  });
  const until = input.until.toISOString().slice(0, 10);
  await recordDecision(tx, ctx, deal.id, "keep_with_waiver", input.reason, input.reviewId, { until });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "deal.keep_with_waiver",
    entityType: "opportunity",
    entityId: deal.id,
    before: null,
    after: { waiver: "manager_keep", until, reason: input.reason },
    at: ctx.now,
  });
  await reevaluate(tx, ctx, [deal.id]);
  return { dealId: deal.id, waiverId: waiver.id };
}

/** The buyer asked for time: no nagging to follow up until the date. */
export async function recordWaitingOnBuyer(tx: Transaction, ctx: ChangeContext, input: WaitingOnBuyerInput) {
  const deal = await loadForChange(tx, ctx, input.dealId, input.version);
  requireOpen(deal, "marked as waiting on the buyer");
  // Capped (SPEC: at most 30 days, a setting) so nobody parks a deal for a
  // season on their own word: longer needs a manager's keep waiver.
  const { days: maxDays, note } = await waiverLimit(tx, ctx, deal.ownerId, "maxWaitingOnBuyerDays");
  const ahead = daysAhead(ctx.asOf, input.until);
  if (ahead < 1 || ahead > maxDays) {
    const latest = startOfUtcDayNumber(utcDayNumber(ctx.asOf) + maxDays)
      .toISOString()
      .slice(0, 10);
    const longer =
      ctx.actor.role === "rep"
        ? "If the buyer needs longer, ask your manager to keep the deal with a waiver."
        : "For longer, keep the deal with a waiver.";
    throw new ActionRefused(
      `Waiting on the buyer can run at most ${maxDays} days${note}: pick a day after today and up to ${latest}. ${longer}`,
      "invalid",
    );
  }
  await claimVersion(tx, deal.id, deal.version, deal.name);
  await endActiveWaivers(tx, deal.id, "waiting_on_buyer", historyAt(ctx));
  const waiver = await tx.waiver.create({
    data: {
      opportunityId: deal.id,
      kind: "waiting_on_buyer",
      reason: input.reason,
      until: input.until,
      byId: ctx.actor.userId,
      createdAt: historyAt(ctx),
    },
  });
  const until = input.until.toISOString().slice(0, 10);
  await recordDecision(tx, ctx, deal.id, "waiting_on_buyer", input.reason, undefined, { until });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "deal.waiting_on_buyer",
    entityType: "opportunity",
    entityId: deal.id,
    before: null,
    after: { waiver: "waiting_on_buyer", until, reason: input.reason },
    at: ctx.now,
  });
  await reevaluate(tx, ctx, [deal.id]);
  return { dealId: deal.id, waiverId: waiver.id };
}

/**
 * Adds an activity. It does not bump the deal's version: logging a call must
 * not invalidate a colleague's open edit form.
 */
export async function logDealActivity(tx: Transaction, ctx: ChangeContext, input: LogActivityInput) {
  await assertCanActOnDeals(tx, ctx.actor, [input.dealId]);
  if (input.at.getTime() > ctx.now.getTime() + 5 * 60_000) {
    throw new ActionRefused("An activity cannot be in the future: log it once it has happened.", "invalid");
  }
  const activity = await tx.activity.create({
    data: {
      opportunityId: input.dealId,
      type: input.type,
      side: input.side,
      at: input.at,
      summary: input.summary ?? null,
      byId: ctx.actor.userId,
    },
  });
  await refreshRollups(tx, [input.dealId]);
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "deal.log_activity",
    entityType: "opportunity",
    entityId: input.dealId,
    before: null,
    after: { activityId: activity.id, type: input.type, side: input.side, at: input.at.toISOString() },
    at: ctx.now,
  });
  await reevaluate(tx, ctx, [input.dealId]);
  return { dealId: input.dealId, activityId: activity.id };
}

/** Next step, expected close date (a later date is a push) and amount, with history. */
export async function updateDealDetails(tx: Transaction, ctx: ChangeContext, input: UpdateDealInput) {
  const deal = await loadForChange(tx, ctx, input.dealId, input.version);
  await claimVersion(tx, deal.id, deal.version, deal.name);
  const before: Record<string, string | null> = {};
  const after: Record<string, string | null> = {};
  const data: { nextStep?: string | null; expectedCloseDate?: Date; amount?: string } = {};

  if (input.nextStep !== undefined && input.nextStep !== (deal.nextStep ?? "")) {
    data.nextStep = input.nextStep || null;
    before.nextStep = deal.nextStep;
    after.nextStep = data.nextStep;
  }
  const oldClose = deal.expectedCloseDate;
  if (input.expectedCloseDate && input.expectedCloseDate.getTime() !== oldClose?.getTime()) {
    data.expectedCloseDate = input.expectedCloseDate;
    before.expectedCloseDate = oldClose ? oldClose.toISOString().slice(0, 10) : null;
    after.expectedCloseDate = input.expectedCloseDate.toISOString().slice(0, 10);
    await recordCloseDateEdits(tx, [
      {
        opportunityId: deal.id,
        fromDate: oldClose,
        toDate: input.expectedCloseDate,
        at: historyAt(ctx),
        byId: ctx.actor.userId,
      },
    ]);
  }
  if (input.amount !== undefined && deal.amount.toFixed(2) !== Number(input.amount).toFixed(2)) {
    data.amount = input.amount;
    before.amount = deal.amount.toFixed(2);
    after.amount = Number(input.amount).toFixed(2);
    await tx.amountChange.create({
      data: {
        opportunityId: deal.id,
        fromAmount: deal.amount,
        toAmount: input.amount,
        at: historyAt(ctx),
        byId: ctx.actor.userId,
      },
    });
  }
  if (Object.keys(after).length === 0) {
    throw new ActionRefused("Nothing changed: the values are the same as before.", "invalid");
  }
  const pushed = data.expectedCloseDate && isCloseDatePush(oldClose, data.expectedCloseDate);
  await tx.opportunity.update({
    where: { id: deal.id },
    data: { ...data, closeDatePushCount: pushed ? { increment: 1 } : undefined },
  });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "deal.update",
    entityType: "opportunity",
    entityId: deal.id,
    before,
    after,
    at: ctx.now,
  });
  await reevaluate(tx, ctx, [deal.id]);
  return { dealId: deal.id, changed: Object.keys(after), pushed: Boolean(pushed) };
}

/**
 * The same action on many deals, all or nothing: every deal is checked for
 * permission first, and any refusal (another team's deal, a deal changed by
 * someone else, a deal already in the first stage) rolls the whole batch back.
 */
export async function applyBulkAction(tx: Transaction, ctx: ChangeContext, input: BulkActionInput) {
  const dealIds = input.deals.map((deal) => deal.dealId);
  if (new Set(dealIds).size !== dealIds.length) throw new ActionRefused("A deal was selected twice.", "invalid");
  await assertCanActOnDeals(tx, ctx.actor, dealIds);
  const step = { reevaluate: false };
  for (const { dealId, version } of input.deals) {
    if (input.action === "move_back") {
      await moveDealBack(tx, ctx, { dealId, version, reason: input.reason, reviewId: input.reviewId }, step);
    } else if (input.action === "return_to_prospecting") {
      if (!input.reason) throw new ActionRefused("Give a reason for returning the deals to prospecting.", "invalid");
      await returnDealToProspecting(tx, ctx, { dealId, version, reason: input.reason, reviewId: input.reviewId }, step);
    } else {
      const reason = input.reason ?? "stale — removed in review";
      await removeDealFromPipeline(tx, ctx, { dealId, version, reason, reviewId: input.reviewId }, step);
    }
  }
  await reevaluate(tx, ctx, dealIds);
  return { action: input.action, dealIds };
}
