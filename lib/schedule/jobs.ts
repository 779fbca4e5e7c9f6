// The daily jobs the server runs by itself: a tiny registry. A feature adds
// its job with registerDailyJob (the review registers in review-job.ts; a
// weekly message job can register here too and decide itself which days to
// send). The scheduler (scheduler.ts) runs each due job once per day.
import type { SqlRunner } from "@/lib/db/sql-runner";

export interface DailySchedule {
  /** "HH:MM" on the organisation's clock. */
  time: string;
  /** IANA time zone name. */
  timeZone: string;
}

export interface DailyJob {
  /** Unique and stable: the run records are keyed on it. */
  name: string;
  /** When the job is due each day (read every time: settings may change). */
  schedule(sql: SqlRunner): Promise<DailySchedule>;
  /** Does the day's work. `now` is the scheduler's clock. */
  run(now: Date): Promise<void>;
}

const registry = new Map<string, DailyJob>();

export function registerDailyJob(job: DailyJob): void {
  registry.set(job.name, job);
}

export function dailyJobs(): DailyJob[] {
  return [...registry.values()];
}
