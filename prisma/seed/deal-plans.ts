// What happens to each deal, decided before any row is written: which stages
// it went through and when, how it ended, until when each side was active,
// and how its expected close date was handled. history.ts turns a plan into
// rows; keeping the two apart lets the generator settle amounts and the
// activity budget across all deals first.
//
// Open deals come in four conditions, in a sales manager's words:
// - moving: recent buyer activity and stage progress, close date ahead;
// - slow: still worked, but the buyer went quiet weeks ago and the stage drags;
// - stale: nobody touched it for months; the close date passed or was pushed
//   again and again;
// - unanswered: the buyer keeps engaging and the rep stopped following up.
import { workdayNear } from "./calendar";
import type { RepProfile } from "./people";
import type { Random } from "./random";
import type { ActivitySide, ActivityType, DealStatus } from "./rows";
import { DEMO_STAGES, FIRST_STAGE, LAST_STAGE, stageByOrder } from "./stages";

export type OpenCondition = "moving" | "slow" | "stale" | "unanswered";

export interface StageVisit {
  /** Stage order (= stage id in the demo). */
  order: number;
  /** UTC day the deal entered the stage; the first visit is the day it opened. */
  day: number;
}

export interface DealExit {
  status: Exclude<DealStatus, "open">;
  day: number;
  reason: string | null;
}

/** An activity placed on a given day (story deals, and each deal's anchors). */
export interface PinnedActivity {
  day: number;
  side: ActivitySide;
  type: ActivityType;
  summary?: string;
  /** Hour of day (UTC); random between 14:00 and 20:59 when not given. */
  hour?: number;
}

export interface ActivityPlan {
  pinned: PinnedActivity[];
  /** Last day each side did anything; null = the buyer never did. */
  sellerUntilDay: number;
  buyerUntilDay: number | null;
  /** Share of the extra activities that are the buyer's. */
  buyerShare: number;
  /** The deal's share of the activity budget (0 for scripted story deals). */
  budgetWeight: number;
  /** Extra activities, spread between opening and each side's last day. */
  extra: number;
}

export interface CloseDatePlan {
  /** The date the rep first expected to close. */
  initialDay: number;
  /** The rep pushes the date while it is before this day… */
  pushWhileBeforeDay: number;
  /** …at most this often… */
  maxPushes: number;
  /** …each time by this many days… */
  pushDays: readonly [number, number];
  /** …and only on days they still worked the deal. */
  lastEditDay: number;
  /** The last allowed push lands at least this far out (diligent reps). */
  landAfterDay?: number;
}

export interface DealPlan {
  id: number;
  externalId: string;
  name: string;
  accountId: number;
  rep: RepProfile;
  amountCents: number;
  /** How many times the amount was edited after the deal opened (0–2). */
  amountEdits: number;
  condition: OpenCondition | "closed";
  visits: StageVisit[];
  exit: DealExit | null;
  activity: ActivityPlan;
  closeDate: CloseDatePlan;
  nextStep: string | null;
}

export type DealPlanInput = Omit<DealPlan, "id" | "externalId" | "name" | "accountId" | "nextStep"> & {
  nextStep?: string | null;
};

// ---------------------------------------------------------------- stages

/** How long a deal spends in a stage: the stage's typical days at the rep's pace, with spread. */
export function stageDays(rng: Random, order: number, pace: number, drag = 1, sigma = 0.45): number {
  return Math.max(1, Math.round(stageByOrder(order).typicalDays * pace * drag * rng.logNormalFactor(sigma)));
}

/**
 * The stage orders a deal passes through from `from` to `to`; sometimes it
 * falls back a stage on the way (a demo that needs redoing, a proposal sent
 * back) and returns.
 */
export function stagePath(rng: Random, from: number, to: number, fallBackChance: number): number[] {
  const orders: number[] = [];
  for (let order = from; order <= to; order++) orders.push(order);
  if (to >= 3 && rng.chance(fallBackChance)) {
    const at = rng.int(Math.max(3, from + 1), to);
    orders.splice(orders.indexOf(at) + 1, 0, at - 1, at);
  }
  return orders;
}

/** Visits for a path, given the day the last stage was entered and the durations before it. */
function visitsEndingAt(orders: number[], lastEnteredDay: number, durations: number[]): StageVisit[] {
  const visits: StageVisit[] = new Array(orders.length);
  let day = lastEnteredDay;
  for (let i = orders.length - 1; i >= 0; i--) {
    visits[i] = { order: orders[i] as number, day };
    if (i > 0) day -= durations[i - 1] as number;
  }
  return visits;
}

