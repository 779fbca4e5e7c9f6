// When a deal needs judging again. A review that re-judges every open deal
// every day repeats work: most verdicts cannot change until a clock crosses a
// limit, a waiver ends, or the facts or the yardsticks (cycle, stage median)
// change. These two functions say when and on what a deal's verdict depends,
// so the incremental review (lib/reviews) re-judges only the deals whose day
// has come, whose facts changed, or whose yardsticks moved.
//
// Why it can be worked out: with the facts fixed, every clock a rule
// reads (age, days in stage, days since an activity or a forward move, days
// past the close date) grows by one a day, and each rule's answer turns at
// most once — from clear to flagged (the exemption of past-its-time only
// runs out) — while a flag's stored anchors (the days its clocks count from,
// its limit, its counts: explain-flag.ts) stay as they are. Two things move
// besides: the one-sided rule's window counts, which the review reads afresh
// each day (activities leave the window), and waivers starting and ending.
// Facts dated after asOf come into effect at their instant, not their day.
//
// Mirrors lib/rules/deal-rules.ts and waivers.ts rule by rule; recheck.test.ts
// checks it against the real evaluator on random deals, every day and every
// instant that matters.
import { dealClocks, type DealClocks } from "./deal-rules";
import { MS_PER_DAY, utcDayNumber } from "./days";
import { ORGANISATION_LEVEL_OF, type RuleSettings, type TeamThresholds, type ThresholdLevelOf } from "./settings";
import { type AverageCycle, averageCycleForTeam, type RuleContext, stageMediansForTeam } from "./statistics";
import type { DealFacts, DealWaiver } from "./types";

const NEVER = Number.POSITIVE_INFINITY;

/** A rule's answer over the days after asOf, the facts staying the same. */
interface RuleTimeline {
  /** Flagged on asOf's day (before waivers). */
  flagged: boolean;
  /** The first UTC day after asOf's on which its stored answer may differ; NEVER: not by time alone. */
  changesOnDay: number;
}

const NOT_BY_TIME: RuleTimeline = Object.freeze({ flagged: false, changesOnDay: NEVER });
const FLAGGED_FOR_GOOD: RuleTimeline = Object.freeze({ flagged: true, changesOnDay: NEVER });

/**
 * A clock that started on `startDay` is past `limit` ("more than", unrounded:
 * 103.56 days is past on day 104) from this day on.
 */
function firstDayPast(startDay: number, limit: number): number {
  if (Number.isNaN(limit)) return Number.NEGATIVE_INFINITY; // `days <= NaN` never holds: the rule always fires
  return startDay + Math.floor(limit) + 1;
}

/** A clock past its limit from `pastOnDay` on: flagged today, or turning on that day. */
function turnsFlaggedOn(pastOnDay: number, asOfDay: number): RuleTimeline {
  return pastOnDay <= asOfDay ? FLAGGED_FOR_GOOD : { flagged: false, changesOnDay: pastOnDay };
}

/** The day a clock counted as `daysSince` on asOf's day started. */
const startOf = (clocks: DealClocks, daysSince: number) => clocks.asOfDay - daysSince;

/** Open longer than k × the cycle, unless the buyer acted AND it moved forward recently — which runs out. */
function pastItsTime(clocks: DealClocks, cycle: AverageCycle, settings: RuleSettings): RuleTimeline {
  const overLimitOn = firstDayPast(startOf(clocks, clocks.dealAgeDays), settings.pastItsTimeMultiple * cycle.days);
  const buyer = clocks.daysSinceBuyerActivity;
  const forward = clocks.daysSinceForwardMove;
  // The first day the exemption no longer holds (both must be recent).
  const exemptUntil =
    buyer === null || forward === null
      ? clocks.asOfDay
      : Math.min(
          startOf(clocks, buyer) + settings.buyerActivityWithinDays,
          startOf(clocks, forward) + settings.forwardMoveWithinDays,
        ) + 1;
  return turnsFlaggedOn(Math.max(overLimitOn, exemptUntil), clocks.asOfDay);
}

