// The back-test replays a year of closed deals day by day: too slow to run on
// every settings page load. A result is kept under a key naming everything it
// depends on — the as-of date, the window, the team, the organisation's
// thresholds, every team's overrides and a fingerprint of the data — so a
// change to any of them asks for a new run and stale figures are never shown.
import "server-only";
import { createHash } from "node:crypto";
import type { Query } from "@/lib/db/bulk-sql";
import type { StoredTeamOverrides } from "@/lib/org/team-thresholds";
import type { RuleSettings } from "@/lib/rules/settings";
import type { BacktestWindow } from "./facts";
import type { BacktestReport } from "./report";

/** Enough for the organisation, a few teams and a few as-of dates; the oldest goes first. */
const MAX_ENTRIES = 16;

const results = new Map<string, Promise<BacktestReport>>();

/**
 * What the replayed data looks like now, read in one cheap statement (each
 * part an index look-up or a count): any deal written (updatedAt, also set by
 * imports), created, or given an activity or a stage move changes it.
 */
export async function dataFingerprint(query: Query): Promise<string> {
  const [row] = await query<Record<string, unknown>>(
    `SELECT (SELECT max("updatedAt") FROM "Opportunity")::text AS deals_written,
            (SELECT count(*) FROM "Opportunity")::text AS deals,
            (SELECT max(id) FROM "Activity")::text AS last_activity,
            (SELECT max(id) FROM "StageChange")::text AS last_stage_move,
            (SELECT max(id) FROM "Review")::text AS last_review`,
  );
  return JSON.stringify(row ?? {});
}

export async function backtestCacheKey(
  query: Query,
  window: BacktestWindow,
  settings: RuleSettings,
  teamOverrides: readonly StoredTeamOverrides[],
): Promise<string> {
  const overrides = [...teamOverrides]
    .sort((a, b) => a.teamId.localeCompare(b.teamId))
    .map((team) => [team.teamId, Object.entries(team.overrides).sort(([a], [b]) => a.localeCompare(b))]);
  const parts = {
    asOf: window.asOf.toISOString(),
    windowDays: window.windowDays,
    teamId: window.teamId,
    settings: Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)),
    overrides,
    data: await dataFingerprint(query),
  };
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** The result under `key`, running `run` once when there is none (concurrent callers share the run). */
export function cachedBacktest(key: string, run: () => Promise<BacktestReport>): Promise<BacktestReport> {
  const kept = results.get(key);
  if (kept) {
    // Most recently used last, so the oldest is dropped first.
    results.delete(key);
    results.set(key, kept);
    return kept;
  }
  const running = run();
  results.set(key, running);
  // A failed run is not kept: the next load tries again.
  running.catch(() => results.delete(key));
  while (results.size > MAX_ENTRIES) {
    const oldest = results.keys().next().value;
    if (oldest === undefined) break;
    results.delete(oldest);
  }
  return running;
}

/** Forgets every kept result (tests start clean). */
export function clearBacktestCache(): void {
  results.clear();
}
