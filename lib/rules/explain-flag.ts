// A flag's sentence, worded as of the day it is read (SPEC: "Every flag
// carries a one-sentence explanation with the numbers that triggered it").
//
// Why: a flag episode lives for weeks, and every day its numbers move ("open
// 212 days", then 213 …) although nothing about the deal changed. So a flag
// stores its ANCHORS — what does not move with the calendar: the days the
// rule measured from (opened, last activity, stage entered, expected close
// date …), the limit and the level that set it, the cycle with its scope, the
// counts — and this module words the sentence from them as of any day. The
// rules word their own flags with these same functions, so the sentence a
// screen shows for an as-of date is the one the review would have written
// that day, and a review stores an episode again only when an anchor, a
// limit, a count or the severity really changed.
//
// Anchors are days as "YYYY-MM-DD" (UTC calendar days, like every rule) in
// the flat metrics JSON. Flags stored before anchors existed carry day
// counts instead: `explainFlag` then returns their stored sentence.
import { utcDayNumber, formatUtcDay, MS_PER_DAY, startOfUtcDayNumber } from "./days";
import type { ThresholdLevel } from "./settings";
import type { AverageCycle, CycleScope } from "./statistics";
import type { FlagMetrics, RuleName } from "./types";
import { days, daysAgo, describeCycle, formatDays, formatMultiple, limitNote, overLimit, plural } from "./wording";

/**
 * How many won deals stand behind a cycle or a stage median. They move
 * almost every day as old wins leave the lookback window, while the
 * statistic itself (and so the limit) stays put: the episode writer does not
 * compare them, so a flag keeps the sample size of when its anchors or limit
 * last changed rather than being rewritten for it each day.
 */
export const SAMPLE_SIZE_METRICS = ["cycleSampleSize", "cycleTeamSampleSize", "medianSampleSize"] as const;

// A review words 100,000 deals' flags over a few thousand distinct days:
// each day is formatted (and parsed back) once, not once per flag — building
// a Date and its ISO string per anchor was a tenth of the engine's time. The
// caches are bounded: cleared when full, never stale (a day's anchor never changes).
const CACHED_DAYS = 50_000;
const anchorByDay = new Map<number, string>();
const dayByAnchor = new Map<string, number>();

/** A UTC day number as the anchors store it: "2026-03-04". */
export function anchorDay(dayNumber: number): string {
  let anchor = anchorByDay.get(dayNumber);
  if (anchor === undefined) {
    anchor = startOfUtcDayNumber(dayNumber).toISOString().slice(0, 10);
    if (anchorByDay.size >= CACHED_DAYS) anchorByDay.clear();
    anchorByDay.set(dayNumber, anchor);
  }
  return anchor;
}

/** Back from "2026-03-04" to its UTC day number. */
export function dayNumberOf(anchor: string): number {
  let day = dayByAnchor.get(anchor);
  if (day === undefined) {
    day = Math.round(Date.parse(`${anchor}T00:00:00Z`) / MS_PER_DAY);
    if (dayByAnchor.size >= CACHED_DAYS) dayByAnchor.clear();
    dayByAnchor.set(anchor, day);
  }
  return day;
}

/** The day a clock started: asOf's day minus the days it counted; null stays null. */
export function anchorOf(asOfDay: number, daysSince: number | null): string | null {
  return daysSince === null ? null : anchorDay(asOfDay - daysSince);
}

/** Where a limit came from, flat for the metrics: null = organisation default, else the team's name. */
export function limitSetBy(level: ThresholdLevel): string | null {
  return level.kind === "team" ? level.teamName : null;
}

function levelOf(setBy: unknown): ThresholdLevel {
  return typeof setBy === "string" ? { kind: "team", teamName: setBy } : { kind: "organisation" };
}

// Reading anchors back: a missing or mistyped one means a flag stored before
// anchors (its day counts were frozen into the sentence) — word nothing.
class MissingAnchor extends Error {}