function untouched(clocks: DealClocks, context: RuleContext, settings: RuleSettings): RuleTimeline {
  if (clocks.daysSinceActivity === null && !context.activitiesRecorded) return NOT_BY_TIME; // not judged
  const quietDays = clocks.daysSinceActivity ?? clocks.dealAgeDays;
  return turnsFlaggedOn(firstDayPast(startOf(clocks, quietDays), settings.untouchedDays), clocks.asOfDay);
}

function stuckInStage(deal: DealFacts, clocks: DealClocks, context: RuleContext, settings: RuleSettings): RuleTimeline {
  if (clocks.daysInStage === null) return NOT_BY_TIME; // not judged: no stage history
  let limitDays = deal.stageMaxDaysInStage;
  if (limitDays === null) {
    const median = stageMediansForTeam(context, deal.teamId).get(deal.stageId);
    if (!median || median.sampleSize < settings.minSample) return NOT_BY_TIME; // not judged: too few won deals
    limitDays = settings.stuckInStageMultiple * median.days;
  }
  return turnsFlaggedOn(firstDayPast(startOf(clocks, clocks.daysInStage), limitDays), clocks.asOfDay);
}

function closeDateSlipping(deal: DealFacts, clocks: DealClocks, settings: RuleSettings): RuleTimeline {
  if (deal.closeDatePushCount >= settings.closeDatePushes) return FLAGGED_FOR_GOOD;
  if (clocks.daysPastExpectedClose === null) return NOT_BY_TIME;
  return turnsFlaggedOn(firstDayPast(startOf(clocks, clocks.daysPastExpectedClose), 0), clocks.asOfDay);
}

function followUpGap(clocks: DealClocks, context: RuleContext, settings: RuleSettings): RuleTimeline {
  if (!context.activitiesRecorded) return NOT_BY_TIME; // not judged
  const gapDays = clocks.daysSinceSellerActivity ?? clocks.dealAgeDays;
  return turnsFlaggedOn(firstDayPast(startOf(clocks, gapDays), settings.followUpGapDays), clocks.asOfDay);
}

/**
 * The one-sided rule reads counts the review takes afresh each day over the
 * window ending then (lib/reviews/facts.ts counts them only where the rule
 * could fire: some seller activity in the window and, by the rollups, no
 * buyer activity). With no activity after asOf the counts only fall, so:
 * - flagged: the count — one of the flag's anchors — drops the day the oldest
 *   seller activity counted leaves the window;
 * - clear while the buyer's last activity is in the window: it may fire the
 *   day that activity leaves, if seller activities after it remain;
 * - clear otherwise: too few seller activities, and they only leave.
 * Activities after asOf are handled by the caller (they may come in at any instant).
 */
function oneSided(deal: DealFacts, clocks: DealClocks, context: RuleContext, settings: RuleSettings): RuleTimeline {
  if (!context.activitiesRecorded) return NOT_BY_TIME; // not judged
  const window = settings.oneSidedWindowDays;
  const buyer = clocks.daysSinceBuyerActivity;
  const seller = clocks.daysSinceSellerActivity;
  const buyerInWindow = buyer !== null && buyer <= window;
  if (!buyerInWindow && deal.buyerActivitiesInWindow > 0) {
    // Buyer activities counted that the rollup does not place: when they leave is unknown.
    return { flagged: false, changesOnDay: clocks.asOfDay + 1 };
  }
  const sellerCount = deal.sellerActivitiesInWindow;
  if (buyerInWindow) {
    // A real count below the limit only falls; zero may be "not counted" (the review skips these deals).
    if (sellerCount > 0 && sellerCount < settings.oneSidedSellerActivities) return NOT_BY_TIME;
    const buyerDay = startOf(clocks, buyer);
    const sellerAfterBuyer = seller !== null && startOf(clocks, seller) > buyerDay;
    return sellerAfterBuyer ? { flagged: false, changesOnDay: leavesWindowOn(buyerDay, window) } : NOT_BY_TIME;
  }
  if (sellerCount < settings.oneSidedSellerActivities) return NOT_BY_TIME;
  return { flagged: true, changesOnDay: leavesWindowOn(oldestSellerDayInWindow(deal, clocks, window), window) };
}

