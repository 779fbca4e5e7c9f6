// The daily job scheduler against a real database, with a fake clock: a job
// runs once per day at its time, a run missed while the server was down runs
// at the next start, and two app instances sharing the database never run the
// same day twice (on PostgreSQL each scheduler has its own connection pool).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Connection, db, getConnection, openConnection } from "@/lib/db";
import type { DailyJob } from "@/lib/schedule/jobs";
import { dailyReviewJob, readReviewSchedule } from "@/lib/schedule/review-job";
import { createScheduler } from "@/lib/schedule/scheduler";
import { createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";
import { apply, text } from "./import-helpers";

const quiet = { info: () => undefined, error: () => undefined };

/** A job that counts its runs; `hold` keeps a run going until released. */
function countingJob(name: string, time = "06:00", timeZone = "UTC") {
  const runs: Date[] = [];
  let release: (() => void) | undefined;
  let held: Promise<void> | undefined;
  const job: DailyJob = {
    name,
    schedule: async () => ({ time, timeZone }),
    async run(now) {
      runs.push(now);
      await held;
    },
  };
  return {
    job,
    runs,
    hold() {
      held = new Promise((resolve) => {
        release = resolve;
      });
    },
    release: () => release?.(),
  };
}

function fakeClock(iso: string) {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
}

let second: Connection | undefined;
let org: SmallOrg;

beforeAll(async () => {
  org = await createSmallOrg();
  const target = getConnection().target;
  // A second app instance: its own pool on PostgreSQL; PGlite is one process.
  if (target.kind === "postgres") second = openConnection(target);
});

afterAll(async () => {
  await second?.close();
});

describe("daily jobs", () => {
  it("run once per day, at the set time", async () => {
    const counter = countingJob("once a day");
    const clock = fakeClock("2026-12-01T07:00:00Z");
    const scheduler = createScheduler({
      sql: getConnection().sql,
      jobs: () => [counter.job],
      clock: clock.now,
      log: quiet,
    });

    expect((await scheduler.tick()).map((run) => run.day)).toEqual(["2026-12-01"]);
    clock.set("2026-12-01T23:59:00Z");
    expect(await scheduler.tick()).toEqual([]);
    clock.set("2026-12-02T05:59:00Z"); // before today's time: yesterday's run is the due one, and done
    expect(await scheduler.tick()).toEqual([]);
    clock.set("2026-12-02T06:00:00Z");
    expect((await scheduler.tick()).map((run) => run.day)).toEqual(["2026-12-02"]);
    expect(await scheduler.tick()).toEqual([]);
    expect(counter.runs.map((at) => at.toISOString())).toEqual([
      "2026-12-01T07:00:00.000Z",
      "2026-12-02T06:00:00.000Z",
    ]);
  });

  it("run at the next start after a restart that missed the time, once", async () => {
    const counter = countingJob("missed while down");
    const clock = fakeClock("2026-12-01T06:30:00Z");
    const before = createScheduler({
      sql: getConnection().sql,
      jobs: () => [counter.job],
      clock: clock.now,
      log: quiet,
    });
    await before.tick();
    await before.stop();
    // Down from Dec 1 evening to Dec 3 at 05:00: Dec 2's run was missed.
    clock.set("2026-12-03T05:00:00Z");
    const after = createScheduler({
      sql: getConnection().sql,
      jobs: () => [counter.job],
      clock: clock.now,
      log: quiet,
    });
    expect((await after.tick()).map((run) => run.day)).toEqual(["2026-12-02"]);
    expect(await after.tick()).toEqual([]);
    clock.set("2026-12-03T06:00:00Z");
    expect((await after.tick()).map((run) => run.day)).toEqual(["2026-12-03"]);
    expect(counter.runs).toHaveLength(3);
  });

  it("never run twice at once, from two app instances on one database", async () => {
    const counter = countingJob("two instances");
    counter.hold();
    const clock = fakeClock("2026-12-05T09:00:00Z");
    const one = createScheduler({ sql: getConnection().sql, jobs: () => [counter.job], clock: clock.now, log: quiet });
    const two = createScheduler({
      sql: (second ?? getConnection()).sql,
      jobs: () => [counter.job],
      clock: clock.now,
      log: quiet,
    });
    const ticks = Promise.all([one.tick(), two.tick(), one.tick(), two.tick()]);
    // Let both instances reach their claim while the first run is still going.
    await new Promise((resolve) => setTimeout(resolve, 200));
    counter.release();
    const outcomes = (await ticks).flat();
    expect(counter.runs).toHaveLength(1);
    // Both ticks of one instance share its single run; the other instance ran nothing.
    const runs = await getConnection().sql.query<{ day: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM "DailyJobRun" WHERE job = $1`,
      [counter.job.name],
    );
    expect(runs).toEqual([{ day: "2026-12-05" }]);
    expect(outcomes.every((outcome) => outcome.day === "2026-12-05" && outcome.ok)).toBe(true);
  });

  it("records a failed run and does not retry it the same day", async () => {
    let attempts = 0;
    const failing: DailyJob = {
      name: "failing",
      schedule: async () => ({ time: "06:00", timeZone: "UTC" }),
      async run() {
        attempts += 1;
        throw new Error("SMTP server refused the connection");
      },
    };
    const clock = fakeClock("2026-12-05T09:00:00Z");
    const scheduler = createScheduler({
      sql: getConnection().sql,
      jobs: () => [failing],
      clock: clock.now,
      log: quiet,
    });
    expect(await scheduler.tick()).toEqual([
      { job: "failing", day: "2026-12-05", ok: false, error: "SMTP server refused the connection" },
    ]);
    expect(await scheduler.tick()).toEqual([]);
    expect(attempts).toBe(1);
    const [row] = await getConnection().sql.query<{ error: string | null }>(
      `SELECT error FROM "DailyJobRun" WHERE job = 'failing'`,
    );
    expect(row?.error).toBe("SMTP server refused the connection");
  });
});

describe("the daily review", () => {
  it("runs the organisation's review at the review time in the organisation's time zone", async () => {
    await createDeal(org, { owner: org.people.ana, amount: 10_000, openedDaysAgo: 400 });
    await db.orgSettings.update({ where: { id: 1 }, data: { reviewTime: "07:30", timeZone: "America/New_York" } });
    expect(await readReviewSchedule(getConnection().sql)).toEqual({ time: "07:30", timeZone: "America/New_York" });

    // 07:30 in New York on Dec 5 is 12:30 UTC.
    const clock = fakeClock("2026-12-05T12:29:00Z");
    const scheduler = createScheduler({
      sql: getConnection().sql,
      jobs: () => [dailyReviewJob],
      clock: clock.now,
      log: quiet,
    });
    await scheduler.tick(); // Dec 4's run (missed: the first start)
    const first = await db.review.count();
    expect(first).toBe(1);
    expect(await scheduler.tick()).toEqual([]);
    clock.set("2026-12-05T12:30:00Z");
    expect(await scheduler.tick()).toEqual([{ job: "organisation review", day: "2026-12-05", ok: true }]);
    const reviews = await db.review.findMany({ orderBy: { id: "asc" } });
    expect(reviews).toHaveLength(2);
    expect(reviews[1]).toMatchObject({ teamId: null, byId: null, at: new Date("2026-12-05T12:30:00Z") });
    expect(await db.flag.count({ where: { endedAt: null, opportunityId: { not: null } } })).toBeGreaterThan(0);
  });
});

describe("the review after an import", () => {
  it("runs once the import has changed something, and not for an import that changed nothing", async () => {
    const file = () =>
      text(
        "old-deal.csv",
        "Deal ID,Deal name,Owner,Stage,Amount,Opened\nO-1,Forgotten deal,Ben Rep,Discovery,3000,2025-11-20\n",
        {
          mapping: { source: "after-import" },
        },
      );
    const before = await db.review.count();
    const at = new Date("2026-12-05T15:00:00Z");
    await apply([file()], {}, { now: at });
    const reviews = await db.review.findMany({ where: { at }, select: { teamId: true, byId: true } });
    expect(reviews).toEqual([{ teamId: null, byId: null }]);
    // The imported 380-day-old deal is flagged by that review: past 2× the default 90-day cycle
    // (the activity rules say "not judged" here: the database holds no activities at all).
    const deal = await db.opportunity.findFirstOrThrow({ where: { source: "after-import" } });
    expect(await db.flag.count({ where: { opportunityId: deal.id, endedAt: null, rule: "past-its-time" } })).toBe(1);

    await apply([file()], {}, { now: new Date("2026-12-05T16:00:00Z") });
    expect(await db.review.count()).toBe(before + 1);
  });
});
