// Every threshold of the rules, with SPEC.md's defaults and a label for the
// settings screen. Stored as JSON in OrgSettings.rules, so a new threshold
// needs no migration: a missing key takes its default.
import { z } from "zod";
import type { RuleName } from "./types";

const wholeDays = (fallback: number, max = 3650) => z.number().int().min(1).max(max).default(fallback);
const count = (fallback: number, max = 1000) => z.number().int().min(1).max(max).default(fallback);
const multiple = (fallback: number) => z.number().min(1).max(20).default(fallback);

/** Strict: the settings form reports every bad field. Reading stored JSON uses `parseRuleSettings`. */
export const ruleSettingsSchema = z.object({
  cycleStatistic: z.enum(["mean", "median"]).default("mean"),
  lookbackDays: wholeDays(365),
  minSample: count(10),
  defaultCycleDays: wholeDays(90),
  pastItsTimeMultiple: multiple(2),
  buyerActivityWithinDays: wholeDays(21),
  forwardMoveWithinDays: wholeDays(45),
  untouchedDays: wholeDays(90),
  stuckInStageMultiple: multiple(2),
  closeDatePushes: count(2),
  oneSidedSellerActivities: count(5),
  oneSidedWindowDays: wholeDays(30),
  followUpGapDays: wholeDays(14),
  noNewPipelineDays: wholeDays(7),
  maxKeepWaiverDays: wholeDays(30, 365),
  maxWaitingOnBuyerDays: wholeDays(30, 365),
  salesTrapPeriodDays: wholeDays(30, 366),
  salesTrapTrailingPeriods: count(3, 24),
});

export type RuleSettings = z.output<typeof ruleSettingsSchema>;

export const DEFAULT_RULE_SETTINGS: Readonly<RuleSettings> = Object.freeze(ruleSettingsSchema.parse({}));

/**
 * Rule settings from stored JSON (OrgSettings.rules): missing keys take their
 * defaults, unknown keys are dropped, and a stored value that is no longer
 * valid falls back to its default rather than stopping every review.
 */
export function parseRuleSettings(json: unknown): RuleSettings {
  const input: Record<string, unknown> =
    typeof json === "object" && json !== null && !Array.isArray(json) ? { ...json } : {};
  const first = ruleSettingsSchema.safeParse(input);
  if (first.success) return first.data;
  for (const issue of first.error.issues) {
    const key = issue.path[0];
    if (typeof key === "string") delete input[key];
  }
  const second = ruleSettingsSchema.safeParse(input);
  return second.success ? second.data : { ...DEFAULT_RULE_SETTINGS };
}

export type RuleSettingUnit = "days" | "won deals" | "activities" | "times" | "× multiple" | "periods" | null;

export interface RuleSettingField {
  key: keyof RuleSettings;
  /** Short label for the settings screen. */
  label: string;
  /** One line saying what the number changes. */
  help: string;
  unit: RuleSettingUnit;
  /** The rules whose verdicts change with this setting (for the live preview). */
  rules: readonly RuleName[];
}

