// One evaluation of the rules over a scope: load the facts (lib/reviews/facts.ts),
// run the pure engine (lib/rules), and write the verdicts as flag episodes
// (writeFlagEpisodes: only what started, ended or changed). Shared by the full review run and the
// re-evaluation of single deals after an action, so both flag the same way.
import { chunks, type Query } from "@/lib/db/bulk-sql";
import { buildRuleContext, type RuleContext } from "@/lib/rules/statistics";
import { evaluateDeals } from "@/lib/rules/deal-rules";
import { evaluateReps } from "@/lib/rules/rep-rules";
import { evaluateTeams } from "@/lib/rules/team-rules";
import { parseRuleSettings, type RuleSettings, type TeamOverrides } from "@/lib/rules/settings";
import { loadTeamOverrides, teamThresholds } from "@/lib/settings/team-thresholds";
import type { DealFacts, DealRuleName, DealVerdict, Flag } from "@/lib/rules/types";
import type { RepFacts, RepVerdict } from "@/lib/rules/rep-rules";
import type { TeamVerdict } from "@/lib/rules/team-rules";
import { loadCycleInputs, loadOpenDeals, loadReps, loadTeamPeriods, type ReviewScope } from "./facts";

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
  options: {
    fromHistory: boolean;
    /** Organisation defaults to try instead of the saved ones (the live preview). */
    settings?: RuleSettings;
    /** One team's overrides to try instead of its saved ones (the live preview of a team's form). */
    teamOverrides?: { teamId: string; teamName: string; overrides: TeamOverrides };
  },
): Promise<Evaluation> {
  const [org, storedOverrides] = await Promise.all([loadOrgRules(query), loadTeamOverrides(query)]);
  const settings = options.settings ?? org.settings;
  // Each deal's and rep's team judged with its own thresholds (SPEC: organisation defaults, overridden per team).
  const thresholds = teamThresholds(settings, storedOverrides, options.teamOverrides);
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
    dealVerdicts: evaluateDeals(deals, context, settings, asOf, thresholds),
    repVerdicts: evaluateReps(reps, settings, asOf, thresholds),
    teamVerdicts: evaluateTeams(teams, settings),
  };
}

/** Deals per rule the data could not support, and why (SPEC: "not judged" counts appear in the totals). */
export type NotJudgedTotals = Partial<Record<DealRuleName, { count: number; reasons: Record<string, number> }>>;