function durationsFor(rng: Random, orders: number[], pace: number, drag: number, won: boolean): number[] {
  return orders.map((order, i) => {
    const revisit = orders.indexOf(order) < i;
    let days = stageDays(rng, order, pace, revisit ? drag * 0.5 : drag);
    const limit = stageByOrder(order).maxDaysInStage;
    // Deals that were won mostly respected the stage limits.
    if (won && limit !== null) days = Math.min(days, limit + 3);
    return days;
  });
}

function startingStage(rng: Random): number {
  // Inbound deals that arrive qualified start in Qualification.
  return rng.chance(0.15) ? 2 : FIRST_STAGE;
}

// ---------------------------------------------------------------- open deals

export interface OpenDealOptions {
  condition: OpenCondition;
  todayDay: number;
  /** A new Discovery deal opened within this many days. */
  openedWithinDays?: number;
  /** Never opened on or after this day (the sales-trap team stopped adding deals). */
  openedBeforeDay?: number;
}

const OPEN_STAGE_MIX: Record<OpenCondition, ReadonlyArray<readonly [number, number]>> = {
  moving: [
    [1, 12],
    [2, 24],
    [3, 27],
    [4, 21],
    [5, 16],
  ],
  slow: [
    [1, 22],
    [2, 25],
    [3, 25],
    [4, 16],
    [5, 12],
  ],
  stale: [
    [1, 35],
    [2, 25],
    [3, 20],
    [4, 12],
    [5, 8],
  ],
  unanswered: [
    [1, 15],
    [2, 30],
    [3, 35],
    [4, 20],
  ],
};

/** A stage's "normal" stay for a deal that is moving: under its limit or under twice a won deal's stay. */
function normalStayLimit(order: number, pace: number): number {
  const stage = stageByOrder(order);
  return stage.maxDaysInStage !== null
    ? stage.maxDaysInStage - 4
    : Math.max(2, Math.round(1.6 * stage.typicalDays * pace));
}