function text(metrics: FlagMetrics, key: string): string {
  const value = metrics[key];
  if (typeof value !== "string") throw new MissingAnchor(key);
  return value;
}

function num(metrics: FlagMetrics, key: string): number {
  const value = metrics[key];
  if (typeof value !== "number") throw new MissingAnchor(key);
  return value;
}

/** Days from an anchor to `asOfDay`; null when the anchor is null (never happened). */
function since(metrics: FlagMetrics, key: string, asOfDay: number): number | null {
  if (!(key in metrics)) throw new MissingAnchor(key);
  const value = metrics[key];
  if (value === null) return null;
  if (typeof value !== "string") throw new MissingAnchor(key);
  return asOfDay - dayNumberOf(value);
}

/** The cycle as the past-its-time anchors keep it. */
export function cycleAnchors(cycle: AverageCycle): FlagMetrics {
  return {
    averageCycleDays: cycle.days,
    cycleScope: cycle.scope,
    cycleStatistic: cycle.statistic,
    cycleSampleSize: cycle.sampleSize,
    cycleTeamName: cycle.teamName ?? null,
    cycleTeamSampleSize: cycle.teamSampleSize ?? null,
    // The cycle settings the team set for itself, named in the sentence (flat:
    // metrics are one level deep); absent where the organisation's applied.
    ...teamCycleAnchors(cycle.teamSettings),
  };
}

function cycleOf(metrics: FlagMetrics): AverageCycle {
  const teamName = metrics.cycleTeamName;
  const teamSampleSize = metrics.cycleTeamSampleSize;
  const teamSettings = cycleTeamSettingsOf(metrics);
  return {
    days: num(metrics, "averageCycleDays"),
    scope: text(metrics, "cycleScope") as CycleScope,
    statistic: text(metrics, "cycleStatistic") as AverageCycle["statistic"],
    sampleSize: num(metrics, "cycleSampleSize"),
    ...(typeof teamName === "string" ? { teamName } : {}),
    ...(typeof teamSampleSize === "number" ? { teamSampleSize } : {}),
    ...(teamSettings ? { teamSettings } : {}),
  };
}

function teamCycleAnchors(set: AverageCycle["teamSettings"]): FlagMetrics {
  const anchors: FlagMetrics = {};
  if (set?.cycleStatistic !== undefined) anchors.cycleTeamStatistic = set.cycleStatistic;
  if (set?.lookbackDays !== undefined) anchors.cycleTeamLookbackDays = set.lookbackDays;
  if (set?.minSample !== undefined) anchors.cycleTeamMinSample = set.minSample;
  if (set?.defaultCycleDays !== undefined) anchors.cycleTeamDefaultCycleDays = set.defaultCycleDays;
  return anchors;
}

/** The team's own cycle settings back from the flat anchors; undefined when none (or a flag stored before them). */
function cycleTeamSettingsOf(metrics: FlagMetrics): AverageCycle["teamSettings"] {
  const set: NonNullable<AverageCycle["teamSettings"]> = {};
  if (metrics.cycleTeamStatistic === "mean" || metrics.cycleTeamStatistic === "median")
    set.cycleStatistic = metrics.cycleTeamStatistic;
  if (typeof metrics.cycleTeamLookbackDays === "number") set.lookbackDays = metrics.cycleTeamLookbackDays;
  if (typeof metrics.cycleTeamMinSample === "number") set.minSample = metrics.cycleTeamMinSample;
  if (typeof metrics.cycleTeamDefaultCycleDays === "number") set.defaultCycleDays = metrics.cycleTeamDefaultCycleDays;
  return Object.keys(set).length > 0 ? set : undefined;
}

// Every team's deals share one cycle: the same anchors word the same phrase,
// so keep it instead of building it again for each of thousands of flags.
const cyclePhrases = new Map<string, string>();

