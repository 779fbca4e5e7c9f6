// The bench's first review: the whole organisation judged from nothing, as
// on the day an organisation starts — no flag, no judgement state — each run
// from the same tables, with each step's wall and CPU time.
//
// How each run starts (untimed): the flags and the judgement state emptied
// (TRUNCATE: what a first review finds) and the rep figures recounted without
// them (every flag column zero, as kept on write before a first review), the reviews and this week's
// snapshots the previous run wrote removed, and the small tables the previous
// run rewrote (rep figures, snapshots, reviews, week totals) vacuumed and
// analyzed — so run 2 does not pay for run 1's dead rows, nor run 1 for
// whatever the last bench left. What the review itself leaves behind is
// cleaned by its own table maintenance, timed with it as in the product
// (runReviewAs, lib/db/maintenance.ts).
//
// Garbage collection is counted per run (PerformanceObserver "gc" entries:
// the pause time of this process's collections), so a slow run shows whether
// the collector or the machine took the time.
import { PerformanceObserver } from "node:perf_hooks";
import { getConnection } from "@/lib/db";
import { refreshRepFigures } from "@/lib/figures/mutations";
import type { PhaseTime } from "@/lib/reviews/phases";
import { runReviewAs } from "@/lib/reviews/run";

/** Tables a first review rewrites besides Flag and DealJudgement (which each run empties). */
const REWRITTEN_BY_A_REVIEW = ["RepFigures", "PipelineSnapshot", "Review", "TeamWeekTotals"];

export interface FirstReviewRun {
  ms: number;
  cpuMs: number;
  /** Pause time of garbage collections during the run. */
  gcMs: number;
  phases: PhaseTime[];
  judged: string;
}

export interface FirstReviews {
  runs: FirstReviewRun[];
  /** The last run's result (the floors compare with its verdicts). */
  last: Awaited<ReturnType<typeof runReviewAs>>;
}

export async function measureFirstReviews(count: number, log: (line: string) => void): Promise<FirstReviews> {
  const runs: FirstReviewRun[] = [];
  let last: Awaited<ReturnType<typeof runReviewAs>> | undefined;
  // Every collection's pause, attributed to a run by when it started (entries arrive a little later).
  const collections: { start: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) collections.push({ start: entry.startTime, ms: entry.duration });
  });
  observer.observe({ entryTypes: ["gc"] });
  try {
    for (let run = 0; run < count; run++) {
      await startLikeAFirstReview(last?.reviewId);
      const phases: PhaseTime[] = [];
      const started = performance.now();
      const cpu = process.cpuUsage();
      // As the button and `npm run review` do: as of now (a fixed asOf would
      // turn into a review of the past once a run starts a minute after it).
      last = await runReviewAs(null, { onPhase: (time) => phases.push(time) });
      const used = process.cpuUsage(cpu);
      const ms = performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 50));
      const gcMs = collections
        .filter((collection) => collection.start >= started && collection.start < started + ms)
        .reduce((sum, collection) => sum + collection.ms, 0);
      const judged = last.totals.judged;
      const sample: FirstReviewRun = {
        ms,
        cpuMs: (used.user + used.system) / 1000,
        gcMs,
        phases,
        judged: judged ? `${judged.mode} review of ${judged.deals} deals (${judged.reason})` : "not said",
      };
      if (judged?.mode !== "full") {
        throw new Error(`The first review did not judge every deal: ${sample.judged}. It measures something else.`);
      }
      runs.push(sample);
      log(
        `  first review: run ${run + 1}/${count} ${ms.toFixed(0)} ms, CPU ${sample.cpuMs.toFixed(0)} ms, ` +
          `GC pauses ${gcMs.toFixed(0)} ms; ${sample.judged}`,
      );
      log(`    where the time went: ${phasesLine(phases)}`);
    }
  } finally {
    observer.disconnect();
  }
  if (!last) throw new Error("The first review returned nothing.");
  return { runs, last };
}

/** Each step's median wall / CPU ms over the runs, in the review's order. */
export function medianPhasesLine(runs: readonly FirstReviewRun[]): string {
  const names = runs[0]?.phases.map((time) => time.phase) ?? [];
  return names
    .map((name) => {
      const of = (pick: (time: PhaseTime) => number) =>
        median(
          runs.map((run) => pick(run.phases.find((time) => time.phase === name) ?? { phase: name, ms: 0, cpuMs: 0 })),
        );
      return `${name} ${of((time) => time.ms).toFixed(0)}/${of((time) => time.cpuMs).toFixed(0)}`;
    })
    .join(", ");
}

function phasesLine(phases: readonly PhaseTime[]): string {
  return phases.map((time) => `${time.phase} ${time.ms.toFixed(0)}/${time.cpuMs.toFixed(0)}`).join(", ");
}

function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The untimed start of each run (see the header). The bench organisation is disposable. */
async function startLikeAFirstReview(previousReviewId: number | undefined): Promise<void> {
  const sql = getConnection().sql;
  await sql.transaction(async (tx) => {
    await tx.exec(`TRUNCATE "Flag", "DealJudgement"`);
    // With no flag, every rep's flag figures are zero, as before an organisation's first review.
    await refreshRepFigures((text, params) => tx.query(text, params), "everyone");
    if (previousReviewId !== undefined) {
      await tx.query(`DELETE FROM "PipelineSnapshot" WHERE "reviewId" = $1`, [previousReviewId]);
      await tx.query(`DELETE FROM "Review" WHERE id = $1`, [previousReviewId]);
    }
  });
  // On a server too: its autovacuum would otherwise run when it pleases, inside one run or another.
  for (const table of REWRITTEN_BY_A_REVIEW) await sql.exec(`VACUUM (ANALYZE) "${table}"`);
}
