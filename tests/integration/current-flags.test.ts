// Which flags are current after reviews, team reviews and re-evaluations, and
// when each stopped being current: an organisation review supersedes the
// reviews before it as a whole (Review.supersededAt) without touching their
// flags; a team review and a re-evaluation supersede flags one by one, and
// never move the end of a flag that had already ended.
import { PGlite } from "@electric-sql/pglite";
import { beforeAll, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { pgliteRunner } from "@/lib/db/sql-runner";
import { refreshRollups } from "@/lib/deals/history";
import { currentFlagSql, currentFlagWhere, flagEndedAt, flagEndSelect } from "@/lib/reviews/current-flags";
import { runReview } from "@/lib/reviews/mutations";
import { reevaluateDeals } from "@/lib/reviews/reevaluate";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
let centralDeal: number;
let westDeal: number;

const minutesLater = (minutes: number) => new Date(AS_OF.getTime() + minutes * 60_000);

async function review(teamId: string | null, minutes: number) {
  const { reviewId } = await runReview(getConnection().sql, {
    actorId: null,
    teamId,
    asOf: AS_OF,
    now: minutesLater(minutes),
    fromHistory: false,
  });
  return reviewId;
}

/** Every flag of a deal with when it ended (null: current), oldest first. */
async function flagsOf(dealId: number) {
  const flags = await db.flag.findMany({
    where: { opportunityId: dealId },
    orderBy: { id: "asc" },
    select: { id: true, reviewId: true, rule: true, ...flagEndSelect },
  });
  return flags.map((flag) => ({ ...flag, endedAt: flagEndedAt(flag) }));
}

/** The deal's current flags; the Prisma filter and the SQL test must agree. */
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

beforeAll(async () => {
  org = await createSmallOrg();
  // 300 days old, no activity: past its time against the default cycle, and untouched.
  centralDeal = (await createDeal(org, { owner: org.people.ana, amount: 10_000, openedDaysAgo: 300 })).id;
  westDeal = (await createDeal(org, { owner: org.people.wes, amount: 20_000, openedDaysAgo: 300 })).id;
  await refreshRollups(db, [centralDeal, westDeal]);
});

describe("current flags", () => {
  it("an organisation review supersedes the one before as a whole, leaving its flags' rows untouched", async () => {
    const first = await review(null, 1);
    const firstFlags = await flagsOf(centralDeal);
    expect(firstFlags.length).toBeGreaterThan(0);
    expect(firstFlags.every((flag) => flag.endedAt === null)).toBe(true);

    const second = await review(null, 2);
    const firstReview = await db.review.findUniqueOrThrow({ where: { id: first } });
    expect(firstReview.supersededAt).toEqual(minutesLater(2));
    expect((await db.review.findUniqueOrThrow({ where: { id: second } })).supersededAt).toBeNull();

    const after = await flagsOf(centralDeal);
    const ofFirst = after.filter((flag) => flag.reviewId === first);
    expect(ofFirst).toHaveLength(firstFlags.length);
    expect(ofFirst.every((flag) => flag.supersededAt === null)).toBe(true); // the rows were not written
    expect(ofFirst.every((flag) => flag.endedAt?.getTime() === minutesLater(2).getTime())).toBe(true);
    expect(await currentIds(centralDeal)).toEqual(
      after.filter((flag) => flag.reviewId === second).map((flag) => flag.id),
    );
  });

  it("a team review supersedes its team's flags one by one and leaves the other team's current", async () => {
    const organisationReview = (await db.review.findFirstOrThrow({ where: { supersededAt: null } })).id;
    const westBefore = await currentIds(westDeal);
    const teamReview = await review(org.teams.central, 3);

    expect((await db.review.findUniqueOrThrow({ where: { id: organisationReview } })).supersededAt).toBeNull();
    expect(await currentIds(westDeal)).toEqual(westBefore);
    const central = await flagsOf(centralDeal);
    const fromOrganisation = central.filter((flag) => flag.reviewId === organisationReview);
    expect(fromOrganisation.every((flag) => flag.supersededAt?.getTime() === minutesLater(3).getTime())).toBe(true);
    expect(await currentIds(centralDeal)).toEqual(
      central.filter((flag) => flag.reviewId === teamReview).map((flag) => flag.id),
    );
    // The team's rep flags moved to the team review too.
    const repFlags = await db.flag.findMany({ where: { userId: org.people.ana.userId, ...currentFlagWhere } });
    expect(repFlags.every((flag) => flag.reviewId === teamReview)).toBe(true);
  });

  it("a re-evaluation supersedes only the deal's current flags and never moves an ended flag's end", async () => {
    const endsBefore = new Map((await flagsOf(centralDeal)).map((flag) => [flag.id, flag.endedAt]));
    await reevaluateDeals(db, [centralDeal], AS_OF, minutesLater(4));

    const after = await flagsOf(centralDeal);
    for (const flag of after) {
      const before = endsBefore.get(flag.id);
      if (before === undefined) {
        expect(flag.reviewId).toBeNull(); // written by the re-evaluation
        expect(flag.endedAt).toBeNull();
      } else if (before === null) {
        expect(flag.endedAt).toEqual(minutesLater(4)); // was current
      } else {
        expect(flag.endedAt).toEqual(before); // had ended: unchanged
      }
    }
    expect(await currentIds(centralDeal)).toEqual(
      after.filter((flag) => flag.reviewId === null).map((flag) => flag.id),
    );
  });

  it("the next organisation review supersedes every review and the re-evaluation's flags", async () => {
    const endsBefore = new Map((await flagsOf(centralDeal)).map((flag) => [flag.id, flag.endedAt]));
    const latest = await review(null, 5);

    expect(await db.review.count({ where: { supersededAt: null } })).toBe(1);
    expect(await db.flag.count({ where: { ...currentFlagWhere, NOT: { reviewId: latest } } })).toBe(0);
    for (const flag of await flagsOf(centralDeal)) {
      const before = endsBefore.get(flag.id);
      if (before === undefined) expect(flag.endedAt).toBeNull();
      else if (before === null) expect(flag.endedAt).toEqual(minutesLater(5));
      else expect(flag.endedAt).toEqual(before);
    }
  });
});

describe("reviews run at the same time", () => {
  // On PostgreSQL each review has its own connection: without the flag
  // writers' lock both would supersede only what was committed before them.
  it("end with one current review and one set of current flags per deal", async () => {
    await Promise.all([review(null, 10), review(null, 10), review(org.teams.central, 10)]);
    const current = await db.review.findMany({ where: { supersededAt: null }, select: { id: true, teamId: true } });
    expect(current.filter((row) => row.teamId === null).length).toBeLessThanOrEqual(1);
    for (const dealId of [centralDeal, westDeal]) {
      const flags = await db.flag.findMany({ where: { opportunityId: dealId, ...currentFlagWhere } });
      expect(new Set(flags.map((flag) => flag.reviewId)).size).toBe(1);
      expect(new Set(flags.map((flag) => flag.rule)).size).toBe(flags.length);
    }
  });
});

describe("migration to review-level superseding", () => {
  it("supersedes old reviews whose flags had all ended, at their last flag's end, and keeps the rest current", async () => {
    const migrations = await readMigrations();
    const at = migrations.findIndex((migration) => migration.name.endsWith("_review_supersedes_flags"));
    expect(at).toBeGreaterThan(0);
    const pglite = new PGlite();
    try {
      const sql = pgliteRunner(pglite);
      await applyMigrations(sql, migrations.slice(0, at));
      // Two reviews written the old way: the first's flags superseded one by one, the second's current.
      await sql.exec(`
        INSERT INTO "Review" (id, at, "asOf", settings, totals) VALUES
          (1, '2026-06-01T10:00Z', '2026-06-01T10:00Z', '{}', '{}'),
          (2, '2026-06-08T10:00Z', '2026-06-08T10:00Z', '{}', '{}');
        INSERT INTO "Flag" ("reviewId", rule, severity, explanation, metrics, "asOf", "createdAt", "supersededAt") VALUES
          (1, 'untouched', 'stale', 'x', '{}', '2026-06-01T10:00Z', '2026-06-01T10:00Z', '2026-06-08T10:00Z'),
          (1, 'follow-up-gap', 'nudge', 'x', '{}', '2026-06-01T10:00Z', '2026-06-01T10:00Z', '2026-06-03T09:00Z'),
          (2, 'untouched', 'stale', 'x', '{}', '2026-06-08T10:00Z', '2026-06-08T10:00Z', NULL),
          (2, 'follow-up-gap', 'nudge', 'x', '{}', '2026-06-08T10:00Z', '2026-06-08T10:00Z', '2026-06-09T09:00Z');
      `);
      await applyMigrations(sql, migrations);
      const reviews = await sql.query<{ id: number; superseded: string | null; flags_after: number | null }>(
        `SELECT id, to_char("supersededAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS superseded,
                "flagsAfterId" AS flags_after
           FROM "Review" ORDER BY id`,
      );
      // Flags 1 and 2 belong to review 1, flags 3 and 4 to review 2.
      expect(reviews).toEqual([
        { id: 1, superseded: "2026-06-08T10:00", flags_after: 0 },
        { id: 2, superseded: null, flags_after: 2 },
      ]);
      const current = await sql.query<{ id: number }>(`SELECT f.id FROM "Flag" f WHERE ${currentFlagSql("f")}`);
      expect(current.map((row) => row.id)).toEqual([3]);
    } finally {
      await pglite.close();
    }
  });
});
