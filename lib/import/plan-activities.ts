// Activity file planning: each activity is new, updated or unchanged,
// recognised by its id or, without one, by a fingerprint of its details.
import { createHash } from "node:crypto";
import type { PlanRun } from "./plan-run";
import { dealKey, type FileSummary, type PlannedActivity } from "./plan-types";
import type { ActivityRow, ParsedFile } from "./read";

export function planActivities(run: PlanRun, file: ParsedFile, rows: ActivityRow[], summary: FileSummary) {
  for (const row of rows) {
    const found = run.findDeal(file.source, row.dealId);
    if (!found) {
      summary.rejected.push({
        line: row.line,
        id: row.externalId ?? row.dealId,
        reason: `Deal “${row.dealId}” is not in the database or in this import: import its deals file first (or in the same run).`,
      });
      continue;
    }
    const externalId = row.externalId ?? activityFingerprint(row);
    const existing = run.snapshot.activities.get(dealKey(file.source, externalId));
    const earlier = run.activityRows.get(dealKey(file.source, externalId));
    const planned: PlannedActivity = {
      id: existing?.id ?? null,
      deal: found.ref,
      source: file.source,
      externalId,
      at: row.at,
      type: row.type,
      side: row.side,
      summary: row.summary,
    };
    if (earlier) {
      // Overlapping exports in one run list the same activity twice: the same details are fine once.
      const first = earlier.planned;
      const sameDetails =
        JSON.stringify(first.deal) === JSON.stringify(planned.deal) &&
        first.at.getTime() === planned.at.getTime() &&
        first.type === planned.type &&
        first.side === planned.side &&
        first.summary === planned.summary;
      if (sameDetails) summary.counts.unchanged++;
      else {
        summary.rejected.push({
          line: row.line,
          id: row.externalId ?? row.dealId,
          reason: `Activity “${row.externalId}” is also on line ${earlier.line} of ${earlier.fileName}, with other details: keep it in one of the files, or import them one after the other (the later one then updates it).`,
        });
      }
      continue;
    }
    run.activityRows.set(dealKey(file.source, externalId), { fileName: file.fileName, line: row.line, planned });
    if (!existing) {
      run.plan.newActivities.push(planned);
      summary.counts.new++;
      run.touch(found.ref);
      continue;
    }
    const same =
      "id" in found.ref &&
      existing.opportunityId === found.ref.id &&
      existing.at === row.at.getTime() &&
      existing.type === row.type &&
      existing.side === row.side &&
      (existing.summary ?? null) === row.summary;
    if (same) {
      summary.counts.unchanged++;
      continue;
    }
    run.plan.activityUpdates.push(planned);
    summary.counts.updated++;
    run.touch(found.ref);
    run.touch({ id: existing.opportunityId });
  }
}

/** An activity without an id is recognised by its deal, time, type, side and summary. */
export function activityFingerprint(row: Pick<ActivityRow, "dealId" | "at" | "type" | "side" | "summary">): string {
  const hash = createHash("sha1")
    .update([row.dealId, row.at.toISOString(), row.type, row.side, row.summary ?? ""].join("\u0000"))
    .digest("hex");
  return `auto:${hash.slice(0, 24)}`;
}