/** The first day an activity of `day` is out of a `window`-day window ("in the last N days" includes day N). */
function leavesWindowOn(day: number, window: number): number {
  return day + window + 1;
}

/** The day of the oldest seller activity in the window; asOf's day when unknown (leaving tomorrow, for all we know). */
function oldestSellerDayInWindow(deal: DealFacts, clocks: DealClocks, window: number): number {
  const windowStartDay = clocks.asOfDay - window;
  const oldest = deal.oldestSellerActivityInWindowAt;
  if (oldest) {
    const day = utcDayNumber(oldest);
    if (day >= windowStartDay && day <= clocks.asOfDay) return day;
  }
  // One activity counted: it is the last one.
  const seller = clocks.daysSinceSellerActivity;
  if (deal.sellerActivitiesInWindow === 1 && seller !== null) return Math.max(windowStartDay, startOf(clocks, seller));
  return windowStartDay;
}

/** The UTC day number after which a waiver no longer applies (as waivers.ts caps it). */
function waiverLastDay(waiver: DealWaiver, settings: RuleSettings): number {
  const untilDay = utcDayNumber(waiver.until);
  if (!waiver.createdAt) return untilDay;
  const maxDays = waiver.kind === "manager_keep" ? settings.maxKeepWaiverDays : settings.maxWaitingOnBuyerDays;
  return Math.min(untilDay, utcDayNumber(waiver.createdAt) + maxDays);
}

/**
 * The earliest instant after `asOf` at which this deal's verdict — as stored:
 * each flag's rule, severity and anchors as the episode writer compares them,
 * the suppressed flags and their waivers, the not-judged reasons — may differ
 * from its verdict at `asOf`, the facts and the context staying the same: time
 * passing alone (a day count crossing a limit, a waiver ending or starting, an
 * activity leaving the one-sided window, a fact dated after `asOf` coming into
 * effect). Null: time alone never changes it. Erring early is safe (the deal
 * is judged again for nothing); erring late is a wrong verdict.
 *
 * Exact (the verdict does change then) for a deal with no waiver, no fact
 * dated after asOf and `oldestSellerActivityInWindowAt` loaded — except that
 * a deal whose buyer's last activity is in the one-sided window, with seller
 * activity after it, is judged again the day that activity leaves the window
 * whatever the seller count then.
 */
export function recheckAt(
  deal: DealFacts,
  context: RuleContext,
  settings: RuleSettings,
  asOf: Date,
  thresholds?: TeamThresholds,
): Date | null {
  const asOfMs = asOf.getTime();
  // Not open yet as of asOf: no verdict until it opens.
  if (deal.openedAt.getTime() > asOfMs) return deal.openedAt;
  const effective = thresholds?.(deal.teamId)?.values ?? settings;
  const clocks = dealClocks(deal, asOf);

  const followUp = followUpGap(clocks, context, effective);
  const timelines = [
    pastItsTime(clocks, averageCycleForTeam(context.cycles, deal.teamId), effective),
    untouched(clocks, context, effective),
    stuckInStage(deal, clocks, context, effective),
    closeDateSlipping(deal, clocks, effective),
    oneSided(deal, clocks, context, effective),
    followUp,
  ];
  let earliestDay = NEVER;
  let anyFlag = false;
  for (const timeline of timelines) {
    if (timeline.changesOnDay < earliestDay) earliestDay = timeline.changesOnDay;
    if (timeline.flagged) anyFlag = true;
  }

  let earliestMs = earliestDay === NEVER ? NEVER : Math.max(asOfMs + 1, earliestDay * MS_PER_DAY);

  // Facts dated after asOf count from their instant (deal-rules.ts: "not happened yet" until then).
  earliestMs = earlierAfter(earliestMs, deal.stageEnteredAt, asOfMs);
  earliestMs = earlierAfter(earliestMs, deal.lastForwardMoveAt, asOfMs);
  // An activity rollup after asOf is the latest activity; others after asOf
  // may come before it, each changing the one-sided counts as it comes in:
  // any instant now.
  const activityLater = firstAfter(deal.lastActivityAt, deal.lastBuyerActivityAt, deal.lastSellerActivityAt, asOfMs);
  if (activityLater !== null) {
    earliestMs = earlierAfter(earliestMs, context.activitiesRecorded ? new Date(asOfMs + 1) : activityLater, asOfMs);
  }

  // Waivers matter only while a flag they cover stands: until a rule turns, the flags are today's.
  if (anyFlag) {
    for (const waiver of deal.waivers) {
      if (waiver.endedAt && waiver.endedAt.getTime() <= asOfMs) continue; // replaced: never applies again
      if (!coversAny(waiver.kind, followUp.flagged)) continue;
      earliestMs = earlierAfter(earliestMs, waiver.createdAt ?? null, asOfMs);
      earliestMs = earlierAfter(earliestMs, waiver.endedAt ?? null, asOfMs);
      const endsOn = (waiverLastDay(waiver, effective) + 1) * MS_PER_DAY;
      if (endsOn > asOfMs && endsOn < earliestMs) earliestMs = endsOn;
    }
  }
  return earliestMs === NEVER ? null : new Date(earliestMs);
}

