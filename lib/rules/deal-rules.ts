// The deal-level rules of SPEC.md ("The rules"), one function each, and the
// evaluators that run them all over one deal or a whole pipeline.
//
// Thresholds are "more than": a deal exactly at a threshold is not flagged,
// one day past it is. "In the last N days" includes the day N days ago.
// Close-date pushes and one-sided seller activities are counts: "N or more".
// Limits are compared unrounded (2 × 51.78 days = 103.56: 104 days is past it).
// Where the data cannot support a rule (no activities imported at all, no
// stage history, too few won deals) the rule returns "not judged" with the
// reason instead of a flag.
import { utcDayNumber } from "./days";
import { anchorDay, anchorOf, cycleAnchors, limitSetBy, wordFlag } from "./explain-flag";
import { ORGANISATION_LEVEL_OF, type RuleSettings, type TeamThresholds, type ThresholdLevelOf } from "./settings";
import { averageCycleForTeam, type RuleContext, stageMediansForTeam } from "./statistics";
import {
  RULES,
  type DealFacts,
  type DealFlag,
  type DealRuleName,
  type DealVerdict,
  type FlagMetrics,
  type NotJudged,
  type SuppressedFlag,
} from "./types";
import { activeWaivers, applyWaivers } from "./waivers";
import { plural } from "./wording";

/**
 * A deal's clocks on asOf's day, in whole UTC days. Null means it never
 * happened — or happens only after asOf, which as of then is the same thing.
 */
export interface DealClocks {
  /** asOf's UTC day number: the day every clock counts to (flags store the days they count from). */
  asOfDay: number;
  dealAgeDays: number;
  /** Null when the stage entry is unknown (no stage history), or after asOf. */
  daysInStage: number | null;
  /** Latest activity of either side. */
  daysSinceActivity: number | null;
  daysSinceBuyerActivity: number | null;
  daysSinceSellerActivity: number | null;
  daysSinceForwardMove: number | null;
  /** Positive once the expected close date is behind asOf's day; null without a date. */
  daysPastExpectedClose: number | null;
}

function daysSince(instant: Date | null, asOfMs: number, asOfDay: number): number | null {
  if (instant === null) return null;
  if (instant.getTime() > asOfMs) return null; // not happened yet as of asOf
  return asOfDay - utcDayNumber(instant);
}

