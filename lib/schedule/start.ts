// Starts the server's own jobs (instrumentation.ts, Node runtime only).
// DAILY_JOBS=off leaves them to cron (`npm run sync`, `npm run review`,
// `npm run digest`).
//
// Daily, in this order, at the organisation's review time: the CRM syncs
// (so the review sees today's CRM), then the organisation's review.
// Every few minutes: the weekly messages that are due — each person's digest
// or brief is sent once (claimed in MessageDelivery), and a failed send is
// retried with backoff, which a once-a-day job could not do.
import { getConnection } from "@/lib/db";
import { sendDueMessages } from "@/lib/messages/send";
import { runDueSyncs } from "@/lib/sync/run";
import { dailyJobs, registerDailyJob } from "./jobs";
import { dailyReviewJob, readReviewSchedule } from "./review-job";
import { createScheduler, type Scheduler } from "./scheduler";

const MESSAGES_EVERY_MS = 5 * 60_000;

const globalForSchedule = globalThis as typeof globalThis & { __dailyJobs?: Scheduler };

export function startDailyJobs(): void {
  if (process.env.DAILY_JOBS === "off" || globalForSchedule.__dailyJobs) return;
  registerDailyJob({
    name: "CRM sync",
    schedule: readReviewSchedule,
    async run(now) {
      await runDueSyncs(now);
    },
  });
  registerDailyJob(dailyReviewJob);
  const scheduler = createScheduler({ sql: getConnection().sql, jobs: dailyJobs });
  globalForSchedule.__dailyJobs = scheduler;
  scheduler.start();

  const sendMessages = () =>
    sendDueMessages(new Date()).catch((error: unknown) => console.error("Weekly messages could not be sent", error));
  setInterval(sendMessages, MESSAGES_EVERY_MS).unref();
}
