import "server-only";
// What the settings screen shows about the daily review: its time, zone and
// the last run the scheduler recorded.
import { type DbClient, db } from "@/lib/db";
import { DAILY_REVIEW_JOB, DEFAULT_REVIEW_SCHEDULE } from "./review-job";

export interface ReviewScheduleView {
  reviewTime: string;
  timeZone: string;
  lastRun: { day: Date; startedAt: Date; finishedAt: Date | null; error: string | null } | null;
}

export async function getReviewSchedule(client: DbClient = db): Promise<ReviewScheduleView> {
  const [org, lastRun] = await Promise.all([
    client.orgSettings.findUnique({ where: { id: 1 }, select: { reviewTime: true, timeZone: true } }),
    client.dailyJobRun.findFirst({
      where: { job: DAILY_REVIEW_JOB },
      orderBy: { day: "desc" },
      select: { day: true, startedAt: true, finishedAt: true, error: true },
    }),
  ]);
  return {
    reviewTime: org?.reviewTime ?? DEFAULT_REVIEW_SCHEDULE.time,
    timeZone: org?.timeZone ?? DEFAULT_REVIEW_SCHEDULE.timeZone,
    lastRun,
  };
}