// A Record over every key, so a new setting without a label does not compile.
const FIELD_LABELS: Record<keyof RuleSettings, Omit<RuleSettingField, "key">> = {
  cycleStatistic: {
    label: "Average deal cycle statistic",
    help: "Mean or median of the days won deals took from opened to won.",
    unit: null,
    rules: ["past-its-time"],
  },
  lookbackDays: {
    label: "Won deals counted from the last",
    help: "Only deals won this many days before the as-of date count towards the average cycle and time in stage.",
    unit: "days",
    rules: ["past-its-time", "stuck-in-stage"],
  },
  minSample: {
    label: "Fewest won deals to trust a statistic",
    help: "A team with fewer won deals uses the organisation's cycle; an organisation with fewer uses the default cycle. Stages with fewer are not checked against won deals' time in stage.",
    unit: "won deals",
    rules: ["past-its-time", "stuck-in-stage"],
  },
  defaultCycleDays: {
    label: "Default deal cycle",
    help: "The cycle assumed while there are too few won deals to measure one.",
    unit: "days",
    rules: ["past-its-time"],
  },
  pastItsTimeMultiple: {
    label: "Past its time after",
    help: "A deal open longer than this multiple of the average cycle is past its time.",
    unit: "× multiple",
    rules: ["past-its-time"],
  },
  buyerActivityWithinDays: {
    label: "…unless the buyer acted within",
    help: "A deal past its time is kept if the buyer acted this recently and it also moved forward recently.",
    unit: "days",
    rules: ["past-its-time"],
  },
  forwardMoveWithinDays: {
    label: "…and it moved forward within",
    help: "A deal past its time is kept if it moved forward a stage this recently and the buyer also acted recently.",
    unit: "days",
    rules: ["past-its-time"],
  },
  untouchedDays: {
    label: "Untouched after",
    help: "No activity from either side for longer than this.",
    unit: "days",
    rules: ["untouched"],
  },
  stuckInStageMultiple: {
    label: "Stuck in a stage after",
    help: "For stages without their own limit: longer in the stage than this multiple of the median days won deals spent there.",
    unit: "× multiple",
    rules: ["stuck-in-stage"],
  },
  closeDatePushes: {
    label: "Close date slipping after pushes",
    help: "The expected close date was moved later this many times (a past close date is always slipping).",
    unit: "times",
    rules: ["close-date-slipping"],
  },
  oneSidedSellerActivities: {
    label: "One-sided after seller activities",
    help: "This many of our own calls and emails with no buyer activity in the window.",
    unit: "activities",
    rules: ["one-sided"],
  },
  oneSidedWindowDays: {
    label: "One-sided window",
    help: "The window in which seller and buyer activities are counted.",
    unit: "days",
    rules: ["one-sided"],
  },
  followUpGapDays: {
    label: "Follow-up gap after",
    help: "No seller activity for longer than this (not while waiting on the buyer).",
    unit: "days",
    rules: ["follow-up-gap"],
  },
  noNewPipelineDays: {
    label: "No new pipeline after",
    help: "A rep who opened no new opportunity for longer than this gets a nudge.",
    unit: "days",
    rules: ["no-new-pipeline"],
  },
  maxKeepWaiverDays: {
    label: "Longest manager's keep",
    help: 'A manager\'s "keep until" waiver lasts at most this many days from when it was granted.',
    unit: "days",
    rules: ["past-its-time", "untouched", "stuck-in-stage", "close-date-slipping", "one-sided", "follow-up-gap"],
  },
  maxWaitingOnBuyerDays: {
    label: 'Longest "waiting on buyer"',
    help: 'A "waiting on the buyer until" date may be at most this many days ahead; longer needs a manager\'s keep waiver.',
    unit: "days",
    rules: ["follow-up-gap"],
  },
  salesTrapPeriodDays: {
    label: "Sales trap period",
    help: "Won value, open pipeline and new pipeline are compared over periods of this length, the last one ending on the as-of date.",
    unit: "days",
    rules: ["sales-trap"],
  },
  salesTrapTrailingPeriods: {
    label: "Sales trap compares with the previous",
    help: "The current period is compared with the average of this many periods before it.",
    unit: "periods",
    rules: ["sales-trap"],
  },
};

/** Every threshold, in the order the settings screen shows them. */
export const RULE_SETTING_FIELDS: readonly RuleSettingField[] = (
  Object.keys(ruleSettingsSchema.shape) as (keyof RuleSettings)[]
).map((key) => ({ key, ...FIELD_LABELS[key] }));

// ---------------------------------------------------------------------------
// Team-level overrides (SPEC "The rules": organisation defaults, optionally
// overridden per team; the explanation and the preview say which level applied).

/**
 * The thresholds a team may set for itself: every one. Segments differ in
 * cycle and sales motion, so a team may measure its own average cycle (its
 * statistic, lookback, sample size and default cycle), count one-sided deals
 * over its own window, compare its own sales-trap periods and cap its own
 * waivers. The engine reads each team's numbers once per review, not per deal.
 */
