// The back-test's replay (pure): walks each closed deal's open life day by day
// and asks the review's own rule functions (lib/rules/deal-rules.ts) whether
// they would have flagged it that day — with the deal as it stood then (its
// stage, last activities and last forward move known by the end of that day)
// and the yardsticks as they stood then (the average cycle and stage medians
// from the deals won in the lookback window ending that day, team →
// organisation → default exactly as lib/rules/statistics.ts computes them).
//
// Nothing here re-implements a rule: only the inputs are rebuilt as of each
// day. Waivers are left out on purpose: the back-test asks what the rule
// says, not what a manager then chose to keep.
import { dealClocks, pastItsTime, type RuleOutcome, stuckInStage, untouched } from "@/lib/rules/deal-rules";
import { MS_PER_DAY, utcDayNumber } from "@/lib/rules/days";
import { CYCLE_SETTING_KEYS, ORGANISATION_LEVEL_OF, type RuleSettings } from "@/lib/rules/settings";
import type {
  AverageCycle,
  CycleTable,
  RuleContext,
  TeamRef,
  WonDealFacts,
  WonStageStint,
} from "@/lib/rules/statistics";
import type { DealFacts, DealRuleName } from "@/lib/rules/types";
import { averageCyclesByDay } from "./cycles";
import { stageMediansByDay } from "./stage-medians";

export interface StageRef {
  id: number;
  name: string;
  order: number;
  maxDaysInStage: number | null;
}

/** A move the deal made while open: into an open stage (stageId), or out of the pipeline (null). */
export interface StageMove {
  at: Date;
  stageId: number | null;
  /** A forward move: progress, as lastForwardMoveAt counts it. */
  forward: boolean;
}

/** A deal closed in the window, with what happened to it before it closed (each list sorted by time). */
export interface ClosedDealHistory {
  id: number;
  /** The owner's team when it closed (Opportunity.closedTeamId). */
  teamId: string | null;
  /** The last stage it reached: used only when no stage move is known. */
  lastStageId: number;
  won: boolean;
  amountCents: number;
  openedAt: Date;
  closedAt: Date;
  stageMoves: StageMove[];
  activities: { at: Date; buyer: boolean }[];
}

export interface BacktestFacts {
  closedDeals: ClosedDealHistory[];
  /** Closed in the window but with no opened date: no age to judge, left out. */
  datesUnknown: number;
  teams: TeamRef[];
  stages: StageRef[];
  /** Every deal won before asOf that any replayed day's lookback can reach. */
  wonDeals: WonDealFacts[];
  wonStageStints: WonStageStint[];
  activitiesRecorded: boolean;
}

/** The rules swept, the setting each sweep varies, and the thresholds tried (the current one is added). */
export const SWEEPS = {
  "past-its-time": { setting: "pastItsTimeMultiple", unit: "×", thresholds: [1.5, 2, 2.5, 3, 4] },
  untouched: { setting: "untouchedDays", unit: "days", thresholds: [30, 60, 90, 120, 180] },
  "stuck-in-stage": { setting: "stuckInStageMultiple", unit: "×", thresholds: [1.5, 2, 3, 4] },
} as const satisfies Record<string, { setting: keyof RuleSettings; unit: string; thresholds: readonly number[] }>;

export type SweptRule = keyof typeof SWEEPS & DealRuleName;
export const SWEPT_RULES = Object.keys(SWEEPS) as SweptRule[];

const RULE_FUNCTIONS: Record<SweptRule, typeof pastItsTime> = {
  "past-its-time": pastItsTime,
  untouched,
  "stuck-in-stage": stuckInStage,
};

/**
 * The thresholds tried for a rule: the sweep plus the one currently set,
 * ascending — and those of `others` (each team's own), so every team's
 * current threshold has figures of its own.
 */
export function sweepThresholds(
  rule: SweptRule,
  settings: RuleSettings,
  others: readonly RuleSettings[] = [],
): number[] {
  const setting = SWEEPS[rule].setting;
  const current = [settings, ...others].map((one) => one[setting]);
  return [...new Set<number>([...SWEEPS[rule].thresholds, ...current])].sort((a, b) => a - b);
}

export type SweptThresholds = Record<SweptRule, readonly number[]>;

export function sweptThresholds(settings: RuleSettings, others: readonly RuleSettings[] = []): SweptThresholds {
  return Object.fromEntries(
    SWEPT_RULES.map((rule) => [rule, sweepThresholds(rule, settings, others)]),
  ) as unknown as SweptThresholds;
}