function cyclePhrase(metrics: FlagMetrics): string {
  const key = `${metrics.averageCycleDays}|${metrics.cycleScope}|${metrics.cycleStatistic}|${metrics.cycleSampleSize}|${metrics.cycleTeamName}|${metrics.cycleTeamSampleSize}|${metrics.cycleTeamStatistic}|${metrics.cycleTeamLookbackDays}|${metrics.cycleTeamMinSample}|${metrics.cycleTeamDefaultCycleDays}`;
  let phrase = cyclePhrases.get(key);
  if (phrase === undefined) {
    phrase = describeCycle(cycleOf(metrics));
    if (cyclePhrases.size > 10_000) cyclePhrases.clear();
    cyclePhrases.set(key, phrase);
  }
  return phrase;
}

type Wording = (metrics: FlagMetrics, asOfDay: number) => string;

const pastItsTime: Wording = (m, asOfDay) => {
  const ageDays = since(m, "openedOn", asOfDay) ?? 0;
  const multiple = num(m, "limitMultiple");
  const forward = since(m, "lastForwardMoveOn", asOfDay);
  const buyer = since(m, "lastBuyerActivityOn", asOfDay);
  const forwardText =
    forward === null ? "no forward stage move since it opened" : `last forward stage move ${daysAgo(forward)}`;
  const buyerText =
    buyer !== null
      ? `last buyer activity ${daysAgo(buyer)}`
      : m.activitiesRecorded === false
        ? "buyer activity unknown (no activities imported)"
        : "no buyer activity recorded";
  return `Open ${days(ageDays)} — ${formatMultiple(ageDays / num(m, "averageCycleDays"), multiple)} ${cyclePhrase(m)}, ${overLimit(multiple, "×", levelOf(m.limitSetBy))}; ${forwardText}; ${buyerText}.`;
};

const untouched: Wording = (m, asOfDay) => {
  const limit = limitNote(num(m, "limitDays"), "days", levelOf(m.limitSetBy));
  const quiet = since(m, "lastActivityOn", asOfDay);
  return quiet === null
    ? `No activity from either side since it opened ${daysAgo(since(m, "openedOn", asOfDay) ?? 0)} (${limit}).`
    : `No activity from either side for ${days(quiet)} (${limit}).`;
};

const stuckInStage: Wording = (m, asOfDay) => {
  const daysInStage = since(m, "stageEnteredOn", asOfDay) ?? 0;
  const stageName = text(m, "stageName");
  if (typeof m.stageMaxDaysInStage === "number") {
    return `In ${stageName} for ${days(daysInStage)} — longer than the stage's ${m.stageMaxDaysInStage}-day limit.`;
  }
  const median = num(m, "medianWonDaysInStage");
  const multiple = num(m, "limitMultiple");
  return `In ${stageName} for ${days(daysInStage)} — ${formatMultiple(daysInStage / median, multiple)} the ${formatDays(median)} days won deals typically spend there (median of ${plural(num(m, "medianSampleSize"), "won deal")}; ${limitNote(multiple, "×", levelOf(m.limitSetBy))}).`;
};

const closeDateSlipping: Wording = (m, asOfDay) => {
  const pushes = num(m, "closeDatePushCount");
  const pushedTooOften = pushes >= num(m, "pushLimit");
  const daysPast = since(m, "expectedCloseOn", asOfDay);
  const closeDate =
    m.expectedCloseOn === null ? null : formatUtcDay(new Date(`${text(m, "expectedCloseOn")}T00:00:00Z`));
  // The push limit is named only when it is what flagged the deal.
  const pushedText = `pushed ${plural(pushes, "time")}`;
  const pushLimit = `(${limitNote(num(m, "pushLimit"), "pushes", levelOf(m.limitSetBy))})`;
  if (daysPast !== null && daysPast > 0) {
    const passed = `Expected close date ${closeDate} passed ${daysAgo(daysPast)}`;
    return pushedTooOften ? `${passed} after being ${pushedText} ${pushLimit}.` : `${passed}.`;
  }
  return closeDate !== null
    ? `Expected close date ${pushedText}, now ${closeDate} ${pushLimit}.`
    : `Expected close date ${pushedText} ${pushLimit}.`;
};