export function tallyNotJudged(verdicts: readonly DealVerdict[]): NotJudgedTotals {
  const totals: NotJudgedTotals = {};
  for (const verdict of verdicts) {
    for (const { rule, reason } of verdict.notJudged) {
      const entry = totals[rule] ?? { count: 0, reasons: {} };
      entry.count += 1;
      entry.reasons[reason] = (entry.reasons[reason] ?? 0) + 1;
      totals[rule] = entry;
    }
  }
  return totals;
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

/** Which current episodes an evaluation speaks for: the ones it may end. */
export type EpisodeScope =
  | { kind: "organisation" }
  | { kind: "team"; teamId: string }
  | { kind: "deals"; dealIds: number[] };

export interface EpisodeChanges {
  started: number;
  ended: number;
  changed: number;
}

// The same subject and rule, as equalities PostgreSQL can hash-join on.
const sameEpisode = (f: string, t: string) =>
  `${f}.rule = ${t}.rule AND coalesce(${f}."opportunityId", 0) = coalesce(${t}.opportunity_id, 0)
   AND coalesce(${f}."userId", '') = coalesce(${t}.user_id, '') AND coalesce(${f}."teamId", '') = coalesce(${t}.team_id, '')`;

function scopeSql(scope: EpisodeScope, param: string): string {
  switch (scope.kind) {
    case "organisation":
      return "true";
    case "team":
      return `(f."teamId" = ${param}
        OR f."userId" IN (SELECT id FROM "User" WHERE "teamId" = ${param})
        OR f."opportunityId" IN (SELECT o.id FROM "Opportunity" o JOIN "User" u ON u.id = o."ownerId" WHERE u."teamId" = ${param}))`;
    case "deals":
      return `f."opportunityId" = ANY(${param}::int[])`;
  }
}

/** The scope's parameter, if it has one (PostgreSQL refuses a parameter the statement never uses). */
const scopeParams = (scope: EpisodeScope): unknown[] =>
  scope.kind === "team" ? [scope.teamId] : scope.kind === "deals" ? [scope.dealIds] : [];

/**
 * Writes an evaluation as flag episodes, touching only what moved:
 * - a current episode in `scope` the evaluation no longer finds ends at asOf;
 * - one it finds again with another severity, explanation or metrics is
 *   updated in place (latest numbers; asOf says when they were found);
 * - a verdict with no current episode starts one at asOf (reviewId: the
 *   review that started it, null for a re-evaluation).
 * A run that finds exactly what is current writes no flag row.
 *
 * The verdicts go into a session-local temporary table first, in statements
 * of up to 20,000 rows, each statement's rows as one JSON document
 * (json_to_recordset): on PGlite a third faster than a text array per
 * column. Callers hold the flag writers' lock (current-flags.ts).
 */
export async function writeFlagEpisodes(
  query: Query,
  rows: FlagRow[],
  scope: EpisodeScope,
  run: { reviewId: number | null; asOf: Date; now: Date },
): Promise<EpisodeChanges> {
  await query(
    `CREATE TEMP TABLE IF NOT EXISTS found_flag
       (opportunity_id int, user_id text, team_id text, rule text, severity text, explanation text, metrics jsonb)`,
  );
  await query(`TRUNCATE found_flag`);
  for (const part of chunks(rows)) {
    const document = JSON.stringify(
      part.map((row) => ({
        opportunity_id: row.opportunityId,
        user_id: row.userId,
        team_id: row.teamId,
        rule: row.flag.rule,
        severity: row.flag.severity,
        explanation: row.flag.explanation,
        metrics: row.flag.metrics,
      })),
    );
    await query(
      `INSERT INTO found_flag
       SELECT * FROM json_to_recordset($1::text::json)
           AS t(opportunity_id int, user_id text, team_id text, rule text, severity text, explanation text, metrics jsonb)`,
      [document],
    );
  }
  // Temporary tables are never analyzed by themselves; without statistics
  // the planner guesses a small table and loops instead of hashing.
  if (rows.length > 1_000) await query(`ANALYZE found_flag`);

  const [ended] = await query<{ count: number }>(
    `WITH ended AS (
       UPDATE "Flag" f SET "endedAt" = greatest(f."startedAt", $1::timestamptz)
        WHERE f."endedAt" IS NULL AND ${scopeSql(scope, "$2")}
          AND NOT EXISTS (SELECT 1 FROM found_flag t WHERE ${sameEpisode("f", "t")})
       RETURNING 1)
     SELECT count(*)::int AS count FROM ended`,
    [run.asOf, ...scopeParams(scope)],
  );
  const [changed] = await query<{ count: number }>(
    `WITH changed AS (
       UPDATE "Flag" f SET severity = t.severity::"Severity", explanation = t.explanation, metrics = t.metrics,
                           "asOf" = $1::timestamptz
         FROM found_flag t
        WHERE f."endedAt" IS NULL AND ${sameEpisode("f", "t")}
          AND (f.severity::text, f.explanation, f.metrics) IS DISTINCT FROM (t.severity, t.explanation, t.metrics)
       RETURNING 1)
     SELECT count(*)::int AS count FROM changed`,
    [run.asOf],
  );
  // ON CONFLICT: two re-evaluations of one deal share the lock; if the other
  // started the same episode first, that episode stands.
  const [started] = await query<{ count: number }>(
    `WITH started AS (
       INSERT INTO "Flag" ("reviewId", "opportunityId", "userId", "teamId", rule, severity, explanation, metrics,
                           "asOf", "createdAt", "startedAt")
       SELECT $1::int, t.opportunity_id, t.user_id, t.team_id, t.rule, t.severity::"Severity", t.explanation, t.metrics,
              $2::timestamptz, $3::timestamptz, $2::timestamptz
         FROM found_flag t
        WHERE NOT EXISTS (SELECT 1 FROM "Flag" f WHERE f."endedAt" IS NULL AND ${sameEpisode("f", "t")})
       ON CONFLICT DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS count FROM started`,
    [run.reviewId, run.asOf, run.now],
  );
  await query(`TRUNCATE found_flag`);
  return { started: started?.count ?? 0, ended: ended?.count ?? 0, changed: changed?.count ?? 0 };
}
