// Starts the daily jobs in the app server (instrumentation.ts, Node runtime
// only). DAILY_JOBS=off leaves them to cron and `npm run review`.
import { getConnection } from "@/lib/db";
import { dailyJobs, registerDailyJob } from "./jobs";
import { dailyReviewJob } from "./review-job";
import { createScheduler, type Scheduler } from "./scheduler";

const globalForSchedule = globalThis as typeof globalThis & { __dailyJobs?: Scheduler };

export function startDailyJobs(): void {
  if (process.env.DAILY_JOBS === "off" || globalForSchedule.__dailyJobs) return;
  registerDailyJob(dailyReviewJob);
  const scheduler = createScheduler({ sql: getConnection().sql, jobs: dailyJobs });
  globalForSchedule.__dailyJobs = scheduler;
  scheduler.start();
}
