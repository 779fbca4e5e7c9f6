// The back-test for a viewer: read once (facts.ts), replay in pure code
// (replay.ts), sum up (report.ts); nothing is written. Managers see their own
// team's closed deals, admins the organisation or any team (SPEC.md,
// Permissions: "rule thresholds").
import "server-only";
import { ActionRefused } from "@/lib/action-result";
import type { Viewer } from "@/lib/auth/viewer";
import { getConnection } from "@/lib/db";
import type { Query } from "@/lib/db/bulk-sql";
import { parseRuleSettings, type RuleSettings } from "@/lib/rules/settings";
import { getOrgContext } from "@/lib/settings/data";
import { type BacktestWindow, loadBacktestFacts } from "./facts";
import { replayClosedDeals } from "./replay";
import { type BacktestReport, backtestReport } from "./report";

export const DEFAULT_WINDOW_DAYS = 365;

/** The back-test itself, for the page and the command alike. */
export async function runBacktest(
  query: Query,
  settings: RuleSettings,
  window: BacktestWindow,
): Promise<BacktestReport> {
  const facts = await loadBacktestFacts(query, settings, window);
  const replays = replayClosedDeals(facts, settings);
  return backtestReport(replays, {
    settings,
    teams: facts.teams,
    asOf: window.asOf,
    windowDays: window.windowDays,
    teamId: window.teamId,
    datesUnknown: facts.datesUnknown,
  });
}

export function connectionQuery(): Query {
  const runner = getConnection().sql;
  return (sql, params) => runner.query(sql, params);
}

export interface InsightsPage {
  report: BacktestReport;
  /** Teams the viewer may pick (admins: all; managers: none, theirs is implied). */
  teams: { id: string; name: string }[];
  currency: string;
}

/**
 * The back-test the viewer may see, as of the organisation's as-of date.
 * `teamId` is honoured for admins; a manager always gets their own team.
 */
export async function getBacktestForViewer(
  viewer: Viewer,
  options: { teamId?: string | null; windowDays?: number; now?: Date } = {},
): Promise<InsightsPage> {
  if (viewer.role === "rep") {
    throw new ActionRefused("The back-test is for managers and admins.", "forbidden");
  }
  if (viewer.role === "manager" && !viewer.teamId) {
    throw new ActionRefused("You manage no team yet, so there are no closed deals to back-test.", "invalid");
  }
  const org = await getOrgContext(options.now ?? new Date());
  const settings = parseRuleSettings(org.rules);
  const query = connectionQuery();
  const teams = await query<{ id: string; name: string }>(`SELECT id, name FROM "Team" ORDER BY name`);
  let teamId: string | null = null;
  if (viewer.role === "manager") teamId = viewer.teamId;
  else if (options.teamId) {
    // An unknown team gets the organisation, not an error page: the same answer as a missing record.
    teamId = teams.some((team) => team.id === options.teamId) ? options.teamId : null;
  }
  const report = await runBacktest(query, settings, {
    asOf: org.asOf,
    windowDays: options.windowDays ?? DEFAULT_WINDOW_DAYS,
    teamId,
  });
  return { report, teams: viewer.role === "admin" ? teams : [], currency: org.currency };
}
