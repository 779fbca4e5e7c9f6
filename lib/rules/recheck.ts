// When a deal needs judging again. A review that re-judges every open deal
// every day repeats work: most verdicts cannot change until a clock crosses a
// limit, a waiver ends, or the facts or the yardsticks (cycle, stage median)
// change. These two functions say when and on what a deal's verdict depends,
// so the incremental review (lib/reviews) re-judges only the deals whose day
// has come, whose facts changed, or whose yardsticks moved.
//
// PLACEHOLDER (safe, saves nothing): `recheckAt` says "tomorrow" and
// `contextKey` names the whole context a deal's team reads. The real
// per-rule analysis replaces both; their contracts below do not change.
import { utcDayNumber, startOfUtcDayNumber } from "./days";
import type { RuleSettings, TeamThresholds } from "./settings";
import { averageCycleForTeam, type RuleContext, stageMediansForTeam } from "./statistics";
import type { DealFacts } from "./types";

/**
 * The earliest instant after `asOf` at which this deal's verdict — as stored:
 * each flag's rule, severity and anchors as the episode writer compares them,
 * the suppressed flags and their waivers, the not-judged reasons — may differ
 * from its verdict at `asOf`, the facts and the context staying the same: time
 * passing alone (a day count crossing a limit, a waiver ending or starting, an
 * activity leaving the one-sided window, a fact dated after `asOf` coming into
 * effect). Null: time alone never changes it. Erring early is safe (the deal
 * is judged again for nothing); erring late is a wrong verdict.
 */
export function recheckAt(
  _deal: DealFacts,
  _context: RuleContext,
  _settings: RuleSettings,
  asOf: Date,
  _thresholds?: TeamThresholds,
): Date | null {
  return startOfUtcDayNumber(utcDayNumber(asOf) + 1);
}

/**
 * Names every value outside the deal's own facts that its verdict reads: its
 * team's cycle, its stage's median, whether the organisation records
 * activities, the thresholds in force and where each was set. Same facts, same
 * key and the same instant give the same verdict; a review compares today's key
 * with the one stored at the deal's last judgement to find deals whose
 * yardsticks moved.
 */
export function contextKey(
  deal: DealFacts,
  context: RuleContext,
  settings: RuleSettings,
  thresholds?: TeamThresholds,
): string {
  const effective = thresholds?.(deal.teamId);
  const values = effective?.values ?? settings;
  const levels = effective ? Object.keys(values).map((key) => effective.levelOf(key as keyof RuleSettings)) : null;
  return JSON.stringify([
    averageCycleForTeam(context.cycles, deal.teamId),
    stageMediansForTeam(context, deal.teamId).get(deal.stageId) ?? null,
    context.activitiesRecorded,
    values,
    levels,
  ]);
}
