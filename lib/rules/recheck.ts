// When a deal needs judging again. A review that re-judges every open deal
// every day repeats work: most verdicts cannot change until a clock crosses a
// limit, a waiver ends, or the facts or the yardsticks (cycle, stage median)
// change. This module says when (recheckAt) and on what of the yardsticks
// (yardsticksRead) a deal's verdict depends, so the incremental review
// (lib/reviews) re-judges only the deals whose day has come, whose facts
// changed, or whose yardsticks moved as far as their verdict reads them.
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

/** Past its time's answer, and the first day its exemption no longer holds (from then on only the limit decides). */
interface PastItsTimeTimeline extends RuleTimeline {
  exemptUntilDay: number;
}

/** Open longer than k × the cycle, unless the buyer acted AND it moved forward recently — which runs out. */
function pastItsTime(clocks: DealClocks, cycle: AverageCycle, settings: RuleSettings): PastItsTimeTimeline {
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
  return { ...turnsFlaggedOn(Math.max(overLimitOn, exemptUntil), clocks.asOfDay), exemptUntilDay: exemptUntil };
}

function untouched(clocks: DealClocks, context: RuleContext, settings: RuleSettings): RuleTimeline {
  if (clocks.daysSinceActivity === null && !context.activitiesRecorded) return NOT_BY_TIME; // not judged
  const quietDays = clocks.daysSinceActivity ?? clocks.dealAgeDays;
  return turnsFlaggedOn(firstDayPast(startOf(clocks, quietDays), settings.untouchedDays), clocks.asOfDay);
}

/** Stuck in stage's answer, and what of the stage median it read: nothing, its sample size (too few), its days. */
interface StuckTimeline extends RuleTimeline {
  median: "not read" | "too few" | "judged";
}

function stuckInStage(
  deal: DealFacts,
  clocks: DealClocks,
  context: RuleContext,
  settings: RuleSettings,
): StuckTimeline {
  if (clocks.daysInStage === null) return { ...NOT_BY_TIME, median: "not read" }; // not judged: no stage history
  const ownLimit = deal.stageMaxDaysInStage;
  if (ownLimit !== null) {
    return {
      ...turnsFlaggedOn(firstDayPast(startOf(clocks, clocks.daysInStage), ownLimit), clocks.asOfDay),
      median: "not read",
    };
  }
  const median = stageMediansForTeam(context, deal.teamId).get(deal.stageId);
  if (!median || median.sampleSize < settings.minSample) return { ...NOT_BY_TIME, median: "too few" }; // not judged
  const limitDays = settings.stuckInStageMultiple * median.days;
  return {
    ...turnsFlaggedOn(firstDayPast(startOf(clocks, clocks.daysInStage), limitDays), clocks.asOfDay),
    median: "judged",
  };
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
  const { recheckMs } = timeAhead(deal, context, settings, asOf, thresholds);
  return recheckMs === NEVER ? null : new Date(recheckMs);
}

/** recheckAt's instant (NEVER: time alone never changes the verdict), and the two timelines that read yardsticks. */
interface TimeAhead {
  recheckMs: number;
  /** Null for a deal not open yet as of asOf: no verdict, nothing read, until it opens. */
  open: { clocks: DealClocks; pastItsTime: PastItsTimeTimeline; stuck: StuckTimeline } | null;
}

