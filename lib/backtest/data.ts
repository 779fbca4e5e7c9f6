// The back-test for a viewer: read once (facts.ts), replay in pure code
// (replay.ts), sum up (report.ts); nothing is written. Managers see their own
// team's closed deals, admins the organisation or any team (SPEC.md,
// Permissions: "rule thresholds"). Each team's deals are replayed with the
// team's own thresholds. The settings page shows it on every load, so a
// result is kept (cache.ts) until the thresholds or the data change.
import "server-only";
import { ActionRefused } from "@/lib/action-result";
import type { Viewer } from "@/lib/auth/viewer";
import { getConnection } from "@/lib/db";
import type { Query } from "@/lib/db/bulk-sql";
import {
  loadTeamOverrides,
  type StoredTeamOverrides,
  teamThresholds,
  widestReadSettings,
} from "@/lib/org/team-thresholds";
import { parseRuleSettings, type RuleSettings } from "@/lib/rules/settings";
import { backtestCacheKey, cachedBacktest } from "./cache";
import { getOrgContext } from "@/lib/settings/data";
import { type BacktestWindow, loadBacktestFacts } from "./facts";
import { type ClosedDealHistory, replayClosedDeals, sweptThresholds } from "./replay";
import { type BacktestReport, backtestReport } from "./report";

export const DEFAULT_WINDOW_DAYS = 365;

/**
 * The back-test itself, for the page and the command alike. Each team's deals
 * are replayed with its own thresholds (`teamOverrides`: every team's stored
 * overrides); teams sharing thresholds are replayed together.
 */
export async function runBacktest(
  query: Query,
  settings: RuleSettings,
  window: BacktestWindow,
  teamOverrides: readonly StoredTeamOverrides[] = [],
): Promise<BacktestReport> {
  const thresholds = teamThresholds(settings, teamOverrides);
  const settingsOf = (teamId: string | null) => thresholds(teamId)?.values ?? settings;
  // Read as far back as the longest lookback of any team.
  const facts = await loadBacktestFacts(query, widestReadSettings(settings, teamOverrides), window);
  const dealsBySettings = new Map<RuleSettings, ClosedDealHistory[]>();
  for (const deal of facts.closedDeals) {
    const own = settingsOf(deal.teamId);
    const deals = dealsBySettings.get(own);
    if (deals) deals.push(deal);
    else dealsBySettings.set(own, [deal]);
  }
  // One list of thresholds for all, so the organisation's figures add up over teams.
  const tried = sweptThresholds(settings, [...dealsBySettings.keys()]);
  const replays = [...dealsBySettings].flatMap(([own, closedDeals]) =>
    replayClosedDeals({ ...facts, closedDeals }, own, { organisation: settings, thresholds: tried }),
  );
  return backtestReport(replays, {
    settings,
    settingsOf,
    thresholds: tried,
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
  const window = { asOf: org.asOf, windowDays: options.windowDays ?? DEFAULT_WINDOW_DAYS, teamId };
  const teamOverrides = await loadTeamOverrides(query);
  const key = await backtestCacheKey(query, window, settings, teamOverrides);
  const report = await cachedBacktest(key, () => runBacktest(query, settings, window, teamOverrides));
  return { report, teams: viewer.role === "admin" ? teams : [], currency: org.currency };
}
