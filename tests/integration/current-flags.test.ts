// Flags as episodes: one row from the review or re-evaluation that first
// finds a verdict until the one that clears it. Which episodes are current
// (the Prisma filter and the SQL test agree), what a review writes (only what
// started, ended or changed), what a team review and a re-evaluation touch,
// and the migration that folded the old per-review rows into episodes.
import { PGlite } from "@electric-sql/pglite";
import { addDays } from "date-fns";
import { beforeEach, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { pgliteRunner } from "@/lib/db/sql-runner";
import { getMyDeals } from "@/lib/deals/my-deals";
import { getRepPipeline } from "@/lib/deals/rep-pipeline";
import { refreshRollups } from "@/lib/deals/history";
import { currentFlagSql, currentFlagWhere, flaggedAtSql, flaggedAtWhere } from "@/lib/flags/current-flags";
import { flagExplanation } from "@/lib/flags/flag-explanation";
import { reevaluateDeals } from "@/lib/reviews/reevaluate";
import { resetDatabase } from "../fixtures/reset-database";
import { reviewAsOf } from "../fixtures/review";
import { AS_OF, createDeal, createSmallOrg, logActivities, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
let centralDeal: number;
let westDeal: number;

const minutesLater = (minutes: number) => new Date(AS_OF.getTime() + minutes * 60_000);

async function review(teamId: string | null, asOf: Date) {
  return reviewAsOf({ teamId, asOf });
}

/** The row versions of every flag: any write (insert, update) changes them. */
async function flagRowVersions() {
  return getConnection().sql.query<{ id: number; xmin: string }>(
    `SELECT id, xmin::text AS xmin FROM "Flag" ORDER BY id`,
  );
}

/** The deal's current flag ids; the Prisma filter and the SQL test must agree. */
async function currentIds(dealId: number) {
  const flags = await db.flag.findMany({ where: { opportunityId: dealId, ...currentFlagWhere }, select: { id: true } });
  const ids = flags.map((flag) => flag.id).sort((a, b) => a - b);
  const bySql = await getConnection().sql.query<{ id: number }>(
    `SELECT f.id FROM "Flag" f WHERE f."opportunityId" = $1 AND ${currentFlagSql("f")} ORDER BY f.id`,
    [dealId],
  );
  expect(bySql.map((row) => row.id)).toEqual(ids);
  return ids;
}

/** The deal's flag ids at an instant; Prisma and SQL must agree. */
async function flaggedAtIds(dealId: number, at: Date) {
  const flags = await db.flag.findMany({
    where: { opportunityId: dealId, ...flaggedAtWhere(at) },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const bySql = await getConnection().sql.query<{ id: number }>(
    `SELECT f.id FROM "Flag" f WHERE f."opportunityId" = $1 AND ${flaggedAtSql("f", "$2")} ORDER BY f.id`,
    [dealId, at],
  );
  expect(bySql.map((row) => row.id)).toEqual(flags.map((flag) => flag.id));
  return flags.map((flag) => flag.id);
}

const episodesOf = (dealId: number, rule: string) =>
  db.flag.findMany({ where: { opportunityId: dealId, rule }, orderBy: { startedAt: "asc" } });

// Every case starts from the same fresh organisation and runs the reviews it is
// about itself (no case relies on an earlier one's episodes), so each stands alone.
beforeEach(async () => {
  await resetDatabase();
  org = await createSmallOrg();
  // 300 days old, no activity: past its time against the default cycle, and untouched.
  centralDeal = (await createDeal(org, { owner: org.people.ana, amount: 10_000, openedDaysAgo: 300 })).id;
  westDeal = (await createDeal(org, { owner: org.people.wes, amount: 20_000, openedDaysAgo: 300 })).id;
  // The organisation has activities (on another deal), so the activity rules judge the two
  // deals above rather than saying "not judged: no activities imported".
  const busyDeal = (await createDeal(org, { owner: org.people.ben, amount: 1_000, openedDaysAgo: 5 })).id;
  await logActivities(busyDeal, [{ daysAgo: 1, side: "buyer" }]);
  await refreshRollups(db, [centralDeal, westDeal, busyDeal]);
});

describe("flag episodes", () => {
  it("a first review starts one episode per verdict, at its as-of", async () => {
    const { reviewId, episodes } = await review(null, AS_OF);
    expect(episodes.started).toBeGreaterThan(0);
    const flags = await db.flag.findMany({ where: { opportunityId: centralDeal } });
    expect(flags.map((flag) => flag.rule).sort()).toEqual(["follow-up-gap", "past-its-time", "untouched"]);
    for (const flag of flags) {
      expect(flag.startedAt).toEqual(AS_OF);
      expect(flag.endedAt).toBeNull();
      expect(flag.reviewId).toBe(reviewId);
    }
    expect(await currentIds(centralDeal)).toEqual(flags.map((flag) => flag.id).sort((a, b) => a - b));
  });

  it("a review with nothing changed writes no flag rows", async () => {
    await review(null, AS_OF);
    const before = await flagRowVersions();
    const { episodes } = await review(null, AS_OF);
    expect(episodes).toEqual({ started: 0, ended: 0, changed: 0, dealIds: [] });
    expect(await flagRowVersions()).toEqual(before);
  });

  it("a day later the same episodes go on, untouched, and read a day older", async () => {
    await review(null, AS_OF);
    const before = await episodesOf(centralDeal, "untouched");
    const { episodes } = await review(null, addDays(AS_OF, 1));
    expect(episodes).toMatchObject({ started: 0, changed: 0 });
    const after = await episodesOf(centralDeal, "untouched");
    expect(after).toHaveLength(1);
    expect(after).toEqual(before); // the stored row as it was: its anchors did not move
    const [episode] = after;
    if (!episode) throw new Error("the untouched episode is missing");
    // Worded as of each day, with one day more without activity.
    expect(flagExplanation(episode, AS_OF)).toBe(
      "No activity from either side since it opened 300 days ago (limit 90 days, organisation default).",
    );
    expect(flagExplanation(episode, addDays(AS_OF, 1))).toBe(
      "No activity from either side since it opened 301 days ago (limit 90 days, organisation default).",
    );
  });

  it("screens say how long a deal has been flagged, and sort by it", async () => {
    await review(null, AS_OF);
    // A second Central deal, flagged from 36 days later only.
    const newer = await createDeal(org, { owner: org.people.ana, amount: 5_000, openedDaysAgo: 299 });
    await refreshRollups(db, [newer.id]);
    await reevaluateDeals(db, [newer.id], addDays(AS_OF, 36), addDays(AS_OF, 36));
    const later = addDays(AS_OF, 36);

    const pipeline = await getRepPipeline(org.people.centralManager, org.people.ana.userId, later);
    const old = pipeline?.deals.find((deal) => deal.id === centralDeal);
    expect(old).toMatchObject({
      flaggedSince: AS_OF,
      flaggedDays: 36,
      flaggedFor: "flagged for 5 weeks (since Jun 15)",
    });
    expect(pipeline?.deals.find((deal) => deal.id === newer.id)).toMatchObject({ flaggedDays: 0 });

    const longest = await getMyDeals(org.people.ana, later, null, db, "longest");
    expect(longest?.flagged.map((deal) => deal.id)).toEqual([centralDeal, newer.id]);
  });

  it("a flag that clears and returns has two episodes", async () => {
    await review(null, AS_OF);
    // A buyer meeting today clears "untouched" at the next re-evaluation…
    await logActivities(centralDeal, [{ daysAgo: -1, side: "buyer", type: "meeting" }]);
    await refreshRollups(db, [centralDeal]);
    await reevaluateDeals(db, [centralDeal], addDays(AS_OF, 1), minutesLater(24 * 60 + 5));
    const cleared = await episodesOf(centralDeal, "untouched");
    expect(cleared).toHaveLength(1);
    expect(cleared[0]?.endedAt).toEqual(addDays(AS_OF, 1));

    // …and 95 days of silence later it is back: a second episode.
    const later = addDays(AS_OF, 96);
    await review(null, later);
    const episodes = await episodesOf(centralDeal, "untouched");
    expect(episodes).toHaveLength(2);
    expect(episodes[0]?.endedAt).toEqual(addDays(AS_OF, 1));
    expect(episodes[1]?.startedAt).toEqual(later);
    expect(episodes[1]?.endedAt).toBeNull();
    expect(episodes[1]?.reviewId).not.toBeNull();

    // History reads as of any instant: in the gap, not flagged untouched.
    const inTheGap = await flaggedAtIds(centralDeal, addDays(AS_OF, 30));
    expect(inTheGap).not.toContain(episodes[0]?.id);
    expect(inTheGap).not.toContain(episodes[1]?.id);
    expect(await flaggedAtIds(centralDeal, AS_OF)).toContain(episodes[0]?.id);
  });

  it("a team review ends and starts only its team's episodes", async () => {
    await review(null, AS_OF);
    const westBefore = await db.flag.findMany({ where: { opportunityId: westDeal }, orderBy: { id: "asc" } });
    expect(westBefore.length).toBeGreaterThan(0);
    // The central deal is won: the central team's review ends its episodes.
    await db.opportunity.update({ where: { id: centralDeal }, data: { status: "won", closedAt: addDays(AS_OF, 97) } });
    // The west deal is won too, but West is not reviewed: its episodes stay as they were.
    await db.opportunity.update({ where: { id: westDeal }, data: { status: "won", closedAt: addDays(AS_OF, 97) } });
    await review(org.teams.central, addDays(AS_OF, 97));

    expect(await currentIds(centralDeal)).toEqual([]);
    expect(await db.flag.findMany({ where: { opportunityId: westDeal }, orderBy: { id: "asc" } })).toEqual(westBefore);
    expect(await currentIds(westDeal)).not.toEqual([]);
    // West's rep flags were not touched either.
    const wesFlags = await db.flag.findMany({ where: { userId: org.people.wes.userId } });
    expect(wesFlags.every((flag) => flag.endedAt === null || flag.endedAt < addDays(AS_OF, 97))).toBe(true);
  });
});

describe("reviews run at the same time", () => {
  // On PostgreSQL each review has its own connection: without the flag
  // writers' lock both would start the same episodes.
  it("leave one current episode per deal and rule", async () => {
    const at = addDays(AS_OF, 120);
    await Promise.all([review(null, at), review(null, at), review(org.teams.central, at)]);
    for (const dealId of [centralDeal, westDeal]) {
      const flags = await db.flag.findMany({ where: { opportunityId: dealId, ...currentFlagWhere } });
      expect(flags.length).toBeGreaterThan(0);
      expect(new Set(flags.map((flag) => flag.rule)).size).toBe(flags.length);
    }
  });
});

describe("migration to flag episodes", () => {
  it("folds the per-review rows of a verdict into one episode, and a gap into two", async () => {
    const migrations = await readMigrations();
    const at = migrations.findIndex((migration) => migration.name.endsWith("_flag_episodes_and_rep_start"));
    expect(at).toBeGreaterThan(0);
    const pglite = new PGlite();
    try {
      const sql = pgliteRunner(pglite);
      await applyMigrations(sql, migrations.slice(0, at));
      // Three weekly organisation reviews written the old way, and one
      // re-evaluation between the first two.
      await sql.exec(`
        INSERT INTO "Review" (id, at, "asOf", settings, totals, "supersededAt") VALUES
          (1, '2026-06-01T10:00Z', '2026-06-01T10:00Z', '{}', '{}', '2026-06-08T10:00Z'),
          (2, '2026-06-08T10:00Z', '2026-06-08T10:00Z', '{}', '{}', '2026-06-15T10:00Z'),
          (3, '2026-06-15T10:00Z', '2026-06-15T10:00Z', '{}', '{}', NULL);
        INSERT INTO "Flag" (id, "reviewId", "opportunityId", "userId", rule, severity, explanation, metrics, "asOf", "createdAt", "supersededAt") VALUES
          (1, 1, 10, NULL, 'untouched', 'stale', 'first', '{}', '2026-06-01T10:00Z', '2026-06-01T10:00Z', NULL),
          (2, 2, 10, NULL, 'untouched', 'stale', 'second', '{}', '2026-06-08T10:00Z', '2026-06-08T10:00Z', NULL),
          (3, 3, 10, NULL, 'untouched', 'stale', 'latest', '{"days":104}', '2026-06-15T10:00Z', '2026-06-15T10:00Z', NULL),
          (4, 1, 10, NULL, 'follow-up-gap', 'nudge', 'x', '{}', '2026-06-01T10:00Z', '2026-06-01T10:00Z', NULL),
          (5, 3, 10, NULL, 'follow-up-gap', 'nudge', 'x', '{}', '2026-06-15T10:00Z', '2026-06-15T10:00Z', NULL),
          (6, 1, 11, NULL, 'untouched', 'stale', 'x', '{}', '2026-06-01T10:00Z', '2026-06-01T10:00Z', '2026-06-03T09:00Z'),
          (7, NULL, 11, NULL, 'untouched', 'stale', 'x', '{}', '2026-06-03T09:00Z', '2026-06-03T09:00Z', '2026-06-08T10:00Z'),
          (8, 2, 11, NULL, 'untouched', 'stale', 'x', '{}', '2026-06-08T10:00Z', '2026-06-08T10:00Z', NULL),
          (9, 1, NULL, 'u1', 'no-new-pipeline', 'nudge', 'x', '{}', '2026-06-01T10:00Z', '2026-06-01T10:00Z', NULL);
      `);
      await applyMigrations(sql, migrations);
      const rows = await sql.query<{
        subject: string;
        rule: string;
        review: number | null;
        started: string;
        ended: string | null;
        explanation: string;
      }>(
        `SELECT coalesce('deal ' || "opportunityId", 'rep ' || "userId") AS subject, rule, "reviewId" AS review,
                to_char("startedAt" AT TIME ZONE 'UTC', 'MM-DD HH24:MI') AS started,
                to_char("endedAt" AT TIME ZONE 'UTC', 'MM-DD HH24:MI') AS ended, explanation
           FROM "Flag" ORDER BY subject, rule, "startedAt"`,
      );
      expect(rows).toEqual([
        {
          subject: "deal 10",
          rule: "follow-up-gap",
          review: 1,
          started: "06-01 10:00",
          ended: "06-08 10:00",
          explanation: "x",
        },
        { subject: "deal 10", rule: "follow-up-gap", review: 3, started: "06-15 10:00", ended: null, explanation: "x" },
        {
          subject: "deal 10",
          rule: "untouched",
          review: 1,
          started: "06-01 10:00",
          ended: null,
          explanation: "latest",
        },
        {
          subject: "deal 11",
          rule: "untouched",
          review: 1,
          started: "06-01 10:00",
          ended: "06-15 10:00",
          explanation: "x",
        },
        {
          subject: "rep u1",
          rule: "no-new-pipeline",
          review: 1,
          started: "06-01 10:00",
          ended: "06-08 10:00",
          explanation: "x",
        },
      ]);
      const current = await sql.query<{ id: number }>(
        `SELECT f.id FROM "Flag" f WHERE ${currentFlagSql("f")} ORDER BY id`,
      );
      expect(current.map((row) => row.id)).toEqual([3, 5]);
      // One current episode per subject and rule is enforced from now on.
      await expect(
        sql.exec(`INSERT INTO "Flag" ("opportunityId", rule, severity, explanation, metrics, "asOf", "startedAt")
                  VALUES (10, 'untouched', 'stale', 'again', '{}', now(), now())`),
      ).rejects.toThrow();
    } finally {
      await pglite.close();
    }
  }, 240_000); // a fresh PGlite and every migration: slow on a loaded machine
});
