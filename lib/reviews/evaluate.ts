// One evaluation of the rules over a scope: load the facts (lib/reviews/facts.ts),
// run the pure engine (lib/rules), and write the verdicts as Flag rows that
// supersede the scope's current flags. Shared by the full review run and the
// re-evaluation of single deals after an action, so both flag the same way.
import { buildRuleContext, type RuleContext } from "@/lib/rules/statistics";
import { evaluateDeals } from "@/lib/rules/deal-rules";
import { evaluateReps } from "@/lib/rules/rep-rules";
import { evaluateTeams } from "@/lib/rules/team-rules";
import { parseRuleSettings, type RuleSettings } from "@/lib/rules/settings";
import type { DealFacts, DealVerdict, Flag } from "@/lib/rules/types";
import type { RepFacts, RepVerdict } from "@/lib/rules/rep-rules";
import type { TeamVerdict } from "@/lib/rules/team-rules";
import { loadCycleInputs, loadOpenDeals, loadReps, loadTeamPeriods, type Query, type ReviewScope } from "./facts";

export interface Evaluation {
  settings: RuleSettings;
  context: RuleContext;
  deals: DealFacts[];
  /** The reps evaluated (none for a deal-only scope). */
  reps: RepFacts[];
  dealVerdicts: DealVerdict[];
  repVerdicts: RepVerdict[];
  teamVerdicts: TeamVerdict[];
}

export async function loadOrgRules(query: Query): Promise<{ settings: RuleSettings; currency: string }> {
  const [row] = await query<{ rules: unknown; currency: string }>(
    `SELECT rules, currency FROM "OrgSettings" WHERE id = 1`,
  );
  return { settings: parseRuleSettings(row?.rules ?? {}), currency: row?.currency ?? "USD" };
}

/**
 * Evaluates the scope. Deal-only scopes (re-evaluation) skip the rep and team
 * rules, which look at whole pipelines.
 */
export async function evaluateScope(
  query: Query,
  scope: ReviewScope,
  asOf: Date,
  options: { fromHistory: boolean; settings?: RuleSettings },
): Promise<Evaluation> {
  const org = await loadOrgRules(query);
  const settings = options.settings ?? org.settings;
  const [cycleInputs, deals, reps, teams] = await Promise.all([
    loadCycleInputs(query, settings, asOf),
    loadOpenDeals(query, scope, settings, asOf, options),
    scope.dealIds ? Promise.resolve([]) : loadReps(query, scope, asOf),
    scope.dealIds ? Promise.resolve([]) : loadTeamPeriods(query, scope, settings, asOf, org.currency),
  ]);
  const context = buildRuleContext(cycleInputs, settings, asOf);
  return {
    settings,
    context,
    deals,
    reps,
    dealVerdicts: evaluateDeals(deals, context, settings, asOf),
    repVerdicts: evaluateReps(reps, settings, asOf),
    teamVerdicts: evaluateTeams(teams, settings),
  };
}

interface FlagRow {
  opportunityId: number | null;
  userId: string | null;
  teamId: string | null;
  flag: Flag;
}

export function flagRows(evaluation: Evaluation): FlagRow[] {
  const rows: FlagRow[] = [];
  for (const verdict of evaluation.dealVerdicts) {
    for (const flag of verdict.flags) rows.push({ opportunityId: verdict.dealId, userId: null, teamId: null, flag });
  }
  for (const verdict of evaluation.repVerdicts) {
    for (const flag of verdict.flags) rows.push({ opportunityId: null, userId: verdict.userId, teamId: null, flag });
  }
  for (const verdict of evaluation.teamVerdicts) {
    for (const flag of verdict.flags) rows.push({ opportunityId: null, userId: null, teamId: verdict.teamId, flag });
  }
  return rows;
}

/** Inserts flags in one statement (arrays unnested), whatever their number. */
export async function insertFlags(
  query: Query,
  rows: FlagRow[],
  reviewId: number | null,
  asOf: Date,
  now: Date,
): Promise<void> {
  const chunk = 20_000;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    await query(
      `INSERT INTO "Flag" ("reviewId", "opportunityId", "userId", "teamId", rule, severity, explanation, metrics, "asOf", "createdAt")
       SELECT $1, t.opportunity_id, t.user_id, t.team_id, t.rule, t.severity::"Severity", t.explanation, t.metrics::jsonb, $2, $3
         FROM unnest($4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
           AS t(opportunity_id, user_id, team_id, rule, severity, explanation, metrics)`,
      [
        reviewId,
        asOf,
        now,
        part.map((row) => row.opportunityId),
        part.map((row) => row.userId),
        part.map((row) => row.teamId),
        part.map((row) => row.flag.rule),
        part.map((row) => row.flag.severity),
        part.map((row) => row.flag.explanation),
        part.map((row) => JSON.stringify(row.flag.metrics)),
      ],
    );
  }
}
