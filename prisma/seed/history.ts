// Turns a deal plan into the rows the app stores — the opportunity, its stage
// changes, activities, close-date and amount changes — and computes the
// opportunity's rollup columns from exactly those rows, the way
// lib/deals/history.ts `refreshRollups` does:
// - lastActivityAt / lastBuyerActivityAt / lastSellerActivityAt: latest
//   activity `at`, overall and per side;
// - stageEnteredAt: the latest stage change into the deal's current stage and
//   status (for a closed deal, the won / lost change), else openedAt;
// - lastForwardMoveAt: the latest `forward` stage change;
// - closeDatePushCount: close-date changes that pushed the date later.
//
// Conventions shared with lib/deals/mutations.ts: a deal leaving the pipeline
// (won, lost, back to prospecting) gets a stage change that keeps its stage
// (fromStageId = toStageId = the last stage) and changes its status.
import { dayToDate, instantOn, workdayNear } from "./calendar";
import type { DealPlan } from "./deal-plans";
import type { Random } from "./random";
import {
  type ActivityRow,
  type ActivitySide,
  type ActivityType,
  type AmountChangeRow,
  type CloseDateChangeRow,
  centsToDecimal,
  type OpportunityRow,
  type StageChangeRow,
} from "./rows";
import { DEMO_SOURCE } from "./stories";
import { ACTIVITY_SUMMARIES, BUYER_ACTIVITY_MIX, NEXT_STEPS, SELLER_ACTIVITY_MIX } from "./vocabulary";

export interface HistoryRows {
  opportunities: OpportunityRow[];
  stageChanges: StageChangeRow[];
  activities: ActivityRow[];
  closeDateChanges: CloseDateChangeRow[];
  amountChanges: AmountChangeRow[];
}

/** What the weekly snapshots need to know about one deal over time (epoch ms). */
export interface DealTimeline {
  ownerId: string;
  teamId: string;
  openedMs: number;
  /** When it left the pipeline (won, lost, back to prospecting); null while open. */
  leftMs: number | null;
  wonMs: number | null;
  /** [from, cents], oldest first; the first starts at opening. */
  amountSteps: Array<[number, number]>;
  /** [from, stage order], oldest first. */
  stageSteps: Array<[number, number]>;
  forwardMs: number[];
  /** Sorted activity instants, and the buyer's alone. */
  activityMs: number[];
  buyerMs: number[];
}

const FALL_BACK_REASONS = [
  "Buyer asked to revisit the solution",
  "Proposal sent back for rework",
  "New stakeholder joined — back a step",
];

export function emptyHistoryRows(): HistoryRows {
  return { opportunities: [], stageChanges: [], activities: [], closeDateChanges: [], amountChanges: [] };
}

/**
 * Writes deals' history rows into batches. Ids of history rows are assigned
 * here and keep counting across batches, so a batch can be loaded and
 * dropped before the next one is generated (2M activities never sit in
 * memory at once).
 */
export class HistoryWriter {
  /** The next id of each history table. */
  private readonly nextId: NextIds = { stageChange: 1, activity: 1, closeDateChange: 1, amountChange: 1 };
  private rows: HistoryRows = emptyHistoryRows();

  constructor(private readonly rng: Random) {}

  /**
   * Writes one deal. Returns its timeline for the weekly snapshots, or null
   * when `timelineFrom` (epoch ms) is given and the deal left the pipeline
   * before it — the snapshots would not count it.
   */
  write(plan: DealPlan, timelineFrom?: number): DealTimeline | null {
    return writeDealHistory(plan, this.rng, this.rows, this.nextId, timelineFrom);
  }

  /** The rows written since the last call. */
  takeBatch(): HistoryRows {
    const batch = this.rows;
    this.rows = emptyHistoryRows();
    return batch;
  }
}

interface NextIds {
  stageChange: number;
  activity: number;
  closeDateChange: number;
  amountChange: number;
}