/** What one rule at one threshold would have said over a deal's life. */
export interface ThresholdOutcome {
  threshold: number;
  /** The first day it would have flagged the deal (UTC midnight); null: never. */
  firstFlaggedOn: Date | null;
  /** False when on every day the rule could only say "not judged" (e.g. no stage history). */
  judged: boolean;
}

export interface DealReplay {
  dealId: number;
  teamId: string | null;
  won: boolean;
  amountCents: number;
  closedAt: Date;
  /** Days the rules looked at it (open, in the pipeline, before the day it closed). */
  daysLookedAt: number;
  outcomes: Record<SweptRule, ThresholdOutcome[]>;
}

const isFlag = (outcome: RuleOutcome) => outcome !== null && "severity" in outcome;

/**
 * The yardsticks as they stood at the end of each day of the range: the
 * average cycle table and the stage medians from the wins in that day's
 * lookback, each kept up to date as the window slides (cycles.ts,
 * stage-medians.ts: the engine's own statistics, day after day), shared by
 * every deal open that day.
 */
function yardsticksByDay(
  facts: BacktestFacts,
  settings: RuleSettings,
  organisationSettings: RuleSettings,
  firstDay: number,
  lastDay: number,
) {
  const teamCyclesOn = averageCyclesByDay(facts.wonDeals, facts.teams, settings, firstDay, lastDay);
  const organisationCyclesOn = sameCycleSettings(settings, organisationSettings)
    ? teamCyclesOn
    : averageCyclesByDay(facts.wonDeals, facts.teams, organisationSettings, firstDay, lastDay);
  const cyclesOn = (day: number) =>
    teamCyclesOn === organisationCyclesOn
      ? teamCyclesOn(day)
      : withOrganisationFallback(teamCyclesOn(day), organisationCyclesOn(day), settings);
  const stageMediansOn = stageMediansByDay(facts.wonStageStints, settings, firstDay, lastDay);
  const days: { asOf: Date; context: RuleContext }[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    days.push({
      // The end of the day: everything that happened that day is known.
      asOf: new Date((day + 1) * MS_PER_DAY - 1),
      context: {
        cycles: cyclesOn(day),
        stageMedians: stageMediansOn(day),
        activitiesRecorded: facts.activitiesRecorded,
      },
    });
  }
  return (day: number) => days[day - firstDay] as { asOf: Date; context: RuleContext };
}

function sameCycleSettings(a: RuleSettings, b: RuleSettings): boolean {
  return CYCLE_SETTING_KEYS.every((key) => a[key] === b[key]);
}

/**
 * A team with its own cycle settings, as lib/rules/statistics.ts measures it:
 * its own won deals with its settings; too few, and it takes the
 * organisation's cycle measured with the organisation's settings; too few
 * there as well, and its own default cycle.
 */
function withOrganisationFallback(own: CycleTable, organisation: CycleTable, settings: RuleSettings): CycleTable {
  const byTeam = new Map<string, AverageCycle>();
  for (const [teamId, cycle] of own.byTeam) {
    if (cycle.scope === "team") byTeam.set(teamId, cycle);
    else {
      const fallback = organisation.organisation;
      byTeam.set(teamId, {
        ...fallback,
        ...(fallback.scope === "default" ? { days: settings.defaultCycleDays } : {}),
        teamName: cycle.teamName,
        teamSampleSize: cycle.teamSampleSize,
      });
    }
  }
  return { organisation: organisation.organisation, byTeam };
}

/**
 * Replays every closed deal. A deal is looked at as of the end of each day
 * from the day it opened to the day before it closed (on the day it closed
 * there was nothing left to decide), on the days it sat in an open stage.
 */
