// The yardsticks the deal rules measure against, from won deals only:
// - the average deal cycle (days from opened to won), per team, falling back
//   to the organisation and then to the configured default when there are
//   too few won deals to trust;
// - the median days won deals spent in each stage.
// Only deals won in the lookback window ending at `asOf` count; a deal won (or
// a stint that ended) after `asOf` had not happened yet.
//
// A team may measure its own cycle (SPEC: thresholds are organisation defaults,
// optionally overridden per team): its statistic, lookback and sample size
// judge its own won deals; the organisation fallback is measured with the
// organisation's settings; the default-cycle fallback is the team's default.
// Each team's figure is computed once per review, never per deal.
import { MS_PER_DAY, utcDayNumber } from "./days";
import type { CycleSettingKey, RuleSettings, TeamThresholds } from "./settings";

export interface WonDealFacts {
  /** The team that won it: the owner's team when the deal was won
   *  (Opportunity.closedTeamId), not the owner's team of today. Null: no team. */
  teamId: string | null;
  openedAt: Date;
  closedAt: Date;
}

export interface TeamRef {
  id: string;
  name: string;
}

export type CycleScope = "team" | "organisation" | "default";

export interface AverageCycle {
  /** Days, unrounded (the mean or median, at least 1), or the default cycle.
   *  Limits are compared with it as is (2 × 51.78 = 103.56: a 104-day-old deal
   *  is past it); only screens round what they show. */
  days: number;
  scope: CycleScope;
  /** The team measured, or the team that fell back to the organisation / default. */
  teamName?: string;
  /** Won deals behind `days` in its scope (for "default": the organisation's too-few count). */
  sampleSize: number;
  /** When a team fell back: how many won deals the team itself had. */
  teamSampleSize?: number;
  statistic: RuleSettings["cycleStatistic"];
  /** The cycle settings the team set for itself that shaped this figure (the
   *  explanation names them as the team's); absent when all are the organisation's. */
  teamSettings?: Partial<Pick<RuleSettings, CycleSettingKey>>;
}

export interface CycleTable {
  organisation: AverageCycle;
  byTeam: ReadonlyMap<string, AverageCycle>;
}

/** A time a won deal spent in a stage; a deal that visited a stage twice has two. */
export interface WonStageStint {
  dealId: number;
  stageId: number;
  enteredAt: Date;
  leftAt: Date;
  /** When the deal was won (the lookback window applies to it). */
  closedAt: Date;
}

export interface StageMedian {
  stageId: number;
  /** Median total days a won deal spent in the stage (unrounded: x.5 when the
   *  sample is even), at least 1. */
  days: number;
  /** Won deals behind the median. */
  sampleSize: number;
}

