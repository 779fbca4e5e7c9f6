// Runs the registered daily jobs once per day each, on the organisation's
// clock, from inside the app server (instrumentation.ts starts it).
//
// Each minute (and at start) the scheduler asks every job for its schedule,
// works out the latest run due (today's, or yesterday's if today's time has
// not come — so a run missed while the server was down happens at the next
// start) and claims it by inserting its (job, day) row in DailyJobRun. The
// unique key makes the claim atomic across app instances sharing one
// PostgreSQL database: exactly one insert succeeds, and only that instance
// runs the job. The clock is injected so tests drive days by hand.
import type { SqlRunner } from "@/lib/db/sql-runner";
import { latestDueRun } from "./clock";
import type { DailyJob } from "./jobs";

export interface SchedulerOptions {
  sql: SqlRunner;
  jobs: () => DailyJob[];
  clock?: () => Date;
  log?: Pick<Console, "info" | "error">;
}

export interface JobOutcome {
  job: string;
  day: string;
  ok: boolean;
  error?: string;
}

export interface Scheduler {
  /** Runs whatever is due now and unclaimed; resolves with what this instance ran. */
  tick(): Promise<JobOutcome[]>;
  /** Ticks now and then every `intervalMs` until stop(); the timer does not keep Node alive. */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? console;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<JobOutcome[]> | undefined;

  async function claim(job: string, day: Date, now: Date): Promise<number | null> {
    const [row] = await options.sql.query<{ id: number }>(
      `INSERT INTO "DailyJobRun" (job, day, "startedAt") VALUES ($1, $2::date, $3)
       ON CONFLICT (job, day) DO NOTHING RETURNING id`,
      [job, day.toISOString().slice(0, 10), now],
    );
    return row?.id ?? null;
  }

  async function runDue(): Promise<JobOutcome[]> {
    const outcomes: JobOutcome[] = [];
    for (const job of options.jobs()) {
      const now = clock();
      let due: ReturnType<typeof latestDueRun>;
      try {
        const schedule = await job.schedule(options.sql);
        due = latestDueRun(now, schedule.time, schedule.timeZone);
      } catch (error) {
        log.error(`Daily job "${job.name}": could not read its schedule`, error);
        continue;
      }
      const runId = await claim(job.name, due.day, now);
      if (runId === null) continue; // done already, or another instance has it
      const day = due.day.toISOString().slice(0, 10);
      try {
        await job.run(now);
        await options.sql.query(`UPDATE "DailyJobRun" SET "finishedAt" = $1 WHERE id = $2`, [clock(), runId]);
        log.info(`Daily job "${job.name}" ran for ${day}.`);
        outcomes.push({ job: job.name, day, ok: true });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await options.sql.query(`UPDATE "DailyJobRun" SET "finishedAt" = $1, error = $2 WHERE id = $3`, [
          clock(),
          message,
          runId,
        ]);
        log.error(`Daily job "${job.name}" failed for ${day}; it runs again tomorrow.`, error);
        outcomes.push({ job: job.name, day, ok: false, error: message });
      }
    }
    return outcomes;
  }

  const tick = () => {
    // One tick at a time within an instance; other instances are kept out by the claim.
    running ??= runDue().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    tick,
    start(intervalMs = 60_000) {
      const safeTick = () =>
        tick().catch((error: unknown) => log.error("The daily job scheduler could not check its jobs", error));
      void safeTick();
      timer = setInterval(safeTick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
