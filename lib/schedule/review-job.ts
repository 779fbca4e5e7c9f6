// The organisation's daily review as a daily job: at the review time in the
// organisation's time zone (settings), run by the system (no person).
import type { SqlRunner } from "@/lib/db/sql-runner";
import { runReviewAs } from "@/lib/reviews/run";
import { isTimeZone, TIME_OF_DAY } from "./clock";
import type { DailyJob, DailySchedule } from "./jobs";

export const DAILY_REVIEW_JOB = "organisation review";

export const DEFAULT_REVIEW_SCHEDULE: DailySchedule = { time: "06:00", timeZone: "UTC" };

export async function readReviewSchedule(sql: SqlRunner): Promise<DailySchedule> {
  const [row] = await sql.query<{ time: string; zone: string }>(
    `SELECT "reviewTime" AS time, "timeZone" AS zone FROM "OrgSettings" WHERE id = 1`,
  );
  // Settings validate both on save; a bad value stored by hand falls back
  // to the default instead of stopping the daily review.
  return {
    time: row && TIME_OF_DAY.test(row.time) ? row.time : DEFAULT_REVIEW_SCHEDULE.time,
    timeZone: row && isTimeZone(row.zone) ? row.zone : DEFAULT_REVIEW_SCHEDULE.timeZone,
  };
}

export const dailyReviewJob: DailyJob = {
  name: DAILY_REVIEW_JOB,
  schedule: readReviewSchedule,
  async run(now) {
    await runReviewAs(null, { now });
  },
};
