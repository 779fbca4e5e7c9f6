// Small pieces of the explanations' English, so every flag says numbers the
// same way. Explanations are worded from a flag's stored anchors
// (explain-flag.ts) in one fixed format (en-US), whoever reads them.
import { describeLevel, type ThresholdLevel } from "./settings";
import type { AverageCycle } from "./statistics";

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function days(n: number): string {
  return plural(n, "day");
}

/** "today", "1 day ago", "12 days ago". */
export function daysAgo(n: number): string {
  return n === 0 ? "today" : `${days(n)} ago`;
}

/**
 * A ratio above a threshold, with enough decimals that it reads as above it:
 * 181 days against a 90-day cycle is "2.01×", not a puzzling "2.0×".
 */
export function formatMultiple(ratio: number, threshold: number): string {
  for (let decimals = 1; decimals <= 3; decimals++) {
    const text = ratio.toFixed(decimals);
    if (Number(text) > threshold) return `${text}×`;
  }
  return `more than ${threshold}×`;
}

type LimitUnit = "×" | "days" | "pushes" | "activities";

const ONE: Record<Exclude<LimitUnit, "×">, string> = { days: "day", pushes: "push", activities: "activity" };

const limitAmount = (limit: number, unit: LimitUnit) =>
  unit === "×" ? `${Number.isInteger(limit) ? limit.toFixed(1) : limit}×` : plural(limit, ONE[unit], unit);

/**
 * The threshold a flag was judged against and the level that set it, for the
 * end of an explanation: "limit 120 days, Enterprise team's setting",
 * "limit 2 pushes, organisation default".
 */
export function limitNote(limit: number, unit: LimitUnit, level: ThresholdLevel): string {
  return `limit ${limitAmount(limit, unit)}, ${describeLevel(level)}`;
}

/** The same after a ratio: "over the 2.0× limit (Enterprise team's setting)". */
export function overLimit(limit: number, unit: LimitUnit, level: ThresholdLevel): string {
  return `over the ${limitAmount(limit, unit)} limit (${describeLevel(level)})`;
}

/** The ratio itself, rounded for the metrics JSON. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * A yardstick in days as explanations show it: whole days as they are,
 * fractions to two decimals ("51.78-day"). Display only — the rules compare
 * the unrounded value.
 */
export function formatDays(value: number): string {
  return Number.isInteger(value) ? String(value) : String(roundTo(value, 2));
}

/** "the Central team", without doubling a name that already says "team". */
export function theTeam(teamName: string): string {
  return /\bteam$/i.test(teamName.trim()) ? `the ${teamName}` : `the ${teamName} team`;
}

/**
 * The cycle a deal is measured against, naming the scope:
 * "the Central team's 88-day average cycle (41 won deals)",
 * "the organisation's 95-day median cycle (12 won deals; the Central team has only 3)",
 * "the default 90-day cycle (no won deals to measure)".
 */
export function describeCycle(cycle: AverageCycle): string {
  // Every deal of a team shares one cycle: build its phrase once, not per flag.
  let phrase = cycleDescriptions.get(cycle);
  if (phrase === undefined) {
    phrase = buildCycleDescription(cycle);
    cycleDescriptions.set(cycle, phrase);
  }
  return phrase;
}

const cycleDescriptions = new WeakMap<AverageCycle, string>();

function buildCycleDescription(cycle: AverageCycle): string {
  const kind = cycle.statistic === "median" ? "median" : "average";
  const teamSettings = teamCycleSettingsNote(cycle);
  switch (cycle.scope) {
    case "team":
      return `${theTeam(cycle.teamName ?? "owner's")}'s ${formatDays(cycle.days)}-day ${kind} cycle (${plural(cycle.sampleSize, "won deal")}${teamSettings})`;
    case "organisation": {
      const teamWins = cycle.teamSampleSize ?? 0;
      const teamNote =
        cycle.teamName !== undefined
          ? `; ${theTeam(cycle.teamName)} has ${teamWins === 0 ? "none" : `only ${teamWins}`}`
          : "";
      return `the organisation's ${formatDays(cycle.days)}-day ${kind} cycle (${plural(cycle.sampleSize, "won deal")}${teamNote}${teamSettings})`;
    }
    case "default": {
      const measured =
        cycle.sampleSize === 0 ? "no won deals to measure" : `only ${plural(cycle.sampleSize, "won deal")} to measure`;
      // The team's own default cycle: "the Central team's 120-day default cycle (team setting; …)".
      return cycle.teamSettings?.defaultCycleDays !== undefined && cycle.teamName !== undefined
        ? `${theTeam(cycle.teamName)}'s ${formatDays(cycle.days)}-day default cycle (team setting; ${measured})`
        : `the default ${formatDays(cycle.days)}-day cycle (${measured})`;
    }
  }
}

/** "; team setting: median, won in the last 180 days, at least 5 won deals" — the cycle settings the team set itself. */
function teamCycleSettingsNote(cycle: AverageCycle): string {
  const set = cycle.teamSettings;
  if (!set) return "";
  const parts: string[] = [];
  if (set.cycleStatistic !== undefined) parts.push(set.cycleStatistic);
  if (set.lookbackDays !== undefined) parts.push(`won in the last ${days(set.lookbackDays)}`);
  if (set.minSample !== undefined) parts.push(`at least ${plural(set.minSample, "won deal")}`);
  return parts.length > 0 ? `; team setting: ${parts.join(", ")}` : "";
}

/** Money from integer cents: "$1,250,000". Display only — never used for sums. */
export function formatCents(cents: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 0 }).format(
    Math.round(cents) / 100,
  );
}
