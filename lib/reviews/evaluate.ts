// One evaluation of the rules over a scope: load the facts (lib/reviews/facts.ts),
// run the pure engine (lib/rules), and turn the verdicts into flag rows for
// flag-episodes.ts. Shared by the full review run and the re-evaluation of
// single deals after an action, so both flag the same way.
import type { Query } from "@/lib/db/bulk-sql";
import { buildRuleContext, type RuleContext } from "@/lib/rules/statistics";
import { evaluateDeals } from "@/lib/rules/deal-rules";
import { evaluateReps } from "@/lib/rules/rep-rules";
import { evaluateTeams } from "@/lib/rules/team-rules";
import { parseRuleSettings, type RuleSettings, type TeamOverrides, type TeamThresholds } from "@/lib/rules/settings";
import {
  loadTeamOverrides,
  type StoredTeamOverrides,
  teamThresholds,
  widestReadSettings,
} from "@/lib/org/team-thresholds";
import type { DealFacts, DealRuleName, DealVerdict, Flag } from "@/lib/rules/types";
import type { RepFacts, RepVerdict } from "@/lib/rules/rep-rules";
import type { TeamVerdict } from "@/lib/rules/team-rules";
import { loadCycleInputs, loadOpenDeals, loadReps, loadTeamPeriods, type ReviewScope } from "./facts";

export interface Evaluation {
  settings: RuleSettings;
  /** Each team's thresholds (what recheck.ts reads along with the settings). */
  thresholds: TeamThresholds;
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
 * What every deal and rep in a review is judged against, loaded before any
 * deal: the settings, each team's thresholds, and the yardsticks (cycles,
 * stage medians). The incremental review compares them with the last review's
 * before choosing which deals to judge again.
 */
export interface RuleBasis {
  settings: RuleSettings;
  currency: string;
  /** The teams' saved overrides, as stored (the incremental review compares them). */
  storedOverrides: StoredTeamOverrides[];
  thresholds: TeamThresholds;
  settingsOf: (teamId: string | null) => RuleSettings;
  context: RuleContext;
}

export async function loadRuleBasis(
  query: Query,
  asOf: Date,
  options: {
    /** Organisation defaults to try instead of the saved ones (the live preview). */
    settings?: RuleSettings;
    /** One team's overrides to try instead of its saved ones (the live preview of a team's form). */
    teamOverrides?: { teamId: string; teamName: string; overrides: TeamOverrides };
  } = {},
): Promise<RuleBasis> {
  const [org, storedOverrides] = await Promise.all([loadOrgRules(query), loadTeamOverrides(query)]);
  const settings = options.settings ?? org.settings;
  // Each deal's and rep's team judged with its own thresholds (SPEC: organisation defaults, overridden per team).
  const thresholds = teamThresholds(settings, storedOverrides, options.teamOverrides);
  const settingsOf = (teamId: string | null) => thresholds(teamId)?.values ?? settings;
  const tried = options.teamOverrides ? [options.teamOverrides] : [];
  const cycleInputs = await loadCycleInputs(query, widestReadSettings(settings, [...storedOverrides, ...tried]), asOf);
  const context = buildRuleContext(cycleInputs, settings, asOf, thresholds);
  return { settings, currency: org.currency, storedOverrides, thresholds, settingsOf, context };
}

/**
 * Evaluates the scope. Deal-only scopes (re-evaluation) skip the rep and team
 * rules, which look at whole pipelines, unless `people` asks for them (the
 * incremental review: some deals, every rep and team).
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
    /** Already loaded (the review loads it first to plan). */
    basis?: RuleBasis;
    /** Run the rep and team rules too (default: only when the scope is not a list of deals). */
    people?: boolean;
    /** Times each part ("evaluate/deals", "/reps", "/teams", "/rules": the review's phase breakdown). */
    timed?: <T>(phase: string, step: () => Promise<T>) => Promise<T>;
  },
): Promise<Evaluation> {
  const basis = options.basis ?? (await loadRuleBasis(query, asOf, options));
  const { settings, settingsOf, thresholds, context } = basis;
  const people = options.people ?? !scope.dealIds;
  const loadDeals = async () =>
    scope.dealIds?.length === 0
      ? []
      : loadOpenDeals(query, scope, settings, asOf, {
          fromHistory: options.fromHistory,
          oneSidedWindowDaysOf: (teamId) => settingsOf(teamId).oneSidedWindowDays,
        });
  const loadPeople = async () => (people ? loadReps(query, scope, asOf) : []);
  const loadTeams = async () =>
    people ? loadTeamPeriods(query, scope, settings, asOf, basis.currency, settingsOf) : [];
  // Timed, the parts run one after another so each time is its own; inside the
  // review's transaction they share one connection and queue anyway.
  const time = options.timed;
  const [deals, reps, teams] = time
    ? [
        await time("evaluate/deals", loadDeals),
        await time("evaluate/reps", loadPeople),
        await time("evaluate/teams", loadTeams),
      ]
    : await Promise.all([loadDeals(), loadPeople(), loadTeams()]);
  const judge = async () => ({
    dealVerdicts: evaluateDeals(deals, context, settings, asOf, thresholds),
    repVerdicts: evaluateReps(reps, settings, asOf, thresholds),
    teamVerdicts: evaluateTeams(teams, settings, thresholds),
  });
  const verdicts = await (time ? time("evaluate/rules", judge) : judge());
  return { settings, thresholds, context, deals, reps, ...verdicts };
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

export interface FlagRow {
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