const oneSided: Wording = (m, asOfDay) => {
  const buyer = since(m, "lastBuyerActivityOn", asOfDay);
  const lastBuyer = buyer === null ? "none ever recorded" : `last one ${daysAgo(buyer)}`;
  return `${plural(num(m, "sellerActivitiesInWindow"), "seller activity", "seller activities")} and no buyer activity in the last ${days(num(m, "windowDays"))} (${lastBuyer}; ${limitNote(num(m, "limitActivities"), "activities", levelOf(m.limitSetBy))}).`;
};

const followUpGap: Wording = (m, asOfDay) => {
  const limit = limitNote(num(m, "limitDays"), "days", levelOf(m.limitSetBy));
  const gap = since(m, "lastSellerActivityOn", asOfDay);
  return gap === null
    ? `No seller follow-up since it opened ${daysAgo(since(m, "openedOn", asOfDay) ?? 0)} (${limit}).`
    : `No seller activity for ${days(gap)} (${limit}).`;
};

const noNewPipeline: Wording = (m, asOfDay) => {
  const limit = limitNote(num(m, "limitDays"), "days", levelOf(m.limitSetBy));
  const name = text(m, "repName");
  const lastOpened = m.lastOpenedOn;
  if (typeof lastOpened === "string") {
    const gap = since(m, "lastOpenedOn", asOfDay) ?? 0;
    return `${name} has opened no new opportunity for ${days(gap)} (last on ${formatUtcDay(new Date(`${lastOpened}T00:00:00Z`))}; ${limit}).`;
  }
  const startedOn = text(m, "startedOn");
  return `${name} has opened no opportunity since starting on ${formatUtcDay(new Date(`${startedOn}T00:00:00Z`))}, ${daysAgo(since(m, "startedOn", asOfDay) ?? 0)} (${limit}).`;
};

// The sales trap's sentence holds sums over periods, not day counts: it is
// stored worded and stands as it is.
const WORDINGS: Partial<Record<RuleName, Wording>> = {
  "past-its-time": pastItsTime,
  untouched,
  "stuck-in-stage": stuckInStage,
  "close-date-slipping": closeDateSlipping,
  "one-sided": oneSided,
  "follow-up-gap": followUpGap,
  "no-new-pipeline": noNewPipeline,
};

/** The sentence for a rule's anchors as of a UTC day (the rules word their own flags with it). */
export function wordFlag(rule: RuleName, metrics: FlagMetrics, asOfDay: number): string | null {
  const wording = WORDINGS[rule];
  if (!wording) return null;
  try {
    return wording(metrics, asOfDay);
  } catch (error) {
    if (error instanceof MissingAnchor) return null;
    throw error;
  }
}

/** What a stored flag needs to be worded. */
export interface StoredFlagWording {
  rule: string;
  /** The sentence as worded when the episode started or last really changed. */
  explanation: string;
  metrics: unknown;
}

/**
 * A stored flag's sentence with its numbers as of `asOf` (the as-of date the
 * viewer is looking at): "Open 212 days — 2.4× the Central team's 88-day
 * average cycle …". A flag stored without anchors, or of a rule whose
 * sentence does not count days (the sales trap), gives its stored sentence.
 */
export function explainFlag(flag: StoredFlagWording, asOf: Date): string {
  const metrics = flag.metrics;
  if (metrics === null || typeof metrics !== "object" || Array.isArray(metrics)) return flag.explanation;
  return wordFlag(flag.rule as RuleName, metrics as FlagMetrics, utcDayNumber(asOf)) ?? flag.explanation;
}
