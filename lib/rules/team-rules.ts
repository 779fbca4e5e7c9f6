// Team-level rule, "the sales trap": a team closes a big period while its
// open pipeline and its new-deal creation shrink — next quarter's number is
// being eaten today. Pipeline should be stable or growing (SPEC.md).
//
// Periods are runs of `salesTrapPeriodDays` UTC calendar days, the last one
// ending with asOf's day, so the current period is as long as those it is
// compared with (a month-to-date would always look like a fall in new
// pipeline) and a day means what it means in every other rule.
import { startOfUtcDayNumber, utcDayNumber } from "./days";
import {
  describeLevel,
  ORGANISATION_LEVEL_OF,
  type RuleSettings,
  type TeamThresholds,
  type ThresholdLevelOf,
} from "./settings";
import { RULES, type Flag } from "./types";
import { formatCents, theTeam } from "./wording";

/** One period of a team's pipeline, in integer cents of the organisation's currency. */
export interface TeamPeriod {
  /** Value of deals won in the period. */
  wonCents: number;
  /** Open pipeline value at the end of the period. */
  openPipelineCents: number;
  /** Value of opportunities opened in the period. */
  newPipelineCents: number;
}

export interface TeamFacts {
  id: string;
  name: string;
  currency: string;
  /** Oldest first; the last is the current period (ending at asOf), built
   *  over `salesTrapPeriods(asOf, settings)`. Older extra periods are ignored. */
  periods: readonly TeamPeriod[];
}

export type TeamFlag = Flag<"sales-trap">;

export interface TeamVerdict {
  teamId: string;
  flags: TeamFlag[];
}

export interface PeriodWindow {
  /** UTC midnight starting the period's first day (inclusive). */
  from: Date;
  /** UTC midnight after the period's last day (exclusive). For the current
   *  period that is the midnight after asOf's day: the caller still counts
   *  nothing after asOf, which had not happened yet. */
  until: Date;
}

/**
 * The windows the caller sums over, oldest first: the trailing periods, then
 * the current one — whole UTC calendar days, the last ending with asOf's day.
 */
export function salesTrapPeriods(asOf: Date, settings: RuleSettings): PeriodWindow[] {
  const periodDays = settings.salesTrapPeriodDays;
  const dayAfterAsOf = utcDayNumber(asOf) + 1;
  const windows: PeriodWindow[] = [];
  for (let back = settings.salesTrapTrailingPeriods; back >= 0; back--) {
    const untilDay = dayAfterAsOf - back * periodDays;
    windows.push({ from: startOfUtcDayNumber(untilDay - periodDays), until: startOfUtcDayNumber(untilDay) });
  }
  return windows;
}

export function salesTrap(
  team: TeamFacts,
  settings: RuleSettings,
  levelOf: ThresholdLevelOf = ORGANISATION_LEVEL_OF,
): TeamFlag | null {
  const trailingCount = settings.salesTrapTrailingPeriods;
  const current = team.periods[team.periods.length - 1];
  const trailing = team.periods.slice(-(trailingCount + 1), -1);
  if (!current || trailing.length < trailingCount) return null; // not enough history to compare

  let wonSum = 0;
  let openSum = 0;
  let newSum = 0;
  for (const period of trailing) {
    wonSum += period.wonCents;
    openSum += period.openPipelineCents;
    newSum += period.newPipelineCents;
  }
  // Compare totals (value × periods against the sum) to stay in exact integers.
  const wonAbove = current.wonCents * trailingCount > wonSum;
  const openFell = current.openPipelineCents * trailingCount < openSum;
  const newFell = current.newPipelineCents * trailingCount < newSum;
  if (!(wonAbove && openFell && newFell)) return null;

  const money = (cents: number) => formatCents(cents, team.currency);
  const averageWon = wonSum / trailingCount;
  const averageOpen = openSum / trailingCount;
  const averageNew = newSum / trailingCount;
  const periodDays = settings.salesTrapPeriodDays;
  const teamName = theTeam(team.name);
  return {
    rule: "sales-trap",
    severity: RULES["sales-trap"].severity,
    explanation:
      `${teamName.charAt(0).toUpperCase()}${teamName.slice(1)} won ${money(current.wonCents)} in the last ${periodDays} days — ` +
      `above its ${periodDays}-day average of ${money(averageWon)} over the previous ${periodDays * trailingCount} days — ` +
      `while open pipeline fell to ${money(current.openPipelineCents)} (average ${money(averageOpen)}) ` +
      `and new pipeline created fell to ${money(current.newPipelineCents)} (average ${money(averageNew)})` +
      `${teamPeriodsNote(levelOf)}.`,
    metrics: {
      periodDays,
      trailingPeriods: trailingCount,
      wonCents: current.wonCents,
      averageWonCents: Math.round(averageWon),
      openPipelineCents: current.openPipelineCents,
      averageOpenPipelineCents: Math.round(averageOpen),
      newPipelineCents: current.newPipelineCents,
      averageNewPipelineCents: Math.round(averageNew),
    },
  };
}

/** " (periods: Central team's setting)" when the team set its own sales-trap periods; organisation defaults go unsaid. */
function teamPeriodsNote(levelOf: ThresholdLevelOf): string {
  const level = [levelOf("salesTrapPeriodDays"), levelOf("salesTrapTrailingPeriods")].find(
    (candidate) => candidate.kind === "team",
  );
  return level ? ` (periods: ${describeLevel(level)})` : "";
}

/** `settings` are the team's own thresholds when it has any (periods must match those its facts were read with). */
export function evaluateTeam(
  team: TeamFacts,
  settings: RuleSettings,
  levelOf: ThresholdLevelOf = ORGANISATION_LEVEL_OF,
): TeamVerdict {
  const found = salesTrap(team, settings, levelOf);
  return { teamId: team.id, flags: found ? [found] : [] };
}

/** Each team with its own thresholds (`thresholds`), or all with `settings`. */
export function evaluateTeams(
  teams: Iterable<TeamFacts>,
  settings: RuleSettings,
  thresholds?: TeamThresholds,
): TeamVerdict[] {
  const verdicts: TeamVerdict[] = [];
  for (const team of teams) {
    const effective = thresholds?.(team.id);
    verdicts.push(evaluateTeam(team, effective?.values ?? settings, effective?.levelOf));
  }
  return verdicts;
}
