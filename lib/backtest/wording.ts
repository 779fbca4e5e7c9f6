// How the back-test's figures read, the same on the page, the settings screen
// and in the command's tables.
import { formatCount, formatMultiple } from "@/lib/format";
import { RULES } from "@/lib/rules/types";
import type { SweptRule } from "./replay";
import type { BacktestGroup, BacktestReport, ThresholdFigures } from "./report";

/** 0.314 → "31%"; no deals → "—". */
export function formatRate(rate: number | null): string {
  return rate === null ? "—" : `${Math.round(rate * 100)}%`;
}

/** "2.0×" for multiples, "90 days" for day thresholds. */
export function thresholdLabel(rule: SweptRule, threshold: number): string {
  return rule === "untouched" ? `${formatCount(threshold)} days` : formatMultiple(threshold);
}

/** What being flagged at a threshold means, short: "past 2.0×", "untouched 90 days", "stuck 2.0× the stage median". */
export function flaggedPhrase(rule: SweptRule, threshold: number): string {
  switch (rule) {
    case "past-its-time":
      return `past ${thresholdLabel(rule, threshold)}`;
    case "untouched":
      return `untouched ${thresholdLabel(rule, threshold)}`;
    case "stuck-in-stage":
      return `stuck in stage (${thresholdLabel(rule, threshold)} the won median, or the stage's limit)`;
  }
}

export const ruleLabel = (rule: SweptRule) => RULES[rule].label;

/** "last 12 months" for a 365-day window, else "last 90 days". */
export function windowLabel(windowDays: number): string {
  return windowDays === 365 ? "last 12 months" : `last ${formatCount(windowDays)} days`;
}

/**
 * The settings screen's evidence line at the threshold set now:
 * "On your last 12 months: past 2.0× won 4% (12 of 301); not flagged won 31% (93 of 300)."
 */
export function settingsLine(report: BacktestReport, group: BacktestGroup, rule: SweptRule): string {
  const sweep = group.sweeps.find((candidate) => candidate.rule === rule);
  const row = sweep?.thresholds.find((candidate) => candidate.current);
  const prefix = `On your ${windowLabel(report.windowDays)}`;
  if (!row || group.closedDeals === 0) return `${prefix}: no deals closed, nothing to back-test yet.`;
  const notJudged = row.notJudged > 0 ? `; ${formatCount(row.notJudged)} not judged` : "";
  return (
    `${prefix}: ${flaggedPhrase(rule, row.threshold)} won ${wonOf(row.flaggedWinRate, row.flaggedWon, row.flagged)}; ` +
    `not flagged won ${wonOf(row.notFlaggedWinRate, row.notFlaggedWon, row.notFlagged)}${notJudged}.`
  );
}

function wonOf(rate: number | null, won: number, of: number): string {
  return `${formatRate(rate)} (${formatCount(won)} of ${formatCount(of)})`;
}

/** The columns of the sweep table, in order, with each row's cells as text. */
export const SWEEP_COLUMNS = [
  "threshold",
  "flagged",
  "won (flagged)",
  "win rate flagged",
  "not flagged",
  "won (not flagged)",
  "win rate not flagged",
  "not judged",
  "median days flag→close",
  "value won from flagged",
] as const;

export function sweepCells(
  rule: SweptRule,
  row: ThresholdFigures,
  money: (cents: number) => string,
): Record<(typeof SWEEP_COLUMNS)[number], string> {
  return {
    threshold: `${thresholdLabel(rule, row.threshold)}${row.current ? " (set)" : ""}`,
    flagged: formatCount(row.flagged),
    "won (flagged)": formatCount(row.flaggedWon),
    "win rate flagged": formatRate(row.flaggedWinRate),
    "not flagged": formatCount(row.notFlagged),
    "won (not flagged)": formatCount(row.notFlaggedWon),
    "win rate not flagged": formatRate(row.notFlaggedWinRate),
    "not judged": formatCount(row.notJudged),
    "median days flag→close": row.medianDaysFlagToClose === null ? "—" : formatCount(row.medianDaysFlagToClose),
    "value won from flagged": money(row.flaggedWonCents),
  };
}