export function replayClosedDeals(
  facts: BacktestFacts,
  settings: RuleSettings,
  options: {
    /** The organisation's settings, when `settings` are one team's own (its cycle falls back to the organisation's). */
    organisation?: RuleSettings;
    /** The thresholds to try per rule (default: the sweep and `settings`' own). */
    thresholds?: SweptThresholds;
  } = {},
): DealReplay[] {
  let firstDay = Number.POSITIVE_INFINITY;
  let lastDay = Number.NEGATIVE_INFINITY;
  for (const deal of facts.closedDeals) {
    firstDay = Math.min(firstDay, utcDayNumber(deal.openedAt));
    lastDay = Math.max(lastDay, utcDayNumber(deal.closedAt) - 1);
  }
  if (facts.closedDeals.length === 0) return [];
  const dayOn = yardsticksByDay(
    facts,
    settings,
    options.organisation ?? settings,
    firstDay,
    Math.max(firstDay, lastDay),
  );
  const thresholds = options.thresholds ?? sweptThresholds(settings);
  const stageById = new Map(facts.stages.map((stage) => [stage.id, stage]));
  // One settings object per rule and threshold, built once.
  const sweeps = SWEPT_RULES.map((rule) => ({
    rule,
    check: RULE_FUNCTIONS[rule],
    settings: thresholds[rule].map((threshold) => ({
      threshold,
      settings: { ...settings, [SWEEPS[rule].setting]: threshold } as RuleSettings,
    })),
  }));

  return facts.closedDeals.map((history) => {
    const outcomes = Object.fromEntries(
      sweeps.map((sweep) => [
        sweep.rule,
        sweep.settings.map(({ threshold }) => ({ threshold, firstFlaggedOn: null, judged: false })),
      ]),
    ) as unknown as Record<SweptRule, ThresholdOutcome[]>;
    const lastStage = stageById.get(history.lastStageId);
    const deal: DealFacts = {
      id: history.id,
      name: "",
      ownerId: "",
      teamId: history.teamId,
      stageId: history.lastStageId,
      stageName: lastStage?.name ?? "",
      stageOrder: lastStage?.order ?? 0,
      stageMaxDaysInStage: lastStage?.maxDaysInStage ?? null,
      amountCents: history.amountCents,
      currency: "",
      openedAt: history.openedAt,
      expectedCloseDate: null,
      lastActivityAt: null,
      lastBuyerActivityAt: null,
      lastSellerActivityAt: null,
      stageEnteredAt: null,
      lastForwardMoveAt: null,
      closeDatePushCount: 0,
      sellerActivitiesInWindow: 0,
      buyerActivitiesInWindow: 0,
      waivers: [],
    };
    let open = true;
    let nextMove = 0;
    let nextActivity = 0;
    let daysLookedAt = 0;
    let undecided = sweeps.reduce((sum, sweep) => sum + sweep.settings.length, 0);
    const lastDay = utcDayNumber(history.closedAt) - 1;

    for (let day = utcDayNumber(history.openedAt); day <= lastDay && undecided > 0; day++) {
      const endOfDay = (day + 1) * MS_PER_DAY - 1;
      // What was known by the end of the day.
      while (
        nextMove < history.stageMoves.length &&
        (history.stageMoves[nextMove] as StageMove).at.getTime() <= endOfDay
      ) {
        const move = history.stageMoves[nextMove++] as StageMove;
        open = move.stageId !== null;
        if (move.stageId !== null) {
          const stage = stageById.get(move.stageId);
          deal.stageId = move.stageId;
          deal.stageName = stage?.name ?? "";
          deal.stageOrder = stage?.order ?? 0;
          deal.stageMaxDaysInStage = stage?.maxDaysInStage ?? null;
          deal.stageEnteredAt = move.at;
        }
        if (move.forward) deal.lastForwardMoveAt = move.at;
      }
      while (
        nextActivity < history.activities.length &&
        (history.activities[nextActivity] as { at: Date }).at.getTime() <= endOfDay
      ) {
        const activity = history.activities[nextActivity++] as { at: Date; buyer: boolean };
        deal.lastActivityAt = activity.at;
        if (activity.buyer) deal.lastBuyerActivityAt = activity.at;
        else deal.lastSellerActivityAt = activity.at;
      }
      // Out of the pipeline (back in prospecting) that day: no rule looks at it.
      if (!open) continue;
      daysLookedAt++;

      const { asOf, context } = dayOn(day);
      const clocks = dealClocks(deal, asOf);
      for (const sweep of sweeps) {
        const results = outcomes[sweep.rule];
        // Thresholds ascend and each is "more than": where one does not flag
        // today, no higher one does (and a rule that cannot judge cannot at
        // any threshold), so the first threshold not flagged yet decides for
        // the rest today.
        for (let index = 0; index < sweep.settings.length; index++) {
          const result = results[index] as ThresholdOutcome;
          if (result.firstFlaggedOn !== null) continue;
          const outcome = sweep.check(
            deal,
            clocks,
            context,
            (sweep.settings[index] as { settings: RuleSettings }).settings,
            // Replayed figures name no level: no explanation is shown.
            ORGANISATION_LEVEL_OF,
          );
          if (outcome !== null && isFlag(outcome)) {
            result.judged = true;
            result.firstFlaggedOn = new Date(day * MS_PER_DAY);
            undecided--;
            continue;
          }
          if (outcome === null)
            for (let higher = index; higher < results.length; higher++)
              (results[higher] as ThresholdOutcome).judged = true;
          break;
        }
      }
    }
    return {
      dealId: history.id,
      teamId: history.teamId,
      won: history.won,
      amountCents: history.amountCents,
      closedAt: history.closedAt,
      daysLookedAt,
      outcomes,
    };
  });
}
