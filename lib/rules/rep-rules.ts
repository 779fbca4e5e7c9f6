// Rep-level rule: every rep should add to the pipeline all the time; a long
// gap since a rep last opened an opportunity is a signal (SPEC.md).
import { utcDayNumber } from "./days";
import { anchorDay, limitSetBy, wordFlag } from "./explain-flag";
import { ORGANISATION_LEVEL_OF, type RuleSettings, type TeamThresholds, type ThresholdLevelOf } from "./settings";
import { RULES, type Flag } from "./types";

export interface RepFacts {
  id: string;
  name: string;
  teamId: string | null;
  /** The latest `openedAt` at or before asOf among every opportunity the rep
   *  owns, whatever its status now (won, lost and prospects count: they were
   *  opened). Null when none. A date after asOf is ignored as not happened yet. */
  lastOpenedAt: Date | null;
  /** The earliest `openedAt` of any opportunity the rep owns (any date). */
  firstOpenedAt: Date | null;
  /** The start date given for the rep (User.startDate), if any. */
  startDate: Date | null;
}

/**
 * When the rep started (SPEC): the earliest of their first opened deal and the
 * start date given for them — never the moment an import created the record.
 * Null when neither is known.
 */
export function repStart(rep: Pick<RepFacts, "firstOpenedAt" | "startDate">): Date | null {
  const { firstOpenedAt, startDate } = rep;
  if (firstOpenedAt === null) return startDate;
  if (startDate === null) return firstOpenedAt;
  return firstOpenedAt.getTime() <= startDate.getTime() ? firstOpenedAt : startDate;
}

export type RepFlag = Flag<"no-new-pipeline">;

export interface RepVerdict {
  userId: string;
  flags: RepFlag[];
}

export function noNewPipeline(
  rep: RepFacts,
  settings: RuleSettings,
  asOf: Date,
  levelOf: ThresholdLevelOf = ORGANISATION_LEVEL_OF,
): RepFlag | null {
  const asOfMs = asOf.getTime();
  const asOfDay = utcDayNumber(asOf);
  const start = repStart(rep);
  if (start === null) return null; // nothing to count from
  if (start.getTime() > asOfMs) return null; // had not started yet as of asOf
  const lastOpened = rep.lastOpenedAt && rep.lastOpenedAt.getTime() <= asOfMs ? rep.lastOpenedAt : null;

  const gapDays = asOfDay - utcDayNumber(lastOpened ?? start);
  if (gapDays <= settings.noNewPipelineDays) return null;
  // Anchors, not day counts (explain-flag.ts): the sentence is worded as of the day it is read.
  const metrics = {
    repName: rep.name,
    lastOpenedOn: lastOpened ? anchorDay(utcDayNumber(lastOpened)) : null,
    startedOn: anchorDay(utcDayNumber(start)),
    limitDays: settings.noNewPipelineDays,
    limitSetBy: limitSetBy(levelOf("noNewPipelineDays")),
  };
  const explanation = wordFlag("no-new-pipeline", metrics, asOfDay);
  if (explanation === null) throw new Error("The no-new-pipeline flag is missing an anchor of its explanation.");
  return { rule: "no-new-pipeline", severity: RULES["no-new-pipeline"].severity, explanation, metrics };
}

/** `thresholds` gives the rep's team its own thresholds; without it the organisation's `settings` apply. */
export function evaluateRep(
  rep: RepFacts,
  settings: RuleSettings,
  asOf: Date,
  thresholds?: TeamThresholds,
): RepVerdict {
  const effective = thresholds?.(rep.teamId);
  const found = noNewPipeline(rep, effective?.values ?? settings, asOf, effective?.levelOf);
  return { userId: rep.id, flags: found ? [found] : [] };
}

export function evaluateReps(
  reps: Iterable<RepFacts>,
  settings: RuleSettings,
  asOf: Date,
  thresholds?: TeamThresholds,
): RepVerdict[] {
  const verdicts: RepVerdict[] = [];
  for (const rep of reps) verdicts.push(evaluateRep(rep, settings, asOf, thresholds));
  return verdicts;
}