/** The earlier of `earliestMs` and `instant`, counting the instant only when it is after asOf. */
function earlierAfter(earliestMs: number, instant: Date | null, asOfMs: number): number {
  if (instant === null) return earliestMs;
  const ms = instant.getTime();
  return ms > asOfMs && ms < earliestMs ? ms : earliestMs;
}

/** The first of the activity rollups dated after asOf; null when none is. */
function firstAfter(a: Date | null, b: Date | null, c: Date | null, asOfMs: number): Date | null {
  let first: Date | null = null;
  for (const instant of [a, b, c]) {
    if (instant && instant.getTime() > asOfMs && (!first || instant < first)) first = instant;
  }
  return first;
}

/** Whether a waiver of this kind holds back any of the deal's flags (waivers.ts: a keep holds all, a wait only the follow-up nudge). */
function coversAny(kind: DealWaiver["kind"], followUpFlagged: boolean): boolean {
  return kind === "manager_keep" || followUpFlagged;
}

// ---------------------------------------------------------------------------
// The context key.

/** The thresholds the deal rules read, in a fixed order (the key lists their values). */
const THRESHOLDS_READ = [
  "pastItsTimeMultiple",
  "buyerActivityWithinDays",
  "forwardMoveWithinDays",
  "untouchedDays",
  "stuckInStageMultiple",
  "minSample",
  "closeDatePushes",
  "oneSidedSellerActivities",
  "oneSidedWindowDays",
  "followUpGapDays",
  "maxKeepWaiverDays",
  "maxWaitingOnBuyerDays",
] as const satisfies readonly (keyof RuleSettings)[];

/** The thresholds whose level (organisation or the team's) a flag names (`limitSetBy`). */
const LEVELS_NAMED = [
  "pastItsTimeMultiple",
  "untouchedDays",
  "stuckInStageMultiple",
  "closeDatePushes",
  "oneSidedSellerActivities",
  "followUpGapDays",
] as const satisfies readonly (keyof RuleSettings)[];

/** The cycle as past-its-time compares it: its anchors without the sample sizes (explain-flag.ts). */
function cycleRead(cycle: AverageCycle): unknown[] {
  const own = cycle.teamSettings;
  return [
    cycle.days,
    cycle.scope,
    cycle.statistic,
    cycle.teamName ?? null,
    own?.cycleStatistic ?? null,
    own?.lookbackDays ?? null,
    own?.minSample ?? null,
    own?.defaultCycleDays ?? null,
  ];
}

/**
 * The stage median as stuck-in-stage reads it: not at all under a stage's own
 * limit; its days when enough won deals stand behind it; how many when too
 * few (the not-judged reason names the number).
 */
function stageMedianRead(deal: DealFacts, context: RuleContext, settings: RuleSettings): unknown {
  if (deal.stageMaxDaysInStage !== null) return "own limit";
  const median = stageMediansForTeam(context, deal.teamId).get(deal.stageId);
  const sampleSize = median?.sampleSize ?? 0;
  return median && sampleSize >= settings.minSample ? median.days : `too few: ${sampleSize}`;
}