function timeAhead(
  deal: DealFacts,
  context: RuleContext,
  settings: RuleSettings,
  asOf: Date,
  thresholds: TeamThresholds | undefined,
): TimeAhead {
  const asOfMs = asOf.getTime();
  // Not open yet as of asOf: no verdict until it opens.
  if (deal.openedAt.getTime() > asOfMs) return { recheckMs: deal.openedAt.getTime(), open: null };
  const effective = thresholds?.(deal.teamId)?.values ?? settings;
  const clocks = dealClocks(deal, asOf);

  const followUp = followUpGap(clocks, context, effective);
  const pastTime = pastItsTime(clocks, averageCycleForTeam(context.cycles, deal.teamId), effective);
  const stuck = stuckInStage(deal, clocks, context, effective);
  const timelines = [
    pastTime,
    untouched(clocks, context, effective),
    stuck,
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
  return { recheckMs: earliestMs, open: { clocks, pastItsTime: pastTime, stuck } };
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
// The yardsticks: what a verdict reads outside the deal's own facts.
//
// A team's cycle or a stage's median moves most days (a deal won, an old win
// leaving the lookback), but a moved yardstick changes few verdicts: those
// that cite it (a past-its-time flag names the cycle and its limit; a
// stuck-in-stage flag the median; "not judged: 3 won deals …" the sample
// size), and clear deals whose age (days in stage) the new limit reaches
// before their recheck instant. So each judgement stores, per yardstick,
// either the value its verdict cites (judged again when today's differs) or
// the smallest limit in whole days under which it stays clear until its
// recheck instant (judged again when today's limit is below it) — or
// nothing, when no value of that yardstick can change the verdict before
// then. recheckAt stays valid as stored: a deal whose limit moved sooner is
// judged again, and one whose limit moved later is judged at its (now early)
// recheck instant, which is safe. What every deal of a team reads alike —
// the thresholds, the levels a flag names, whether activities are recorded —
// is one key, compared whole (changing any of them also makes the review
// judge every deal: lib/reviews/incremental.ts).

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

/** The cycle as a past-its-time flag cites it: its anchors without the sample sizes (explain-flag.ts). */
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
function stageMedianRead(deal: DealPair, context: RuleContext, settings: RuleSettings): unknown {
  if (deal.stageMaxDaysInStage !== null) return "own limit";
  const median = stageMediansForTeam(context, deal.teamId).get(deal.stageId);
  const sampleSize = median?.sampleSize ?? 0;
  return median && sampleSize >= settings.minSample ? median.days : `too few: ${sampleSize}`;
}

function levelName(levelOf: ThresholdLevelOf, key: keyof RuleSettings): string | null {
  const level = levelOf(key);
  return level.kind === "team" ? level.teamName : null;
}

/** No age is within this limit: every deal with a need is judged again (stored limits are whole days, ≥ 0). */
const NO_LIMIT = -1;
const LARGEST_LIMIT = 2_147_483_647; // an int column

/**
 * A fractional limit in whole days: a whole-day count is within `limit`
 * ("more than" fires, unrounded: 103.56) exactly when it is within its floor.
 * NaN fires on every deal (deal-rules.ts: `days <= NaN` never holds).
 */
function wholeDays(limit: number): number {
  if (Number.isNaN(limit)) return NO_LIMIT;
  return Math.max(NO_LIMIT, Math.min(LARGEST_LIMIT, Math.floor(limit)));
}

/** A deal's yardsticks as of a review, the same for every deal of its team and stage. */
export interface YardsticksToday {
  /** What every deal of the team reads alike: the thresholds, their levels, whether activities are recorded. */
  key: string;
  /** The team's cycle as a past-its-time flag cites it (11 characters). */
  cycle: string;
  /** Past its time's limit in whole days (k × the cycle, floored); -1 for none. */
  ageLimit: number;
  /** The stage median as stuck-in-stage reads it (11 characters). */
  stageMedian: string;
  /** Stuck in stage's limit in whole days by the median (m × the median, floored); -1 when the median
   *  does not judge (too few won deals) or the stage has its own limit. */
  stageLimit: number;
}

/** What a judgement's verdict and recheck instant depend on of its yardsticks: stored with it. */
export interface YardsticksRead {
  /** Today's key when judged: compared whole. */
  key: string;
  /** The cycle its verdict cites (a past-its-time flag, waived or not); null when it cites none. */
  cycleCited: string | null;
  /** Past its time stays clear until the recheck instant while its limit is at least this many whole
   *  days (the deal's age on the last day before then); null: no limit changes that before then. */
  ageLimitNeeded: number | null;
  /** The stage median its verdict cites (a stuck-in-stage flag, or the too-few reason); null when none. */
  stageMedianCited: string | null;
  /** Stuck in stage stays clear until the recheck instant while the median judges it with a limit of at
   *  least this many whole days (its days in stage on the last day before then); null: no median matters. */
  stageLimitNeeded: number | null;
}

function describeKey(deal: DealPair, context: RuleContext, settings: RuleSettings, thresholds?: TeamThresholds) {
  const effective = thresholds?.(deal.teamId);
  const values = effective?.values ?? settings;
  const levelOf = effective?.levelOf ?? ORGANISATION_LEVEL_OF;
  return JSON.stringify([
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

function describeYardsticks(
  deal: DealPair,
  context: RuleContext,
  settings: RuleSettings,
  thresholds: TeamThresholds | undefined,
): YardsticksToday {
  const values = thresholds?.(deal.teamId)?.values ?? settings;
  const cycle = averageCycleForTeam(context.cycles, deal.teamId);
  const median = stageMedianRead(deal, context, values);
  return {
    key: hash53(describeKey(deal, context, settings, thresholds)),
    cycle: hash53(JSON.stringify(cycleRead(cycle))),
    ageLimit: wholeDays(values.pastItsTimeMultiple * cycle.days),
    stageMedian: hash53(JSON.stringify(median)),
    stageLimit: typeof median === "number" ? wholeDays(values.stuckInStageMultiple * median) : NO_LIMIT,
  };
}

// A review asks for 100,000 deals' yardsticks over a few thousand (team, stage)
// pairs: each pair's are worked out once per context, settings and thresholds
// (all read-only once built). By team, then stage: [with the stage's own limit, without].
type ByPair = Map<string | null, Map<number, [YardsticksToday | undefined, YardsticksToday | undefined]>>;
const NO_THRESHOLDS = {};
const pairCache = new WeakMap<RuleContext, WeakMap<RuleSettings, WeakMap<object, ByPair>>>();

function pairsFor(context: RuleContext, settings: RuleSettings, thresholds: TeamThresholds | undefined): ByPair {
  let bySettings = pairCache.get(context);
  if (!bySettings) {
    bySettings = new WeakMap();
    pairCache.set(context, bySettings);
  }
  let byThresholds = bySettings.get(settings);
  if (!byThresholds) {
    byThresholds = new WeakMap();
    bySettings.set(settings, byThresholds);
  }
  const thresholdsKey = thresholds ?? NO_THRESHOLDS;
  let pairs = byThresholds.get(thresholdsKey);
  if (!pairs) {
    pairs = new Map();
    byThresholds.set(thresholdsKey, pairs);
  }
  return pairs;
}

/**
 * All of a deal that its yardsticks read: deals sharing these share them, so
 * a review can work them out for a team and stage without loading a deal.
 */
export type DealPair = Pick<DealFacts, "teamId" | "stageId" | "stageMaxDaysInStage">;

/**
 * Today's yardsticks of a deal: its team's cycle and its stage's median as
 * its verdict would read them, their limits in whole days, and the key of
 * what every deal of the team reads alike (thresholds, levels, whether
 * activities are recorded). Of the deal it reads only its team, its stage and
 * whether the stage has its own day limit: deals sharing those share them (a
 * review works them out per pair, lib/reviews/incremental.ts).
 */
export function yardsticksToday(
  deal: DealPair,
  context: RuleContext,
  settings: RuleSettings,
  thresholds?: TeamThresholds,
): YardsticksToday {
  const pairs = pairsFor(context, settings, thresholds);
  let byStage = pairs.get(deal.teamId);
  if (!byStage) {
    byStage = new Map();
    pairs.set(deal.teamId, byStage);
  }
  let pair = byStage.get(deal.stageId);
  if (!pair) {
    pair = [undefined, undefined];
    byStage.set(deal.stageId, pair);
  }
  const ownLimit = deal.stageMaxDaysInStage !== null ? 0 : 1;
  let today = pair[ownLimit];
  if (today === undefined) {
    today = describeYardsticks(deal, context, settings, thresholds);
    pair[ownLimit] = today;
  }
  return today;
}

/** The key of what every deal of the team reads alike (see yardsticksToday); 11 characters. */
export function contextKey(
  deal: DealFacts,
  context: RuleContext,
  settings: RuleSettings,
  thresholds?: TeamThresholds,
): string {
  return yardsticksToday(deal, context, settings, thresholds).key;
}

/**
 * A deal's recheck instant (recheckAt) and what its verdict and that instant
 * depend on of its yardsticks (YardsticksRead), worked out together: the
 * verdict stays as stored on every day up to the recheck instant under any
 * yardsticks for which yardsticksStillHold is true.
 */
export function yardsticksRead(
  deal: DealFacts,
  context: RuleContext,
  settings: RuleSettings,
  asOf: Date,
  thresholds?: TeamThresholds,
): { recheckAt: Date | null; read: YardsticksRead } {
  const { recheckMs, open } = timeAhead(deal, context, settings, asOf, thresholds);
  const today = yardsticksToday(deal, context, settings, thresholds);
  const read: YardsticksRead = {
    key: today.key,
    cycleCited: null,
    ageLimitNeeded: null,
    stageMedianCited: null,
    stageLimitNeeded: null,
  };
  if (open) {
    const { clocks, pastItsTime: pastTime, stuck } = open;
    // The last UTC day the stored verdict must hold on: from the recheck instant on, it is judged again.
    const lastDay = recheckMs === NEVER ? NEVER : utcDayNumber(new Date(recheckMs - 1));
    const daysToLast = lastDay - clocks.asOfDay;
    // Time alone never ends it: no limit would be far enough, so any change counts (it does not happen:
    // a clear past-its-time or median-judged stuck-in-stage always turns some day).
    if (pastTime.flagged || lastDay === NEVER) read.cycleCited = today.cycle;
    else if (lastDay >= pastTime.exemptUntilDay) read.ageLimitNeeded = clocks.dealAgeDays + daysToLast;
    // Before the exemption runs out no limit flags it, and the recheck instant comes by then.

    if (stuck.median === "too few" || (stuck.median === "judged" && (stuck.flagged || lastDay === NEVER))) {
      read.stageMedianCited = today.stageMedian;
    } else if (stuck.median === "judged") read.stageLimitNeeded = (clocks.daysInStage ?? 0) + daysToLast;
  }
  return { recheckAt: recheckMs === NEVER ? null : new Date(recheckMs), read };
}

/**
 * Whether a judgement still stands under today's yardsticks (until its
 * recheck instant): the same key, the cited values unchanged, today's limits
 * no shorter than needed. The review asks the same in SQL, per deal against
 * its pair's values (lib/reviews/incremental.ts: the 'context' reason).
 */
export function yardsticksStillHold(read: YardsticksRead, today: YardsticksToday): boolean {
  return (
    read.key === today.key &&
    (read.cycleCited === null || read.cycleCited === today.cycle) &&
    (read.ageLimitNeeded === null || read.ageLimitNeeded <= today.ageLimit) &&
    (read.stageMedianCited === null || read.stageMedianCited === today.stageMedian) &&
    (read.stageLimitNeeded === null || read.stageLimitNeeded <= today.stageLimit)
  );
}