function writeDealHistory(
  plan: DealPlan,
  rng: Random,
  rows: HistoryRows,
  ids: NextIds,
  timelineFrom: number | undefined,
): DealTimeline | null {
  const owner = plan.rep.user.id;
  const dealId = plan.id;
  const firstVisit = plan.visits[0];
  if (!firstVisit) throw new Error(`Deal ${plan.externalId} has no stages`);
  const openedDay = firstVisit.day;
  const openedAt = instantOn(openedDay, 13, rng.int(0, 59));
  const exitAt = plan.exit ? instantOn(plan.exit.day, 21, rng.int(0, 59)) : null;
  const withTimeline = timelineFrom === undefined || exitAt === null || exitAt.getTime() >= timelineFrom;
  const status = plan.exit?.status ?? "open";
  const lastVisit = plan.visits[plan.visits.length - 1] as (typeof plan.visits)[number];
  const stageId = lastVisit.order;

  // Stage changes: created, forward / back moves, then the exit.
  let stageEnteredAt = openedAt;
  let lastForwardMoveAt: Date | null = null;
  let lastEventMs = openedAt.getTime();
  const stageSteps: Array<[number, number]> = [];
  const forwardMs: number[] = [];
  for (let i = 0; i < plan.visits.length; i++) {
    const visit = plan.visits[i] as (typeof plan.visits)[number];
    const previous = plan.visits[i - 1];
    const at = i === 0 ? openedAt : instantOn(visit.day, 15 + rng.int(0, 3), rng.int(0, 59));
    const direction = !previous ? "created" : visit.order > previous.order ? "forward" : "back";
    rows.stageChanges.push({
      id: ids.stageChange++,
      opportunityId: dealId,
      fromStageId: previous ? previous.order : null,
      toStageId: visit.order,
      fromStatus: previous ? "open" : null,
      toStatus: "open",
      direction,
      at,
      byId: owner,
      reason: direction === "back" ? rng.pick(FALL_BACK_REASONS) : null,
    });
    stageSteps.push([at.getTime(), visit.order]);
    if (direction === "forward") {
      lastForwardMoveAt = at;
      forwardMs.push(at.getTime());
    }
    if (visit.order === stageId) stageEnteredAt = at;
    lastEventMs = at.getTime();
  }
  if (plan.exit && exitAt) {
    rows.stageChanges.push({
      id: ids.stageChange++,
      opportunityId: dealId,
      fromStageId: stageId,
      toStageId: stageId,
      fromStatus: "open",
      toStatus: plan.exit.status,
      direction: plan.exit.status === "prospect" ? "to_prospect" : plan.exit.status,
      at: exitAt,
      byId: owner,
      reason: plan.exit.reason,
    });
    stageEnteredAt = exitAt;
    lastEventMs = exitAt.getTime();
  }

  // Activities: the pinned ones, then extras spread over each side's active days;
  // ids in time order within the deal.
  const activity = plan.activity;
  const dealActivities: ActivityRow[] = [];
  const place = (day: number, side: ActivitySide, type: ActivityType, summary?: string, hour?: number) => {
    dealActivities.push({
      id: 0,
      opportunityId: dealId,
      type,
      side,
      at: instantOn(day, hour ?? rng.int(14, 20), rng.int(0, 59)),
      summary: summary ?? rng.pick(ACTIVITY_SUMMARIES[side][type]),
      byId: side === "seller" ? owner : null,
    });
  };
  for (const pinned of activity.pinned) place(pinned.day, pinned.side, pinned.type, pinned.summary, pinned.hour);
  for (let n = 0; n < activity.extra; n++) {
    const side: ActivitySide = activity.buyerUntilDay !== null && rng.chance(activity.buyerShare) ? "buyer" : "seller";
    const until = side === "buyer" ? (activity.buyerUntilDay as number) : activity.sellerUntilDay;
    const day = workdayNear(rng.int(openedDay, until), openedDay, until);
    place(day, side, rng.weighted(side === "buyer" ? BUYER_ACTIVITY_MIX : SELLER_ACTIVITY_MIX));
  }
  dealActivities.sort((a, b) => a.at.getTime() - b.at.getTime());
  let lastActivityAt: Date | null = null;
  let lastBuyerActivityAt: Date | null = null;
  let lastSellerActivityAt: Date | null = null;
  const activityMs: number[] = [];
  const buyerMs: number[] = [];
  for (const row of dealActivities) {
    row.id = ids.activity++;
    rows.activities.push(row);
    lastActivityAt = row.at;
    if (row.side === "buyer") lastBuyerActivityAt = row.at;
    else lastSellerActivityAt = row.at;
    if (withTimeline) {
      activityMs.push(row.at.getTime());
      if (row.side === "buyer") buyerMs.push(row.at.getTime());
    }
  }
  if (lastActivityAt && lastActivityAt.getTime() > lastEventMs) lastEventMs = lastActivityAt.getTime();

  // Expected close date: pushed while the rep still worked the deal and it had not closed.
  const close = plan.closeDate;
  let expectedClose = close.initialDay;
  let pushes = 0;
  let lastEditDay = openedDay;
  while (expectedClose < close.pushWhileBeforeDay && pushes < close.maxPushes) {
    const editDay = Math.max(lastEditDay + 1, expectedClose - rng.int(0, 4));
    if (editDay > close.lastEditDay) break;
    let next = expectedClose + rng.int(close.pushDays[0], close.pushDays[1]);
    const lastAllowed = pushes === close.maxPushes - 1;
    if (lastAllowed && close.landAfterDay !== undefined && next <= close.landAfterDay) {
      next = close.landAfterDay + rng.int(10, 60);
    }
    const at = instantOn(editDay, 16, rng.int(0, 59));
    rows.closeDateChanges.push({
      id: ids.closeDateChange++,
      opportunityId: dealId,
      fromDate: dayToDate(expectedClose),
      toDate: dayToDate(next),
      isPush: true,
      at,
      byId: owner,
    });
    expectedClose = next;
    lastEditDay = editDay;
    pushes++;
    if (at.getTime() > lastEventMs) lastEventMs = at.getTime();
  }

  // Amount edits: the amount the deal opened with, then each edit up to today's.
  const amountSteps: Array<[number, number]> = [];
  const editUntil = Math.min(plan.exit ? plan.exit.day : activity.sellerUntilDay, activity.sellerUntilDay);
  const edits = editUntil - openedDay >= 6 ? plan.amountEdits : 0;
  const amounts = [plan.amountCents];
  for (let e = 0; e < edits; e++) amounts.unshift(earlierAmount(rng, amounts[0] as number));
  amountSteps.push([openedAt.getTime(), amounts[0] as number]);
  let editDay = openedDay + 2;
  for (let e = 0; e < edits; e++) {
    editDay = rng.int(editDay + 1, Math.max(editDay + 1, editUntil - (edits - e - 1) * 2));
    const at = instantOn(Math.min(editDay, editUntil), 17, rng.int(0, 59));
    rows.amountChanges.push({
      id: ids.amountChange++,
      opportunityId: dealId,
      fromAmount: centsToDecimal(amounts[e] as number),
      toAmount: centsToDecimal(amounts[e + 1] as number),
      at,
      byId: owner,
    });
    amountSteps.push([at.getTime(), amounts[e + 1] as number]);
    if (at.getTime() > lastEventMs) lastEventMs = at.getTime();
  }

  rows.opportunities.push({
    id: dealId,
    source: DEMO_SOURCE,
    externalId: plan.externalId,
    name: plan.name,
    accountId: plan.accountId,
    ownerId: owner,
    amount: centsToDecimal(plan.amountCents),
    currency: "USD",
    stageId,
    status,
    openedAt,
    expectedCloseDate: dayToDate(expectedClose),
    closedAt: plan.exit && plan.exit.status !== "prospect" ? exitAt : null,
    nextStep: status === "open" ? (plan.nextStep ?? rng.pick(NEXT_STEPS)) : null,
    lostReason: status === "lost" ? (plan.exit?.reason ?? null) : null,
    lastActivityAt,
    lastBuyerActivityAt,
    lastSellerActivityAt,
    stageEnteredAt,
    lastForwardMoveAt,
    closeDatePushCount: pushes,
    createdAt: openedAt,
    updatedAt: new Date(lastEventMs),
  });

  if (!withTimeline) return null;
  return {
    ownerId: owner,
    teamId: plan.rep.team.row.id,
    openedMs: openedAt.getTime(),
    leftMs: exitAt ? exitAt.getTime() : null,
    wonMs: plan.exit?.status === "won" && exitAt ? exitAt.getTime() : null,
    amountSteps,
    stageSteps,
    forwardMs,
    activityMs,
    buyerMs,
  };
}

/** The amount before an edit: 70–130% of it, in whole $500 steps, never the same. */
function earlierAmount(rng: Random, cents: number): number {
  const step = 50_000;
  for (let attempt = 0; attempt < 5; attempt++) {
    const earlier = Math.max(step, Math.round((cents * rng.between(0.7, 1.3)) / step) * step);
    if (earlier !== cents) return earlier;
  }
  return cents + step;
}