function minKnown(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

function clocksAt(deal: DealFacts, asOfMs: number, asOfDay: number): DealClocks {
  const daysSinceBuyerActivity = daysSince(deal.lastBuyerActivityAt, asOfMs, asOfDay);
  const daysSinceSellerActivity = daysSince(deal.lastSellerActivityAt, asOfMs, asOfDay);
  return {
    asOfDay,
    dealAgeDays: asOfDay - utcDayNumber(deal.openedAt),
    daysInStage: daysSince(deal.stageEnteredAt, asOfMs, asOfDay),
    // The latest of the three rollups, in case one was written without the others.
    daysSinceActivity: minKnown(
      daysSince(deal.lastActivityAt, asOfMs, asOfDay),
      minKnown(daysSinceBuyerActivity, daysSinceSellerActivity),
    ),
    daysSinceBuyerActivity,
    daysSinceSellerActivity,
    daysSinceForwardMove: daysSince(deal.lastForwardMoveAt, asOfMs, asOfDay),
    daysPastExpectedClose: deal.expectedCloseDate === null ? null : asOfDay - utcDayNumber(deal.expectedCloseDate),
  };
}

/** The clocks screens show next to a deal (age, time in stage, …), as the rules see them. */
export function dealClocks(deal: DealFacts, asOf: Date): DealClocks {
  return clocksAt(deal, asOf.getTime(), utcDayNumber(asOf));
}

/** A rule's answer on one deal: a flag, "not judged" with the reason, or nothing to say (null). */
export type RuleOutcome = DealFlag | NotJudged | null;

export type DealRule = (
  deal: DealFacts,
  clocks: DealClocks,
  context: RuleContext,
  settings: RuleSettings,
  /** Where each threshold in force was set ("organisation default", "Enterprise team's setting"). */
  levelOf: ThresholdLevelOf,
) => RuleOutcome;

export function isNotJudged(outcome: RuleOutcome): outcome is NotJudged {
  return outcome !== null && !("severity" in outcome);
}

/**
 * A flag from its anchors (explain-flag.ts): the days the rule counted from,
 * its limit and where that came from, its counts — nothing that moves with
 * the calendar alone — worded as of the clocks' day.
 */
function flag(rule: DealRuleName, metrics: FlagMetrics, clocks: DealClocks): DealFlag {
  const explanation = wordFlag(rule, metrics, clocks.asOfDay);
  if (explanation === null) throw new Error(`The ${rule} flag is missing an anchor of its explanation.`);
  return { rule, severity: RULES[rule].severity, explanation, metrics };
}

export const NO_ACTIVITIES_IMPORTED = "not judged: no activities imported";

function notJudged(rule: DealRuleName, reason: string): NotJudged {
  return { rule, reason };
}

/**
 * The integrity rule: open longer than 2× the average cycle, unless the buyer
 * acted recently AND the deal moved forward recently. One without the other
 * is not enough (a buyer chatting about a deal that does not move, or a deal
 * pushed forward by the rep alone).
 *
 * Without any activities imported the deal's age is still known, so the rule
 * still judges; the exemption cannot be shown (no buyer activity is known),
 * and the explanation says so instead of "no buyer activity recorded".
 */
export const pastItsTime: DealRule = (deal, clocks, context, settings, levelOf) => {
  const cycle = averageCycleForTeam(context.cycles, deal.teamId);
  const limitDays = settings.pastItsTimeMultiple * cycle.days;
  if (clocks.dealAgeDays <= limitDays) return null;

  const buyer = clocks.daysSinceBuyerActivity;
  const forward = clocks.daysSinceForwardMove;
  const buyerRecent = buyer !== null && buyer <= settings.buyerActivityWithinDays;
  const progressRecent = forward !== null && forward <= settings.forwardMoveWithinDays;
  if (buyerRecent && progressRecent) return null;

  return flag(
    "past-its-time",
    {
      openedOn: anchorOf(clocks.asOfDay, clocks.dealAgeDays),
      limitMultiple: settings.pastItsTimeMultiple,
      limitSetBy: limitSetBy(levelOf("pastItsTimeMultiple")),
      limitDays,
      ...cycleAnchors(cycle),
      lastForwardMoveOn: anchorOf(clocks.asOfDay, forward),
      lastBuyerActivityOn: anchorOf(clocks.asOfDay, buyer),
      activitiesRecorded: context.activitiesRecorded,
    },
    clocks,
  );
};

/**
 * No activity of either side for a quarter; a deal with none at all counts
 * from when it opened — unless the organisation has no activities at all and
 * no last-activity date came with the deal: then it is not judged.
 */
export const untouched: DealRule = (_deal, clocks, context, settings, levelOf) => {
  if (clocks.daysSinceActivity === null && !context.activitiesRecorded) {
    return notJudged("untouched", NO_ACTIVITIES_IMPORTED);
  }
  const quietDays = clocks.daysSinceActivity ?? clocks.dealAgeDays;
  if (quietDays <= settings.untouchedDays) return null;
  return flag(
    "untouched",
    {
      lastActivityOn: anchorOf(clocks.asOfDay, clocks.daysSinceActivity),
      openedOn: anchorOf(clocks.asOfDay, clocks.dealAgeDays),
      limitDays: settings.untouchedDays,
      limitSetBy: limitSetBy(levelOf("untouchedDays")),
    },
    clocks,
  );
};

/** Longer in the current stage than the stage allows, or than winning deals usually spend there. */
export const stuckInStage: DealRule = (deal, clocks, context, settings, levelOf) => {
  const daysInStage = clocks.daysInStage;
  if (daysInStage === null) {
    return notJudged(
      "stuck-in-stage",
      `not judged: when it entered ${deal.stageName || "its stage"} is unknown (no stage history)`,
    );
  }

  if (deal.stageMaxDaysInStage !== null) {
    if (daysInStage <= deal.stageMaxDaysInStage) return null;
    return flag(
      "stuck-in-stage",
      {
        stageName: deal.stageName,
        stageEnteredOn: anchorOf(clocks.asOfDay, daysInStage),
        limitDays: deal.stageMaxDaysInStage,
        stageMaxDaysInStage: deal.stageMaxDaysInStage,
      },
      clocks,
    );
  }

  const wonMedian = stageMediansForTeam(context, deal.teamId).get(deal.stageId);
  if (!wonMedian || wonMedian.sampleSize < settings.minSample) {
    return notJudged(
      "stuck-in-stage",
      `not judged: ${plural(wonMedian?.sampleSize ?? 0, "won deal")} passed through ${deal.stageName || "the stage"} (${settings.minSample} needed) and it has no day limit`,
    );
  }
  const limitDays = settings.stuckInStageMultiple * wonMedian.days;
  if (daysInStage <= limitDays) return null;
  return flag(
    "stuck-in-stage",
    {
      stageName: deal.stageName,
      stageEnteredOn: anchorOf(clocks.asOfDay, daysInStage),
      limitDays,
      stageMaxDaysInStage: null,
      medianWonDaysInStage: wonMedian.days,
      medianSampleSize: wonMedian.sampleSize,
      limitMultiple: settings.stuckInStageMultiple,
      limitSetBy: limitSetBy(levelOf("stuckInStageMultiple")),
    },
    clocks,
  );
};

/** The expected close date is behind us, or keeps being pushed. */
export const closeDateSlipping: DealRule = (deal, clocks, _context, settings, levelOf) => {
  const daysPast = clocks.daysPastExpectedClose;
  const isPast = daysPast !== null && daysPast > 0;
  const pushes = deal.closeDatePushCount;
  const pushedTooOften = pushes >= settings.closeDatePushes;
  if (!isPast && !pushedTooOften) return null;

  return flag(
    "close-date-slipping",
    {
      expectedCloseOn: deal.expectedCloseDate === null ? null : anchorDay(utcDayNumber(deal.expectedCloseDate)),
      closeDatePushCount: pushes,
      pushLimit: settings.closeDatePushes,
      limitSetBy: limitSetBy(levelOf("closeDatePushes")),
    },
    clocks,
  );
};

/** Our calls and emails keep going out, and nothing comes back from the buyer. */
export const oneSided: DealRule = (deal, clocks, context, settings, levelOf) => {
  if (!context.activitiesRecorded) return notJudged("one-sided", NO_ACTIVITIES_IMPORTED);
  const sellerActivities = deal.sellerActivitiesInWindow;
  if (sellerActivities < settings.oneSidedSellerActivities) return null;
  const window = settings.oneSidedWindowDays;
  const buyer = clocks.daysSinceBuyerActivity;
  const buyerInWindow = deal.buyerActivitiesInWindow > 0 || (buyer !== null && buyer <= window);
  if (buyerInWindow) return null;
  return flag(
    "one-sided",
    {
      sellerActivitiesInWindow: sellerActivities,
      buyerActivitiesInWindow: 0,
      windowDays: window,
      lastBuyerActivityOn: anchorOf(clocks.asOfDay, buyer),
      limitActivities: settings.oneSidedSellerActivities,
      limitSetBy: limitSetBy(levelOf("oneSidedSellerActivities")),
    },
    clocks,
  );
};

/** The rep stopped following up; a deal never followed up counts from when it opened. */
export const followUpGap: DealRule = (_deal, clocks, context, settings, levelOf) => {
  if (!context.activitiesRecorded) return notJudged("follow-up-gap", NO_ACTIVITIES_IMPORTED);
  const gapDays = clocks.daysSinceSellerActivity ?? clocks.dealAgeDays;
  if (gapDays <= settings.followUpGapDays) return null;
  return flag(
    "follow-up-gap",
    {
      lastSellerActivityOn: anchorOf(clocks.asOfDay, clocks.daysSinceSellerActivity),
      openedOn: anchorOf(clocks.asOfDay, clocks.dealAgeDays),
      limitDays: settings.followUpGapDays,
      limitSetBy: limitSetBy(levelOf("followUpGapDays")),
    },
    clocks,
  );
};

/** In the order flags are listed: most serious first. */
export const DEAL_RULES: readonly DealRule[] = [
  pastItsTime,
  untouched,
  stuckInStage,
  closeDateSlipping,
  oneSided,
  followUpGap,
];

// Most deals raise no flag: they share these instead of allocating empty
// lists each (100,000 deals per review).
const NO_FLAGS: readonly DealFlag[] = Object.freeze([]);
const NOTHING_SUPPRESSED: readonly SuppressedFlag[] = Object.freeze([]);
const ALL_JUDGED: readonly NotJudged[] = Object.freeze([]);

function evaluateAt(
  deal: DealFacts,
  context: RuleContext,
  orgSettings: RuleSettings,
  asOfMs: number,
  asOfDay: number,
  thresholds: TeamThresholds | undefined,
): DealVerdict {
  const clocks = clocksAt(deal, asOfMs, asOfDay);
  const effective = thresholds?.(deal.teamId);
  const settings = effective?.values ?? orgSettings;
  const levelOf = effective?.levelOf ?? ORGANISATION_LEVEL_OF;
  let flags: DealFlag[] | undefined;
  let unjudged: NotJudged[] | undefined;
  for (const rule of DEAL_RULES) {
    const found = rule(deal, clocks, context, settings, levelOf);
    if (found === null) continue;
    if (isNotJudged(found)) {
      if (unjudged) unjudged.push(found);
      else unjudged = [found];
    } else if (flags) flags.push(found);
    else flags = [found];
  }
  const notJudgedList = unjudged ?? ALL_JUDGED;
  if (!flags) return { dealId: deal.id, flags: NO_FLAGS, suppressed: NOTHING_SUPPRESSED, notJudged: notJudgedList };
  if (deal.waivers.length === 0)
    return { dealId: deal.id, flags, suppressed: NOTHING_SUPPRESSED, notJudged: notJudgedList };
  // The deal's team's waiver limits (a team may cap its keeps and waits differently).
  const waived = applyWaivers(flags, activeWaivers(deal.waivers, settings, asOfMs, asOfDay));
  return { dealId: deal.id, flags: waived.flags, suppressed: waived.suppressed, notJudged: notJudgedList };
}

/**
 * All deal rules on one open deal as of asOf. A deal opened after asOf did not
 * exist yet: it gets no flags.
 */
export function evaluateDeal(
  deal: DealFacts,
  context: RuleContext,
  settings: RuleSettings,
  asOf: Date,
  thresholds?: TeamThresholds,
): DealVerdict {
  const asOfMs = asOf.getTime();
  if (deal.openedAt.getTime() > asOfMs)
    return { dealId: deal.id, flags: NO_FLAGS, suppressed: NOTHING_SUPPRESSED, notJudged: ALL_JUDGED };
  return evaluateAt(deal, context, settings, asOfMs, utcDayNumber(asOf), thresholds);
}

/**
 * All deal rules on a pipeline; deals opened after asOf are left out. One
 * verdict per deal evaluated. `thresholds` gives each deal's team its own
 * thresholds (organisation defaults with the team's overrides); without it,
 * every deal is judged with `settings`.
 */
export function evaluateDeals(
  deals: Iterable<DealFacts>,
  context: RuleContext,
  settings: RuleSettings,
  asOf: Date,
  thresholds?: TeamThresholds,
): DealVerdict[] {
  const asOfMs = asOf.getTime();
  const asOfDay = utcDayNumber(asOf);
  const verdicts: DealVerdict[] = [];
  for (const deal of deals) {
    if (deal.openedAt.getTime() > asOfMs) continue;
    verdicts.push(evaluateAt(deal, context, settings, asOfMs, asOfDay, thresholds));
  }
  return verdicts;
}