export const TEAM_OVERRIDABLE_KEYS = Object.keys(ruleSettingsSchema.shape) as (keyof RuleSettings)[];

/** The settings that decide how a team's average cycle is measured. */
export const CYCLE_SETTING_KEYS = [
  "cycleStatistic",
  "lookbackDays",
  "minSample",
  "defaultCycleDays",
] as const satisfies readonly (keyof RuleSettings)[];

export type CycleSettingKey = (typeof CYCLE_SETTING_KEYS)[number];

export type TeamOverridableKey = keyof RuleSettings;

const OVERRIDABLE = new Set<string>(TEAM_OVERRIDABLE_KEYS);

export function isTeamOverridable(key: string): key is TeamOverridableKey {
  return OVERRIDABLE.has(key);
}

/**
 * A team's overrides: any threshold, each validated exactly like the
 * organisation's; a key left out takes the organisation default. Strict, so a
 * misspelt threshold is an error rather than ignored.
 */
export const teamOverridesSchema = z.strictObject(
  Object.fromEntries(TEAM_OVERRIDABLE_KEYS.map((key) => [key, ruleSettingsSchema.shape[key].unwrap().optional()])) as {
    [K in keyof RuleSettings]: z.ZodOptional<ReturnType<(typeof ruleSettingsSchema.shape)[K]["unwrap"]>>;
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")} is not a threshold a team can set.` : undefined,
  },
);

export type TeamOverrides = z.output<typeof teamOverridesSchema>;

/**
 * Overrides from stored JSON (TeamRuleSettings.overrides): a key that is no
 * longer valid or no longer overridable is dropped, so the team falls back to
 * the organisation default for it rather than stopping every review.
 */
export function parseTeamOverrides(json: unknown): TeamOverrides {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return {};
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!isTeamOverridable(key)) continue;
    if (ruleSettingsSchema.shape[key].safeParse(value).success) kept[key] = value;
  }
  return kept as TeamOverrides;
}

/** Where a threshold in force came from. */
export type ThresholdLevel = { kind: "organisation" } | { kind: "team"; teamName: string };

export type ThresholdLevelOf = (key: keyof RuleSettings) => ThresholdLevel;

export interface EffectiveThresholds {
  /** The thresholds to judge with: the organisation's, with the team's overrides on top. */
  values: RuleSettings;
  levelOf: ThresholdLevelOf;
}

/** Each team's thresholds by team id (null: a rep without a team); undefined for "organisation defaults". */
export type TeamThresholds = (teamId: string | null) => EffectiveThresholds | undefined;

const ORGANISATION_LEVEL: ThresholdLevel = Object.freeze({ kind: "organisation" });
export const ORGANISATION_LEVEL_OF: ThresholdLevelOf = () => ORGANISATION_LEVEL;

/** The thresholds a team's deals and reps are judged with, and which level each came from. */
export function effectiveThresholds(
  orgDefaults: RuleSettings,
  team?: { teamName: string; overrides: TeamOverrides } | null,
): EffectiveThresholds {
  const overrides = team ? parseTeamOverrides(team.overrides) : {};
  const keys = Object.keys(overrides);
  if (!team || keys.length === 0) return { values: orgDefaults, levelOf: ORGANISATION_LEVEL_OF };
  const teamLevel: ThresholdLevel = { kind: "team", teamName: team.teamName };
  const overridden = new Set<string>(keys);
  return {
    values: { ...orgDefaults, ...overrides },
    levelOf: (key) => (overridden.has(key) ? teamLevel : ORGANISATION_LEVEL),
  };
}

/** "organisation default" / "Enterprise team's setting", as explanations and the preview say it. */
export function describeLevel(level: ThresholdLevel): string {
  if (level.kind === "organisation") return "organisation default";
  const name = level.teamName.trim();
  return `${/\bteam$/i.test(name) ? name : `${name} team`}'s setting`;
}
