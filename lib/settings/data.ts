// Organisation-wide settings: the settings screen (thresholds, stages,
// quotas) and the live preview of rule settings.
import "server-only";
import { ActionRefused } from "@/lib/action-result";
import { visibleDealsWhere, visibleUsersWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db, getConnection } from "@/lib/db";
import { getOrgContext } from "@/lib/org/data";
import { evaluateScope } from "@/lib/reviews/evaluate";
import type { Query } from "@/lib/db/bulk-sql";
import { type ReviewTotals, summarise } from "@/lib/reviews/mutations";
import { parseRuleSettings, parseTeamOverrides, type RuleSettings, type TeamOverrides } from "@/lib/rules/settings";
import { canEditTeamThresholds, loadTeamOverrides } from "@/lib/org/team-thresholds";
import { RULES, type RuleName } from "@/lib/rules/types";
import { theTeam } from "@/lib/rules/wording";

// The organisation's context moved to lib/org/data.ts (reviews need it too, and
// settings imports reviews); pages still import it from here.
export { getOrgContext, type OrgContext } from "@/lib/org/data";

// ---------------------------------------------------------------------------
// The settings screen: thresholds, stages, quotas, and the live preview.

export interface StageSetting {
  id: number;
  name: string;
  order: number;
  probability: number;
  early: boolean;
  maxDaysInStage: number | null;
  active: boolean;
  /** Open deals in the stage that the viewer may see. */
  openDeals: number;
}

export interface QuotaPeriodOption {
  /** UTC midnight of the first and last day (inclusive). */
  start: Date;
  end: Date;
  reps: number;
}

export interface RepQuota {
  userId: string;
  name: string;
  teamName: string | null;
  /** "250000.00"; null when the rep has no quota for the period. */
  amount: string | null;
}

/** One team's threshold overrides as the settings page shows them. */
export interface TeamThresholdsView {
  teamId: string;
  teamName: string;
  /** Only the thresholds the team set; the rest are the organisation defaults. */
  overrides: TeamOverrides;
  /** The team's manager or an admin; everyone else sees them read-only. */
  canEdit: boolean;
}

export interface SettingsPageData {
  /** Thresholds, stages and the as-of date: the admin's; everyone else sees them read-only. */
  canEditOrganisation: boolean;
  /** Quotas: admins for everyone, managers for their own team's reps. */
  canEditQuotas: boolean;
  rules: RuleSettings;
  stages: StageSetting[];
  periods: QuotaPeriodOption[];
  period: { start: Date; end: Date };
  quotas: RepQuota[];
  /** The organisation's fixed date; null = today. */
  fixedAsOf: Date | null;
  /** Teams whose thresholds the viewer may see: every team for an admin, their own for the others. */
  teamThresholds: TeamThresholdsView[];
}

export async function getSettingsPage(
  viewer: Viewer,
  options: { asOf: Date; periodStart?: string },
  client: DbClient = db,
): Promise<SettingsPageData> {
  const repsWhere = { AND: [visibleUsersWhere(viewer), { role: "rep" as const, active: true }] };
  const [org, stages, openByStage, periodRows, reps, teams] = await Promise.all([
    client.orgSettings.findUnique({ where: { id: 1 }, select: { rules: true, asOf: true } }),
    client.stage.findMany({ orderBy: { order: "asc" } }),
    client.opportunity.groupBy({
      by: ["stageId"],
      where: { AND: [visibleDealsWhere(viewer), { status: "open" }] },
      _count: { _all: true },
    }),
    client.quota.groupBy({
      by: ["periodStart", "periodEnd"],
      where: { user: repsWhere },
      _count: { _all: true },
      orderBy: [{ periodStart: "desc" }, { periodEnd: "desc" }],
    }),
    client.user.findMany({
      where: repsWhere,
      orderBy: [{ team: { name: "asc" } }, { name: "asc" }],
      select: { id: true, name: true, team: { select: { name: true } } },
    }),
    client.team.findMany({
      where: viewer.role === "admin" ? {} : { id: viewer.teamId ?? "" },
      orderBy: { name: "asc" },
      select: { id: true, name: true, ruleSettings: { select: { overrides: true } } },
    }),
  ]);
  const openCounts = new Map(openByStage.map((row) => [row.stageId, row._count._all]));
  const periods = periodRows.map((row) => ({ start: row.periodStart, end: row.periodEnd, reps: row._count._all }));
  const period = choosePeriod(periods, options);
  const quotaRows = reps.length
    ? await client.quota.findMany({
        where: { userId: { in: reps.map((rep) => rep.id) }, periodStart: period.start },
        select: { userId: true, amount: true },
      })
    : [];
  const amounts = new Map(quotaRows.map((row) => [row.userId, row.amount.toFixed(2)]));

  return {
    canEditOrganisation: viewer.role === "admin",
    canEditQuotas: viewer.role === "admin" || viewer.role === "manager",
    rules: parseRuleSettings(org?.rules ?? {}),
    stages: stages.map((stage) => ({
      id: stage.id,
      name: stage.name,
      order: stage.order,
      probability: stage.probability,
      early: stage.early,
      maxDaysInStage: stage.maxDaysInStage,
      active: stage.active,
      openDeals: openCounts.get(stage.id) ?? 0,
    })),
    periods,
    period,
    quotas: reps.map((rep) => ({
      userId: rep.id,
      name: rep.name,
      teamName: rep.team?.name ?? null,
      amount: amounts.get(rep.id) ?? null,
    })),
    fixedAsOf: org?.asOf ?? null,
    teamThresholds: teams.map((team) => ({
      teamId: team.id,
      teamName: team.name,
      overrides: parseTeamOverrides(team.ruleSettings?.overrides ?? {}),
      canEdit: canEditTeamThresholds(viewer, team.id),
    })),
  };
}

