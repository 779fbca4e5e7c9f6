// The stale-deal engine: SPEC.md "The rules" as pure functions.
//
// Contract
// - Input is plain data built by the caller from the database (rollup
//   columns and a few set-based queries): `DealFacts` per open deal,
//   `RepFacts` per rep, `TeamFacts` per team, and won deals / won deals'
//   stage stints for the statistics. No Prisma, no Next, no clock: every
//   function that depends on time takes `asOf`, so a review can be run as of
//   any date and gives the same answer every time.
// - Days are UTC calendar days (see days.ts for why): results do not depend
//   on the server's timezone or daylight saving. Callers counting activities
//   in a window use `activityWindowStart` so their counts match the rules.
// - Facts must be as of `asOf`. Rollup instants after asOf are treated as not
//   happened yet; deals opened after asOf are not evaluated.
// - Settings come from `parseRuleSettings(OrgSettings.rules)`; every threshold
//   has a default (SPEC.md) and a label (`RULE_SETTING_FIELDS`).
// - Output is verdicts: flags with rule, severity, a one-sentence explanation
//   with its numbers and the metrics as JSON — ready to store as `Flag` rows.
//   Flags an active waiver holds back are returned separately (`suppressed`)
//   with the waiver, never silently dropped; rules the data cannot support
//   (no activities imported at all, no stage history, too few won deals) are
//   returned as `notJudged` with the reason, never as flags.
// - Statistics and limits are unrounded (2 × 51.78 = 103.56 days); only the
//   explanations round what they show. SPEC.md "The rules" is the reference,
//   and lib/rules/conformance/ holds one table per rule that checks it.
//
// Typical use (one review):
//   const settings = parseRuleSettings(org.rules);
//   const context = buildRuleContext({ teams, wonDeals, wonStageStints }, settings, asOf);
//   const dealVerdicts = evaluateDeals(openDeals, context, settings, asOf);
//   const repVerdicts = evaluateReps(reps, settings, asOf);
//   const teamVerdicts = evaluateTeams(teamsWithPeriods, settings); // periods from salesTrapPeriods(asOf, settings)

export { activityWindowStart, daysBetween, formatUtcDay, MS_PER_DAY, utcDayNumber } from "./days";
export {
  closeDateSlipping,
  DEAL_RULES,
  type DealClocks,
  type DealRule,
  dealClocks,
  evaluateDeal,
  evaluateDeals,
  followUpGap,
  isNotJudged,
  NO_ACTIVITIES_IMPORTED,
  oneSided,
  pastItsTime,
  type RuleOutcome,
  stuckInStage,
  untouched,
} from "./deal-rules";
export {
  evaluateRep,
  evaluateReps,
  noNewPipeline,
  type RepFacts,
  type RepFlag,
  type RepVerdict,
  repStart,
} from "./rep-rules";
export {
  DEFAULT_RULE_SETTINGS,
  parseRuleSettings,
  RULE_SETTING_FIELDS,
  type RuleSettingField,
  type RuleSettings,
  type RuleSettingUnit,
  ruleSettingsSchema,
} from "./settings";
export {
  type AverageCycle,
  averageCycleForTeam,
  averageCycles,
  buildRuleContext,
  type CycleScope,
  type CycleTable,
  medianDaysInStage,
  type RuleContext,
  type StageMedian,
  type TeamRef,
  type WonDealFacts,
  type WonStageStint,
} from "./statistics";
export {
  evaluateTeam,
  evaluateTeams,
  type PeriodWindow,
  salesTrap,
  salesTrapPeriods,
  type TeamFacts,
  type TeamFlag,
  type TeamPeriod,
  type TeamVerdict,
} from "./team-rules";
export {
  type DealFacts,
  type DealFlag,
  type DealRuleName,
  type DealVerdict,
  type DealWaiver,
  type Flag,
  type FlagMetrics,
  type NotJudged,
  RULES,
  type RuleName,
  type Severity,
  type SuppressedFlag,
  type WaiverKind,
} from "./types";
export { latestKeepUntil, waiverCovers } from "./waivers";