export function planOpenDeal(
  rng: Random,
  rep: RepProfile,
  amountCents: number,
  options: OpenDealOptions,
): DealPlanInput {
  const { condition, todayDay } = options;
  const yesterday = todayDay - 1;
  const pace = rep.pace;
  const brandNew = options.openedWithinDays !== undefined;
  let current = brandNew ? FIRST_STAGE : rng.weighted(OPEN_STAGE_MIX[condition]);
  if (options.openedBeforeDay !== undefined && current === FIRST_STAGE) current = 2;
  // A deal moved back in time must have a first stage before its current one to stretch.
  const start =
    current === FIRST_STAGE || options.openedBeforeDay !== undefined
      ? FIRST_STAGE
      : Math.min(startingStage(rng), current);
  const orders = stagePath(rng, start, current, condition === "slow" ? 0.12 : 0.05);

  let visits: StageVisit[];
  let sellerUntilDay: number;
  let buyerUntilDay: number | null;
  let buyerShare: number;
  let intensity: number;
  let closeDate: Omit<CloseDatePlan, "initialDay">;

  switch (condition) {
    case "moving": {
      const inStage = brandNew
        ? rng.int(1, options.openedWithinDays as number)
        : rng.int(1, normalStayLimit(current, pace));
      visits = visitsEndingAt(orders, todayDay - inStage, durationsFor(rng, orders, pace, 1, false));
      const opened = visits[0]?.day ?? todayDay - inStage;
      sellerUntilDay = Math.max(opened, workdayNear(todayDay - rng.int(1, 6), opened, yesterday));
      // Only a deal opened in the last few days may have heard nothing from the buyer yet.
      const waitingForFirstReply = current === FIRST_STAGE && inStage <= 5 && rng.chance(0.5);
      buyerUntilDay = waitingForFirstReply
        ? null
        : Math.max(opened, workdayNear(todayDay - rng.int(1, 9), opened, yesterday));
      buyerShare = 0.42;
      intensity = 1.3;
      closeDate = {
        pushWhileBeforeDay: todayDay + 3,
        maxPushes: 1,
        pushDays: [14, 45],
        lastEditDay: yesterday,
        landAfterDay: todayDay + 3,
      };
      break;
    }
    case "slow": {
      const stage = stageByOrder(current);
      const inStage =
        stage.maxDaysInStage !== null
          ? rng.int(stage.maxDaysInStage + 3, stage.maxDaysInStage * 3)
          : rng.int(Math.round(2.2 * stage.typicalDays * pace), Math.round(5 * stage.typicalDays * pace));
      visits = visitsEndingAt(orders, todayDay - inStage, durationsFor(rng, orders, pace, 1.3, false));
      const opened = visits[0]?.day ?? todayDay - inStage;
      sellerUntilDay = Math.max(opened, workdayNear(todayDay - rng.int(4, 25), opened, yesterday));
      buyerUntilDay = rng.chance(0.1)
        ? null
        : Math.max(opened, workdayNear(todayDay - rng.int(15, 60), opened, yesterday));
      buyerShare = 0.3;
      intensity = 0.9;
      closeDate = { pushWhileBeforeDay: sellerUntilDay, maxPushes: 3, pushDays: [14, 45], lastEditDay: sellerUntilDay };
      break;
    }
    case "stale": {
      const stuffed = rep.style === "stuffed";
      const lastTouch = todayDay - (stuffed ? rng.int(75, 400) : rng.int(60, 320));
      const opened = lastTouch - (stuffed ? rng.int(60, 500) : rng.int(40, 380));
      // Stage moves happened while the deal was still worked: squeeze them in.
      const durations = durationsFor(rng, orders, pace, 1.5, false);
      const before = durations.slice(0, -1);
      const room = Math.max(orders.length - 1, lastTouch - 3 - opened);
      const needed = before.reduce((a, b) => a + b, 0);
      const scale = needed > room ? room / needed : 1;
      visits = [];
      let day = opened;
      orders.forEach((order, i) => {
        visits.push({ order, day });
        day += Math.max(1, Math.floor((before[i] ?? 0) * scale));
      });
      sellerUntilDay = lastTouch;
      buyerUntilDay = rng.chance(stuffed ? 0.35 : 0.25)
        ? null
        : Math.max(opened, lastTouch - (stuffed ? rng.int(20, 200) : rng.int(0, 120)));
      buyerShare = 0.25;
      intensity = 0.6;
      closeDate = {
        pushWhileBeforeDay: lastTouch,
        maxPushes: stuffed ? 6 : 5,
        pushDays: [20, 75],
        lastEditDay: lastTouch,
      };
      break;
    }
    case "unanswered": {
      // The rep's last touch was 3–6 weeks ago; the deal entered its stage before that.
      let gap = rng.int(22, 40);
      if (current === 4) gap = Math.min(gap, rng.int(22, 27));
      const room = current === 4 ? 29 - gap : 15;
      const inStage = gap + rng.int(1, Math.max(1, room));
      visits = visitsEndingAt(orders, todayDay - inStage, durationsFor(rng, orders, pace, 1, false));
      const opened = visits[0]?.day ?? todayDay - inStage;
      sellerUntilDay = Math.max(opened, todayDay - gap);
      buyerUntilDay = Math.max(opened, todayDay - rng.int(1, 8));
      buyerShare = 0.45;
      intensity = 1;
      closeDate = {
        pushWhileBeforeDay: sellerUntilDay,
        maxPushes: 1,
        pushDays: [14, 45],
        lastEditDay: sellerUntilDay,
        landAfterDay: sellerUntilDay + 25,
      };
      break;
    }
  }

  if (options.openedBeforeDay !== undefined) visits = openedBefore(rng, visits, options.openedBeforeDay);
  const openedDay = (visits[0] as StageVisit).day;
  const lastDay = Math.max(sellerUntilDay, buyerUntilDay ?? sellerUntilDay);
  return {
    rep,
    amountCents,
    amountEdits: amountEditCount(rng),
    condition,
    visits,
    exit: null,
    activity: {
      pinned: anchors(rng, openedDay, sellerUntilDay, buyerUntilDay),
      sellerUntilDay,
      buyerUntilDay,
      buyerShare,
      budgetWeight: intensity * (lastDay - openedDay + 1) ** 0.85,
      extra: 0,
    },
    closeDate: { initialDay: openedDay + plannedCycleDays(rng, pace), ...closeDate },
  };
}

/** Stretches the first stage so the deal opened up to four months before `day` (the pipeline was built then). */
function openedBefore(rng: Random, visits: StageVisit[], day: number): StageVisit[] {
  const first = visits[0];
  const second = visits[1];
  if (!first || first.day < day) return visits;
  const opened = Math.min(day - rng.int(3, 120), second ? second.day - 1 : first.day);
  return [{ order: first.order, day: opened }, ...visits.slice(1)];
}

