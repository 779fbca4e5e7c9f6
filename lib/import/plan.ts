// Plans an import: compares the rows of one or more read files with what the
// database holds (a Snapshot, see data.ts) and decides, row by row, what is
// new, what changed, what is unchanged and what is rejected — and which
// history rows (stage moves, close-date pushes, amount changes) each change
// produces, exactly as a person's change would. Pure: the same plan is shown
// in the preview and written by apply (mutations.ts), which plans again
// inside its transaction.
//
// Files are planned in a fixed order — people, deals, stage history,
// activities — so owners from a people file and deals from a deals file of
// the same run are known to the files after them.
//
// A change made in the app wins over a CRM export that has not caught up: if
// a person moved a deal back, removed it or changed its close date or amount
// here, and the file still shows the value from before that change, the
// deal keeps the value decided here (counted as "kept as decided here").
//
// The parts, one job each: plan-types.ts (the shapes), plan-stages.ts (stage
// resolution and new stages), plan-people.ts (owners, people and teams),
// plan-deals.ts (deal rows), plan-history.ts and plan-stage-history.ts (a
// deal's dated history), plan-activities.ts (activities), plan-summary.ts
// (each file's summary), plan-run.ts (what they share during one run).
import type { ImportKind } from "./fields";
import { planActivities } from "./plan-activities";
import { planDeals } from "./plan-deals";
import { planPeople } from "./plan-people";
import { PlanRun } from "./plan-run";
import { planStageHistory } from "./plan-stage-history";
import { emptyFileSummary } from "./plan-summary";
import type { FileSummary, Plan, PlanOptions, Snapshot } from "./plan-types";
import type { ParsedFile } from "./read";

const FILE_ORDER: ImportKind[] = ["people", "deals", "stage-history", "activities"];

/** Plans the files in the order their contents depend on each other. */
export function planImport(files: ParsedFile[], snapshot: Snapshot, options: PlanOptions): Plan {
  const run = new PlanRun(snapshot, options);
  const activitySources = new Set(files.filter((file) => file.kind === "activities").map((file) => file.source));
  const ordered = [...files].sort((a, b) => FILE_ORDER.indexOf(a.kind) - FILE_ORDER.indexOf(b.kind));
  const summaries = new Map<ParsedFile, FileSummary>();
  for (const file of ordered) {
    const summary = planFile(run, file);
    if (file.lastActivityColumn && !activitySources.has(file.source)) {
      // The CRM's date says when, not who: the rules about buyer and seller need the activities.
      summary.notes.push(
        `The “${file.lastActivityColumn}” column gives each deal's last activity, so untouched is judged from it; it does not say who acted (buyer or seller). Import the activities export too for the one-sided, follow-up and buyer-effort rules.`,
      );
    }
    summaries.set(file, summary);
  }
  run.stages.refreshNewStages();
  // Summaries in the order the files were given.
  return { ...run.plan, files: files.map((file) => summaries.get(file) as FileSummary) };
}

/** Plans one file's rows into the run's plan; returns the file's summary. */
function planFile(run: PlanRun, file: ParsedFile): FileSummary {
  run.stages.preset = file.preset;
  const summary = emptyFileSummary(file);
  switch (file.kind) {
    case "people":
      planPeople(run, file.rows, summary);
      break;
    case "deals":
      planDeals(run, file, file.rows, summary);
      break;
    case "stage-history":
      planStageHistory(run, file, file.rows, summary);
      break;
    case "activities":
      planActivities(run, file, file.rows, summary);
      break;
  }
  summary.rejected.sort((a, b) => a.line - b.line);
  summary.counts.rejected = summary.rejected.length;
  return summary;
}

/** Everything the plan would change, in one number (0: nothing to do). */
export function planSize(plan: Plan): number {
  return (
    plan.newTeams.length +
    plan.newPeople.length +
    plan.personUpdates.length +
    plan.teamManagers.length +
    plan.newStages.length +
    plan.newDeals.length +
    plan.dealUpdates.length +
    plan.moves.length +
    plan.closeDateEdits.length +
    plan.amountEdits.length +
    plan.newActivities.length +
    plan.activityUpdates.length
  );
}
