// The counting both ways of totalling a review share: summarise() from the
// verdicts in hand (a full review), storedTotals() from the stored flags (an
// incremental one).
import type { RuleName } from "@/lib/rules/types";
import type { Evaluation } from "./evaluate";

export interface Tally {
  count: number;
  valueCents: number;
}

export const emptyTally = (): Tally => ({ count: 0, valueCents: 0 });

/** The tally for a rule, created on first use. */
export function tallyOf(byRule: Partial<Record<RuleName, Tally>>, rule: RuleName): Tally {
  const tally = byRule[rule] ?? emptyTally();
  byRule[rule] = tally;
  return tally;
}

/**
 * Rep and team flags (those rules always run in full) counted per rule, and
 * for the team they are about too.
 */
export function countRepAndTeamFlags(
  evaluation: Pick<Evaluation, "reps" | "repVerdicts" | "teamVerdicts">,
  byRule: Partial<Record<RuleName, Tally>>,
  teamByRule: (teamId: string) => Partial<Record<RuleName, Tally>>,
): void {
  const repTeam = new Map(evaluation.reps.map((rep) => [rep.id, rep.teamId]));
  const teamFlags = [
    ...evaluation.repVerdicts.map((verdict) => ({ teamId: repTeam.get(verdict.userId) ?? null, flags: verdict.flags })),
    ...evaluation.teamVerdicts.map((verdict) => ({ teamId: verdict.teamId, flags: verdict.flags })),
  ];
  for (const { teamId, flags } of teamFlags) {
    for (const flag of flags) {
      tallyOf(byRule, flag.rule).count += 1;
      if (teamId) tallyOf(teamByRule(teamId), flag.rule).count += 1;
    }
  }
}