// ---------------------------------------------------------------- closed deals

export interface ClosedDealOptions {
  status: Exclude<DealStatus, "open">;
  closeDay: number;
  reason: string | null;
}

const LOST_AT_STAGE: ReadonlyArray<readonly [number, number]> = [
  [1, 30],
  [2, 25],
  [3, 20],
  [4, 15],
  [5, 10],
];

export function planClosedDeal(
  rng: Random,
  rep: RepProfile,
  amountCents: number,
  options: ClosedDealOptions,
): DealPlanInput {
  const { status, closeDay } = options;
  const won = status === "won";
  const start = startingStage(rng);
  let last: number;
  if (won) last = rng.chance(0.9) ? LAST_STAGE : LAST_STAGE - 1;
  else if (status === "lost") last = Math.max(start, rng.weighted(LOST_AT_STAGE));
  else last = start;
  const orders = stagePath(rng, start, last, won ? 0.06 : 0.08);
  const drag = won ? 1 : 1.25;
  const durations = durationsFor(rng, orders, rep.pace, drag, won);
  const lastStay = durations[durations.length - 1] as number;
  const visits = visitsEndingAt(orders, closeDay - lastStay, durations);
  const openedDay = (visits[0] as StageVisit).day;

  let sellerUntilDay: number;
  let buyerUntilDay: number | null;
  const pinned: PinnedActivity[] = [];
  if (won) {
    sellerUntilDay = closeDay;
    buyerUntilDay = Math.max(openedDay, closeDay - rng.int(0, 3));
    pinned.push({ day: buyerUntilDay, side: "buyer", type: "other", summary: "Signed order form returned" });
  } else if (status === "lost") {
    sellerUntilDay = Math.max(openedDay, closeDay - rng.int(0, 7));
    buyerUntilDay = rng.chance(0.15) ? null : Math.max(openedDay, closeDay - rng.int(7, 60));
  } else {
    sellerUntilDay = Math.max(openedDay, closeDay - rng.int(0, 5));
    buyerUntilDay = rng.chance(0.4) ? null : Math.max(openedDay, closeDay - rng.int(10, 50));
  }
  pinned.push(...anchors(rng, openedDay, sellerUntilDay, won ? null : buyerUntilDay));

  const intensity = won ? 1.3 : status === "lost" ? 0.8 : 0.5;
  return {
    rep,
    amountCents,
    amountEdits: amountEditCount(rng),
    condition: "closed",
    visits,
    exit: { status, day: closeDay, reason: options.reason },
    activity: {
      pinned,
      sellerUntilDay,
      buyerUntilDay,
      buyerShare: won ? 0.42 : 0.28,
      budgetWeight: intensity * (closeDay - openedDay + 1) ** 0.85,
      extra: 0,
    },
    closeDate: {
      initialDay: openedDay + plannedCycleDays(rng, rep.pace),
      pushWhileBeforeDay: closeDay,
      maxPushes: won ? 3 : 2,
      pushDays: [14, 45],
      lastEditDay: closeDay,
    },
    nextStep: null,
  };
}

// ---------------------------------------------------------------- shared

/** The first touch when the deal opened, and each side's last activity. */
function anchors(
  rng: Random,
  openedDay: number,
  sellerUntilDay: number,
  buyerUntilDay: number | null,
): PinnedActivity[] {
  const pinned: PinnedActivity[] = [
    {
      day: openedDay,
      side: "seller",
      type: rng.chance(0.5) ? "call" : "email",
      summary: rng.chance(0.5) ? "Discovery call" : "Intro email",
    },
  ];
  if (sellerUntilDay !== openedDay)
    pinned.push({ day: sellerUntilDay, side: "seller", type: rng.chance(0.6) ? "email" : "call" });
  if (buyerUntilDay !== null)
    pinned.push({ day: buyerUntilDay, side: "buyer", type: rng.chance(0.6) ? "email" : "meeting" });
  return pinned;
}

/** Reps plan optimistically: the first expected close date is 45–110 days out at a normal pace. */
function plannedCycleDays(rng: Random, pace: number): number {
  const typicalCycle = DEMO_STAGES.reduce((sum, stage) => sum + stage.typicalDays, 0);
  return Math.round(typicalCycle * pace * rng.between(0.7, 1.3));
}

function amountEditCount(rng: Random): number {
  const roll = rng.next();
  return roll < 0.8 ? 0 : roll < 0.95 ? 1 : 2;
}
