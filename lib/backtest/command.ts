// `npm run backtest -- [--as-of YYYY-MM-DD] [--window-days 365] [--team NAME]`:
// the argument checks and the run, apart from the process around them
// (scripts/backtest.ts), so tests call it in process on their own database.
import "server-only";
import { parseArgs } from "node:util";
import { db } from "@/lib/db";
import { loadTeamOverrides } from "@/lib/org/team-thresholds";
import { parseRuleSettings } from "@/lib/rules/settings";
import { getOrgContext } from "@/lib/settings/data";
import { connectionQuery, DEFAULT_WINDOW_DAYS, runBacktest } from "./data";
import type { BacktestReport } from "./report";
import { backtestText } from "./text-report";

export const BACKTEST_USAGE = "Usage: npm run backtest -- [--as-of YYYY-MM-DD] [--window-days 365] [--team NAME]";

/** Exit code 2 with the message: the command line was wrong, nothing ran. */
export class UsageError extends Error {}

export interface BacktestCommandResult {
  report: BacktestReport;
  text: string;
}

export async function backtestCommand(argv: string[], now: Date = new Date()): Promise<BacktestCommandResult> {
  let values: { "as-of"?: string; "window-days"?: string; team?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { "as-of": { type: "string" }, "window-days": { type: "string" }, team: { type: "string" } },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  let asOf: Date | undefined;
  const asOfText = values["as-of"];
  if (asOfText !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOfText))
      throw new UsageError(`--as-of must be a date like 2026-03-31, not "${asOfText}".`);
    // The whole day counts, as in npm run review: as of the end of that day (UTC).
    asOf = new Date(`${asOfText}T23:59:59.999Z`);
    if (Number.isNaN(asOf.getTime()) || asOf.toISOString().slice(0, 10) !== asOfText)
      throw new UsageError(`--as-of ${asOfText} is not a real date.`);
  }
  let windowDays = DEFAULT_WINDOW_DAYS;
  const windowText = values["window-days"];
  if (windowText !== undefined) {
    windowDays = Number(windowText);
    if (!/^\d+$/.test(windowText) || windowDays < 1 || windowDays > 3650)
      throw new UsageError(`--window-days must be a whole number of days from 1 to 3650, not "${windowText}".`);
  }
  let teamId: string | null = null;
  if (values.team !== undefined) {
    const team = await db.team.findFirst({ where: { name: { equals: values.team, mode: "insensitive" } } });
    if (!team) {
      const names = (await db.team.findMany({ select: { name: true }, orderBy: { name: "asc" } }))
        .map((known) => known.name)
        .join(", ");
      throw new UsageError(`There is no team called "${values.team}". Teams: ${names || "none yet"}.`);
    }
    teamId = team.id;
  }

  // As npm run review: --as-of, else the organisation's fixed as-of date, else now.
  const org = await getOrgContext(now);
  const settings = parseRuleSettings(org.rules);
  const asOfUsed = asOf ?? org.asOf;
  const asOfSaid = asOf ? "" : org.asOfFixed ? " (the organisation's fixed as-of date)" : " (today)";
  const query = connectionQuery();
  const report = await runBacktest(
    query,
    settings,
    { asOf: asOfUsed, windowDays, teamId },
    await loadTeamOverrides(query),
  );
  return { report, text: backtestText(report, org.currency, asOfSaid) };
}
