// Rep-level rule: every rep should add to the pipeline all the time; a long
// gap since a rep last opened an opportunity is a signal (SPEC.md).
import { formatUtcDay, utcDayNumber } from "./days";
import type { RuleSettings } from "./settings";
import { RULES, type Flag } from "./types";
import { days, daysAgo } from "./wording";

export interface RepFacts {
  id: string;
  name: string;
  teamId: string | null;
  /** The latest `openedAt` at or before asOf among every opportunity the rep
   *  owns, whatever its status now (won, lost and prospects count: they were
   *  opened). Null when none. A date after asOf is ignored as not happened yet. */
  lastOpenedAt: Date | null;
  /** When the rep started (User.createdAt): the gap is counted from it when
   *  the rep never opened an opportunity. A rep who joined after asOf is not evaluated. */
  joinedAt: Date | null;
}

export type RepFlag = Flag<"no-new-pipeline">;

export interface RepVerdict {
  userId: string;
  flags: RepFlag[];
}

export function noNewPipeline(rep: RepFacts, settings: RuleSettings, asOf: Date): RepFlag | null {
  const asOfMs = asOf.getTime();
  const asOfDay = utcDayNumber(asOf);
  if (rep.joinedAt && rep.joinedAt.getTime() > asOfMs) return null;
  const lastOpened = rep.lastOpenedAt && rep.lastOpenedAt.getTime() <= asOfMs ? rep.lastOpenedAt : null;

  let gapDays: number;
  let explanation: string;
  if (lastOpened) {
    gapDays = asOfDay - utcDayNumber(lastOpened);
    explanation = `${rep.name} has opened no new opportunity for ${days(gapDays)} (last on ${formatUtcDay(lastOpened)}).`;
  } else if (rep.joinedAt) {
    gapDays = asOfDay - utcDayNumber(rep.joinedAt);
    explanation = `${rep.name} has opened no opportunity since joining ${daysAgo(gapDays)}.`;
  } else {
    return null; // nothing to count from
  }
  if (gapDays <= settings.noNewPipelineDays) return null;
  return {
    rule: "no-new-pipeline",
    severity: RULES["no-new-pipeline"].severity,
    explanation,
    metrics: { daysSinceLastOpened: lastOpened ? gapDays : null, gapDays, limitDays: settings.noNewPipelineDays },
  };
}

export function evaluateRep(rep: RepFacts, settings: RuleSettings, asOf: Date): RepVerdict {
  const found = noNewPipeline(rep, settings, asOf);
  return { userId: rep.id, flags: found ? [found] : [] };
}

export function evaluateReps(reps: Iterable<RepFacts>, settings: RuleSettings, asOf: Date): RepVerdict[] {
  const verdicts: RepVerdict[] = [];
  for (const rep of reps) verdicts.push(evaluateRep(rep, settings, asOf));
  return verdicts;
}