/** Whether something that closed at `closedAt` was won in the lookback window ending at asOf. */
function wonInLookback(closedAt: Date, asOfMs: number, asOfDay: number, lookbackDays: number): boolean {
  const closedMs = closedAt.getTime();
  return closedMs <= asOfMs && asOfDay - Math.floor(closedMs / MS_PER_DAY) <= lookbackDays;
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/**
 * The statistic, unrounded (SPEC: limits are compared unrounded), at least 1
 * day: a zero-day yardstick would make every deal "twice as long".
 */
function summarise(values: readonly number[], statistic: RuleSettings["cycleStatistic"]): number {
  return Math.max(1, statistic === "median" ? median(values) : mean(values));
}

/** A won deal's cycle and how many days before asOf it was won. */
interface WonCycle {
  cycleDays: number;
  wonDaysAgo: number;
}

function cyclesWithin(wins: readonly WonCycle[], lookbackDays: number): number[] {
  const cycles: number[] = [];
  for (const win of wins) if (win.wonDaysAgo <= lookbackDays) cycles.push(win.cycleDays);
  return cycles;
}

/** The team's own values of `keys`, for the settings it set itself. */
function teamSet(
  keys: readonly CycleSettingKey[],
  values: RuleSettings,
  levelOf: ((key: CycleSettingKey) => { kind: string }) | undefined,
): Pick<AverageCycle, "teamSettings"> {
  if (!levelOf) return {};
  const set: Partial<Pick<RuleSettings, CycleSettingKey>> = {};
  for (const key of keys) if (levelOf(key).kind === "team") Object.assign(set, { [key]: values[key] });
  return Object.keys(set).length > 0 ? { teamSettings: set } : {};
}

/**
 * The average deal cycle for every team (and the organisation), as of asOf.
 * A deal won in the window counts for the organisation even without a team.
 * `thresholds` gives each team its own cycle settings; without it every team
 * is measured with `settings`.
 */
export function averageCycles(
  wonDeals: readonly WonDealFacts[],
  teams: readonly TeamRef[],
  settings: RuleSettings,
  asOf: Date,
  thresholds?: TeamThresholds,
): CycleTable {
  const asOfMs = asOf.getTime();
  const asOfDay = utcDayNumber(asOf);
  const organisationWins: WonCycle[] = [];
  const winsByTeam = new Map<string, WonCycle[]>();

  for (const deal of wonDeals) {
    if (deal.openedAt.getTime() > asOfMs) continue;
    const closedMs = deal.closedAt.getTime();
    if (closedMs > asOfMs) continue; // not won yet as of asOf
    const cycleDays = utcDayNumber(deal.closedAt) - utcDayNumber(deal.openedAt);
    if (cycleDays < 0) continue; // closed before it opened: bad data, not a cycle
    const win = { cycleDays, wonDaysAgo: asOfDay - Math.floor(closedMs / MS_PER_DAY) };
    organisationWins.push(win);
    if (deal.teamId !== null) {
      const teamWins = winsByTeam.get(deal.teamId);
      if (teamWins) teamWins.push(win);
      else winsByTeam.set(deal.teamId, [win]);
    }
  }

  const organisationCycles = cyclesWithin(organisationWins, settings.lookbackDays);
  const organisation: AverageCycle =
    organisationCycles.length >= settings.minSample
      ? {
          days: summarise(organisationCycles, settings.cycleStatistic),
          scope: "organisation",
          sampleSize: organisationCycles.length,
          statistic: settings.cycleStatistic,
        }
      : {
          days: settings.defaultCycleDays,
          scope: "default",
          sampleSize: organisationCycles.length,
          statistic: settings.cycleStatistic,
        };

  const byTeam = new Map<string, AverageCycle>();
  for (const team of teams) {
    const effective = thresholds?.(team.id);
    const values = effective?.values ?? settings;
    const levelOf = effective?.levelOf;
    const teamCycles = cyclesWithin(winsByTeam.get(team.id) ?? [], values.lookbackDays);
    let cycle: AverageCycle;
    if (teamCycles.length >= values.minSample) {
      cycle = {
        days: summarise(teamCycles, values.cycleStatistic),
        scope: "team",
        teamName: team.name,
        sampleSize: teamCycles.length,
        statistic: values.cycleStatistic,
        ...teamSet(["cycleStatistic", "lookbackDays", "minSample"], values, levelOf),
      };
    } else if (organisation.scope === "organisation") {
      cycle = {
        ...organisation,
        teamName: team.name,
        teamSampleSize: teamCycles.length,
        ...teamSet(["lookbackDays", "minSample"], values, levelOf),
      };
    } else {
      cycle = {
        ...organisation,
        days: values.defaultCycleDays,
        teamName: team.name,
        teamSampleSize: teamCycles.length,
        ...teamSet(["defaultCycleDays"], values, levelOf),
      };
    }
    byTeam.set(team.id, cycle);
  }
  return { organisation, byTeam };
}

/** The cycle a team's deals are measured against (the organisation's for no / unknown team). */
export function averageCycleForTeam(table: CycleTable, teamId: string | null): AverageCycle {
  return (teamId !== null ? table.byTeam.get(teamId) : undefined) ?? table.organisation;
}

/**
 * Median days won deals spent in each stage, as of asOf. Visits of one deal to
 * the same stage are added up: the question is how long a winning deal spends
 * there in all. Stages no won deal passed through are absent.
 */
export function medianDaysInStage(
  stints: readonly WonStageStint[],
  settings: RuleSettings,
  asOf: Date,
): Map<number, StageMedian> {
  const asOfMs = asOf.getTime();
  const asOfDay = utcDayNumber(asOf);
  const daysByStageAndDeal = new Map<number, Map<number, number>>();

  for (const stint of stints) {
    if (!wonInLookback(stint.closedAt, asOfMs, asOfDay, settings.lookbackDays)) continue;
    if (stint.leftAt.getTime() > asOfMs) continue;
    const stintDays = utcDayNumber(stint.leftAt) - utcDayNumber(stint.enteredAt);
    if (stintDays < 0) continue;
    let byDeal = daysByStageAndDeal.get(stint.stageId);
    if (!byDeal) {
      byDeal = new Map();
      daysByStageAndDeal.set(stint.stageId, byDeal);
    }
    byDeal.set(stint.dealId, (byDeal.get(stint.dealId) ?? 0) + stintDays);
  }

  const medians = new Map<number, StageMedian>();
  for (const [stageId, byDeal] of daysByStageAndDeal) {
    const totals = [...byDeal.values()];
    medians.set(stageId, { stageId, days: summarise(totals, "median"), sampleSize: totals.length });
  }
  return medians;
}

/** Everything the deal rules need besides the deal itself; built once per review. */
export interface RuleContext {
  cycles: CycleTable;
  stageMedians: ReadonlyMap<number, StageMedian>;
  /** Stage medians over a team's own lookback, for the teams whose lookback
   *  differs from the organisation's (see stageMediansForTeam). */
  stageMediansByTeam?: ReadonlyMap<string, ReadonlyMap<number, StageMedian>>;
  /** False when the organisation has no activities at all (an export without
   *  an activity log): the activity rules then say "not judged" instead of
   *  flagging every old deal. */
  activitiesRecorded: boolean;
}

export function buildRuleContext(
  input: {
    teams: readonly TeamRef[];
    wonDeals: readonly WonDealFacts[];
    wonStageStints: readonly WonStageStint[];
    /** Default true. */
    activitiesRecorded?: boolean;
  },
  settings: RuleSettings,
  asOf: Date,
  /** Each team's own thresholds (lookback, statistic, sample size, default cycle). */
  thresholds?: TeamThresholds,
): RuleContext {
  const stageMedians = medianDaysInStage(input.wonStageStints, settings, asOf);
  // Stage medians depend only on the lookback: one set per distinct lookback.
  const byLookback = new Map<number, ReadonlyMap<number, StageMedian>>([[settings.lookbackDays, stageMedians]]);
  const stageMediansByTeam = new Map<string, ReadonlyMap<number, StageMedian>>();
  for (const team of thresholds ? input.teams : []) {
    const lookbackDays = thresholds?.(team.id)?.values.lookbackDays ?? settings.lookbackDays;
    if (lookbackDays === settings.lookbackDays) continue;
    let medians = byLookback.get(lookbackDays);
    if (!medians) {
      medians = medianDaysInStage(input.wonStageStints, { ...settings, lookbackDays }, asOf);
      byLookback.set(lookbackDays, medians);
    }
    stageMediansByTeam.set(team.id, medians);
  }
  return {
    cycles: averageCycles(input.wonDeals, input.teams, settings, asOf, thresholds),
    stageMedians,
    ...(stageMediansByTeam.size > 0 ? { stageMediansByTeam } : {}),
    activitiesRecorded: input.activitiesRecorded ?? true,
  };
}

/** The stage medians a team's deals are measured against (over the team's lookback). */
export function stageMediansForTeam(context: RuleContext, teamId: string | null): ReadonlyMap<number, StageMedian> {
  return (teamId !== null ? context.stageMediansByTeam?.get(teamId) : undefined) ?? context.stageMedians;
}
