// Each team's rule thresholds: the organisation defaults with the team's
// overrides (TeamRuleSettings) on top. Read with one query by the review,
// the re-evaluation after an action and the live preview, so all three judge
// a team's deals with the same numbers and name the same level.
import type { Viewer } from "@/lib/auth/viewer";
import type { Query } from "@/lib/db/bulk-sql";
import {
  effectiveThresholds,
  type EffectiveThresholds,
  parseTeamOverrides,
  type RuleSettings,
  type TeamOverrides,
  type TeamThresholds,
} from "@/lib/rules/settings";

export interface StoredTeamOverrides {
  teamId: string;
  teamName: string;
  overrides: TeamOverrides;
}

/** Every team that has overrides, with its name (explanations say "Enterprise team's setting"). */
export async function loadTeamOverrides(query: Query): Promise<StoredTeamOverrides[]> {
  const rows = await query<{ teamId: string; teamName: string; overrides: unknown }>(
    `SELECT s."teamId", t.name AS "teamName", s.overrides
       FROM "TeamRuleSettings" s JOIN "Team" t ON t.id = s."teamId"`,
  );
  return rows.map((row) => ({
    teamId: row.teamId,
    teamName: row.teamName,
    overrides: parseTeamOverrides(row.overrides),
  }));
}

/**
 * Each team's thresholds over `orgDefaults`. `trying` replaces one team's
 * stored overrides (the live preview of a team's form); deals of teams
 * without overrides, and reps without a team, get the organisation defaults.
 */
export function teamThresholds(
  orgDefaults: RuleSettings,
  stored: readonly StoredTeamOverrides[],
  trying?: { teamId: string; teamName: string; overrides: TeamOverrides },
): TeamThresholds {
  const byTeam = new Map(stored.map((team) => [team.teamId, effectiveThresholds(orgDefaults, team)]));
  if (trying) byTeam.set(trying.teamId, effectiveThresholds(orgDefaults, trying));
  const organisation = effectiveThresholds(orgDefaults);
  return (teamId) => (teamId === null ? organisation : (byTeam.get(teamId) ?? organisation));
}

/** One team's thresholds (the organisation's for no team, or a team without overrides). */
export async function thresholdsForTeam(
  query: Query,
  teamId: string | null,
  orgDefaults: RuleSettings,
): Promise<EffectiveThresholds> {
  if (teamId === null) return effectiveThresholds(orgDefaults);
  const [row] = await query<{ teamName: string; overrides: unknown }>(
    `SELECT t.name AS "teamName", s.overrides
       FROM "Team" t LEFT JOIN "TeamRuleSettings" s ON s."teamId" = t.id
      WHERE t.id = $1`,
    [teamId],
  );
  return row
    ? effectiveThresholds(orgDefaults, { teamName: row.teamName, overrides: parseTeamOverrides(row.overrides) })
    : effectiveThresholds(orgDefaults);
}

/** The thresholds a deal's owner's team judges it with (its waiver limits, for one). */
export async function thresholdsForOwner(
  query: Query,
  ownerId: string,
  orgDefaults: RuleSettings,
): Promise<EffectiveThresholds> {
  const [owner] = await query<{ teamId: string | null }>(`SELECT "teamId" FROM "User" WHERE id = $1`, [ownerId]);
  return thresholdsForTeam(query, owner?.teamId ?? null, orgDefaults);
}

/**
 * The settings to read facts with when each team may read further back than
 * the organisation: the longest lookback of any team (the engine then keeps
 * each team's own window). Everything else stays the organisation's.
 */
export function widestReadSettings(orgDefaults: RuleSettings, stored: readonly StoredTeamOverrides[]): RuleSettings {
  let lookbackDays = orgDefaults.lookbackDays;
  for (const team of stored) lookbackDays = Math.max(lookbackDays, team.overrides.lookbackDays ?? 0);
  return lookbackDays === orgDefaults.lookbackDays ? orgDefaults : { ...orgDefaults, lookbackDays };
}

/** Whether the viewer may set this team's threshold overrides: an admin for any team, a manager for their own. */
export function canEditTeamThresholds(viewer: Viewer, teamId: string): boolean {
  return viewer.role === "admin" || (viewer.role === "manager" && viewer.teamId === teamId);
}