function levelName(levelOf: ThresholdLevelOf, key: keyof RuleSettings): string | null {
  const level = levelOf(key);
  return level.kind === "team" ? level.teamName : null;
}

function describeContext(deal: DealFacts, context: RuleContext, settings: RuleSettings, thresholds?: TeamThresholds) {
  const effective = thresholds?.(deal.teamId);
  const values = effective?.values ?? settings;
  const levelOf = effective?.levelOf ?? ORGANISATION_LEVEL_OF;
  return JSON.stringify([
    cycleRead(averageCycleForTeam(context.cycles, deal.teamId)),
    stageMedianRead(deal, context, values),
    context.activitiesRecorded,
    THRESHOLDS_READ.map((key) => values[key]),
    LEVELS_NAMED.map((key) => levelName(levelOf, key)),
  ]);
}

/**
 * cyrb53 (public domain, bryc): a 53-bit string hash, enough that two
 * different contexts of one deal share a key about once in 10^15 comparisons.
 */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

// A review asks for 100,000 keys over a few thousand (team, stage) pairs: each
// pair's key is worked out once per context, settings and thresholds (all
// read-only once built). By team, then stage: [with the stage's own limit, without].
type KeysByPair = Map<string | null, Map<number, [string | undefined, string | undefined]>>;
const NO_THRESHOLDS = {};
const keyCache = new WeakMap<RuleContext, WeakMap<RuleSettings, WeakMap<object, KeysByPair>>>();

function keysFor(context: RuleContext, settings: RuleSettings, thresholds: TeamThresholds | undefined): KeysByPair {
  let bySettings = keyCache.get(context);
  if (!bySettings) {
    bySettings = new WeakMap();
    keyCache.set(context, bySettings);
  }
  let byThresholds = bySettings.get(settings);
  if (!byThresholds) {
    byThresholds = new WeakMap();
    bySettings.set(settings, byThresholds);
  }
  const thresholdsKey = thresholds ?? NO_THRESHOLDS;
  let keys = byThresholds.get(thresholdsKey);
  if (!keys) {
    keys = new Map();
    byThresholds.set(thresholdsKey, keys);
  }
  return keys;
}

/**
 * Names every value outside the deal's own facts that its verdict reads: its
 * team's cycle, its stage's median, whether the organisation records
 * activities, the thresholds in force and where each was set. Same facts, same
 * key and the same instant give the same verdict; a review compares today's key
 * with the one stored at the deal's last judgement to find deals whose
 * yardsticks moved.
 *
 * Of the deal it reads only its team, its stage and whether the stage has its
 * own day limit: deals sharing those share a key (a review may work keys out
 * per distinct triple). An 11-character hash of the values read:
 * - the team's cycle as its flags' anchors keep it (days, scope, statistic,
 *   team name, the cycle settings the team set) — not its sample size, which
 *   the episode writer does not compare;
 * - the stage's median days when enough won deals stand behind it, or how
 *   many do when too few (the not-judged reason names them); nothing under a
 *   stage's own limit;
 * - whether the organisation records activities;
 * - the thresholds the deal rules read and the level of each a flag names.
 */
export function contextKey(
  deal: DealFacts,
  context: RuleContext,
  settings: RuleSettings,
  thresholds?: TeamThresholds,
): string {
  const keys = keysFor(context, settings, thresholds);
  let byStage = keys.get(deal.teamId);
  if (!byStage) {
    byStage = new Map();
    keys.set(deal.teamId, byStage);
  }
  let pair = byStage.get(deal.stageId);
  if (!pair) {
    pair = [undefined, undefined];
    byStage.set(deal.stageId, pair);
  }
  const ownLimit = deal.stageMaxDaysInStage !== null ? 0 : 1;
  let key = pair[ownLimit];
  if (key === undefined) {
    key = hash53(describeContext(deal, context, settings, thresholds));
    pair[ownLimit] = key;
  }
  return key;
}