/** The period asked for (?period=YYYY-MM-DD), else the one holding the as-of date, else its calendar quarter. */
function choosePeriod(
  periods: QuotaPeriodOption[],
  options: { asOf: Date; periodStart?: string },
): { start: Date; end: Date } {
  const asked = options.periodStart ? periods.find((p) => isoDay(p.start) === options.periodStart) : undefined;
  if (asked) return { start: asked.start, end: asked.end };
  if (options.periodStart && /^\d{4}-\d{2}-\d{2}$/.test(options.periodStart)) {
    const start = new Date(`${options.periodStart}T00:00:00.000Z`);
    if (!Number.isNaN(start.getTime())) return { start, end: quarterOf(start).end };
  }
  const day = new Date(`${isoDay(options.asOf)}T00:00:00.000Z`);
  const current = periods.find((p) => p.start.getTime() <= day.getTime() && p.end.getTime() >= day.getTime());
  return current ? { start: current.start, end: current.end } : quarterOf(day);
}

/** The calendar quarter holding a day (UTC). */
export function quarterOf(day: Date): { start: Date; end: Date } {
  const firstMonth = Math.floor(day.getUTCMonth() / 3) * 3;
  const start = new Date(Date.UTC(day.getUTCFullYear(), firstMonth, 1));
  const end = new Date(Date.UTC(day.getUTCFullYear(), firstMonth + 3, 1) - 86_400_000);
  return { start, end };
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export interface RuleTally {
  count: number;
  valueCents: number;
}

export interface RulePreviewCounts {
  openDeals: number;
  openValueCents: number;
  flaggedDeals: number;
  flaggedValueCents: number;
  staleDeals: number;
  staleValueCents: number;
  /** Deals (rep and team rules: reps and teams) each rule flags, with the deals' value. */
  byRule: Record<RuleName, RuleTally>;
}

export interface RulePreview {
  /** The settings being tried. */
  candidate: RulePreviewCounts;
  /** The settings in force. */
  saved: RulePreviewCounts;
  savedSettings: RuleSettings;
  /** "the Central team" / "the whole organisation". */
  scope: string;
  asOf: Date;
}

/**
 * What the rules would flag with candidate settings, next to what they flag
 * with the saved ones, over the viewer's review scope and the current data —
 * the same engine and the same totals a review stores (lib/reviews), without
 * writing anything.
 */
export async function previewRuleSettings(
  viewer: Viewer,
  candidate: RuleSettings,
  options: { now?: Date } = {},
): Promise<RulePreview> {
  if (viewer.role === "rep") {
    throw new ActionRefused("Only managers and admins can try out rule settings.", "forbidden");
  }
  if (viewer.role === "manager" && !viewer.teamId) {
    throw new ActionRefused("You manage no team yet, so there are no deals to preview.", "invalid");
  }
  const now = options.now ?? new Date();
  const org = await getOrgContext(now);
  const saved = parseRuleSettings(org.rules);
  const teamId = viewer.role === "manager" ? viewer.teamId : null;
  const fromHistory = org.asOfFixed && org.asOf.getTime() < now.getTime() - 60_000;
  const runner = getConnection().sql;
  const query: Query = (sql, params) => runner.query(sql, params);
  const scope = { teamId, dealIds: null };

  const teams = await query<{ id: string; name: string }>(`SELECT id, name FROM "Team"`);
  const teamNames = new Map(teams.map((team) => [team.id, team.name]));
  const count = async (settings: RuleSettings) =>
    previewCounts(summarise(await evaluateScope(query, scope, org.asOf, { fromHistory, settings }), teamNames));
  const savedCounts = await count(saved);
  const same = (Object.keys(saved) as (keyof RuleSettings)[]).every((key) => saved[key] === candidate[key]);
  const candidateCounts = same ? savedCounts : await count(candidate);
  return {
    candidate: candidateCounts,
    saved: savedCounts,
    savedSettings: saved,
    scope: teamId ? `the ${teamNames.get(teamId) ?? "your"} team` : "the whole organisation",
    asOf: org.asOf,
  };
}

/**
 * The live preview of a team's form: what the rules would flag on the team's
 * deals with the candidate overrides, next to the team's saved ones — the same
 * engine as a review, writing nothing. `savedSettings` and `candidateSettings`
 * are the team's effective thresholds (organisation defaults + overrides).
 */
export async function previewTeamThresholds(
  viewer: Viewer,
  teamId: string,
  candidate: TeamOverrides,
  options: { now?: Date } = {},
): Promise<RulePreview & { candidateSettings: RuleSettings; teamName: string }> {
  if (!canEditTeamThresholds(viewer, teamId)) {
    throw new ActionRefused(
      viewer.role === "manager"
        ? "You can try out thresholds for your own team only."
        : "Only a team's manager or an admin can try out the team's thresholds.",
      "forbidden",
    );
  }
  const now = options.now ?? new Date();
  const org = await getOrgContext(now);
  const defaults = parseRuleSettings(org.rules);
  const fromHistory = org.asOfFixed && org.asOf.getTime() < now.getTime() - 60_000;
  const runner = getConnection().sql;
  const query: Query = (sql, params) => runner.query(sql, params);
  const teams = await query<{ id: string; name: string }>(`SELECT id, name FROM "Team"`);
  const teamNames = new Map(teams.map((team) => [team.id, team.name]));
  const teamName = teamNames.get(teamId);
  if (teamName === undefined) throw new ActionRefused("That team no longer exists. Reload the page.", "conflict");
  const stored = (await loadTeamOverrides(query)).find((team) => team.teamId === teamId)?.overrides ?? {};
  const trying = parseTeamOverrides(candidate);
  const scope = { teamId, dealIds: null };
  const count = async (overrides: TeamOverrides) =>
    previewCounts(
      summarise(
        await evaluateScope(query, scope, org.asOf, { fromHistory, teamOverrides: { teamId, teamName, overrides } }),
        teamNames,
      ),
    );
  const savedCounts = await count(stored);
  const same = JSON.stringify(sortedEntries(stored)) === JSON.stringify(sortedEntries(trying));
  const candidateCounts = same ? savedCounts : await count(trying);
  return {
    candidate: candidateCounts,
    saved: savedCounts,
    savedSettings: { ...defaults, ...stored },
    candidateSettings: { ...defaults, ...trying },
    teamName,
    scope: theTeam(teamName),
    asOf: org.asOf,
  };
}

const sortedEntries = (overrides: TeamOverrides) => Object.entries(overrides).sort(([a], [b]) => a.localeCompare(b));

function previewCounts(totals: ReviewTotals): RulePreviewCounts {
  const byRule = Object.fromEntries(
    (Object.keys(RULES) as RuleName[]).map((rule) => [
      rule,
      { count: totals.byRule[rule]?.count ?? 0, valueCents: totals.byRule[rule]?.valueCents ?? 0 },
    ]),
  ) as Record<RuleName, RuleTally>;
  return {
    openDeals: totals.openDeals,
    openValueCents: totals.openValueCents,
    flaggedDeals: totals.flaggedDeals,
    flaggedValueCents: totals.flaggedValueCents,
    staleDeals: totals.staleDeals,
    staleValueCents: totals.staleValueCents,
    byRule,
  };
}
