// The review run against a real database: facts loaded set-based, the engine's
// verdicts stored as flags, snapshots written, history kept.
import { subDays } from "date-fns";
import { beforeEach, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { currentFlagWhere } from "@/lib/flags/current-flags";
import { resetDatabase } from "../fixtures/reset-database";
import { reviewAsOf } from "../fixtures/review";
import { AS_OF, createDeal, createSmallOrg, createWonDeals, logActivities, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
let ids: Record<"ancient" | "alive" | "quiet" | "westOld" | "future", number>;

// Every case starts from the same fresh organisation and runs its own reviews,
// so each stands alone, in any order or by itself (`-t`).
beforeEach(async () => {
  await resetDatabase();
  org = await createSmallOrg();
  const { ana, ben, wes } = org.people;
  // Central wins 10 deals of 60 days: its own average cycle (60) is used.
  await createWonDeals(org, ben, 10, 60);
  // West wins only 2 (of 300 days): too few, so West uses the organisation's average
  // over all 12 won deals: (10×60 + 2×300) / 12 = 100 days.
  await createWonDeals(org, wes, 2, 300);

  const ancient = await createDeal(org, { owner: ana, amount: 50_000, openedDaysAgo: 200, name: "Ancient deal" });
  const alive = await createDeal(org, { owner: ana, amount: 20_000, openedDaysAgo: 200, name: "Alive deal" });
  const quiet = await createDeal(org, { owner: ana, amount: 5_000, openedDaysAgo: 30, name: "Quiet deal" });
  const westOld = await createDeal(org, { owner: wes, amount: 8_000, openedDaysAgo: 150, name: "West deal" });
  const future = await createDeal(org, { owner: ana, amount: 1_000, openedDaysAgo: -2, name: "Not yet opened" });
  ids = { ancient: ancient.id, alive: alive.id, quiet: quiet.id, westOld: westOld.id, future: future.id };

  await logActivities(alive.id, [
    { daysAgo: 3, side: "seller" },
    { daysAgo: 5, side: "buyer", type: "meeting" },
  ]);
  await db.stageChange.create({
    data: {
      opportunityId: alive.id,
      fromStageId: org.stages.discovery,
      toStageId: org.stages.demo,
      fromStatus: "open",
      toStatus: "open",
      direction: "forward",
      at: subDays(AS_OF, 10),
    },
  });
  await db.opportunity.update({ where: { id: alive.id }, data: { stageId: org.stages.demo } });
  await logActivities(quiet.id, [{ daysAgo: 20, side: "seller" }]);
  await logActivities(westOld.id, [{ daysAgo: 1, side: "seller" }]);
  await refreshRollups(db, Object.values(ids));
});

async function currentFlags(dealId: number) {
  return db.flag.findMany({ where: { opportunityId: dealId, ...currentFlagWhere }, orderBy: { rule: "asc" } });
}

/** An organisation review as of AS_OF, each run a minute after the one before. */
let reviewClock = 0;
async function reviewOrganisation() {
  reviewClock += 1;
  return reviewAsOf({ now: new Date(AS_OF.getTime() + reviewClock * 60_000) });
}

/** The rules flagged on a deal by the review just run, and whether the review evaluated the deal at all. */
async function reviewedRules(dealId: number) {
  const { evaluation } = await reviewOrganisation();
  const evaluated = evaluation.deals.some((deal) => deal.id === dealId);
  return { evaluated, rules: (await currentFlags(dealId)).map((flag) => flag.rule) };
}

describe("runReview", () => {
  it("flags the 200-day deal past its time against the team's 60-day cycle, and explains it in numbers", async () => {
    const { reviewId, totals } = await reviewAsOf({ by: org.people.centralManager });
    const flags = await currentFlags(ids.ancient);
    const past = flags.find((flag) => flag.rule === "past-its-time");
    expect(past?.reviewId).toBe(reviewId);
    expect(past?.severity).toBe("stale");
    expect(past?.explanation).toMatch(
      /^Open 200 days — 3\.3× the Central team's 60-day average cycle \(10 won deals\)/,
    );
    expect(past?.explanation).toMatch(/no buyer activity/);
    // Stored as anchors (the day it opened), worded as of the day viewed.
    expect(past?.metrics).toMatchObject({
      openedOn: subDays(AS_OF, 200).toISOString().slice(0, 10),
      averageCycleDays: 60,
      cycleScope: "team",
    });
    expect(flags.map((flag) => flag.rule)).toContain("untouched");
    // Only the ancient deal is stale: the alive one is spared, the others are young or recently worked.
    expect(totals.staleDeals).toBe(1);
  });

  it("spares an old deal whose buyer is active and which moved forward recently", async () => {
    const { evaluated, rules } = await reviewedRules(ids.alive);
    expect(evaluated).toBe(true);
    expect(rules).not.toContain("past-its-time");
    expect(rules).not.toContain("untouched");
    // The same review flags the deal as old without those signs: the rule did run.
    expect((await currentFlags(ids.ancient)).map((flag) => flag.rule)).toContain("past-its-time");
  });

  it("uses the organisation's cycle for a team with too few wins, and says so", async () => {
    const { reviewId, evaluation } = await reviewOrganisation();
    expect(evaluation.deals.map((deal) => deal.id)).toContain(ids.westOld);
    const past = (await currentFlags(ids.westOld)).find((flag) => flag.rule === "past-its-time");
    // 150 days is not past 2 × 100 days.
    expect(past).toBeUndefined();
    const review = await db.review.findUniqueOrThrow({ where: { id: reviewId } });
    const totals = review.totals as { byTeam: Record<string, { cycle: { scope: string; days: number } }> };
    expect(totals.byTeam[org.teams.west]?.cycle).toMatchObject({ scope: "organisation", days: 100 });
  });

  it("ignores deals opened after the as-of date", async () => {
    const { evaluation } = await reviewOrganisation();
    const evaluatedIds = evaluation.deals.map((deal) => deal.id);
    // The review did evaluate the deals open on that date, only not the one opened after it.
    expect(evaluatedIds).toEqual(expect.arrayContaining([ids.ancient, ids.alive, ids.quiet, ids.westOld]));
    expect(evaluatedIds).not.toContain(ids.future);
    expect(await currentFlags(ids.future)).toEqual([]);
  });

  it("flags a quiet deal for the follow-up gap only", async () => {
    const { evaluated, rules } = await reviewedRules(ids.quiet);
    expect(evaluated).toBe(true);
    expect(rules).toEqual(["follow-up-gap"]);
  });

  it("writes this week's snapshot per rep with stale value", async () => {
    await reviewOrganisation();
    const snapshot = await db.pipelineSnapshot.findFirstOrThrow({ where: { userId: org.people.ana.userId } });
    expect(snapshot.openCount).toBe(3);
    expect(snapshot.openValue.toFixed(2)).toBe("75000.00");
    expect(snapshot.staleValue.toFixed(2)).toBe("50000.00");
    // Monday of the week of 2026-06-15 (a Monday).
    expect(snapshot.weekStart.toISOString().slice(0, 10)).toBe("2026-06-15");
  });

  it("a second review that finds the same verdicts writes no flag rows and keeps the episodes", async () => {
    await reviewOrganisation();
    const before = await db.flag.findMany({ orderBy: { id: "asc" } });
    const second = await reviewOrganisation();
    expect(second.episodes).toEqual({ started: 0, ended: 0, changed: 0, dealIds: [] });
    expect(await db.flag.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect(await db.flag.count({ where: { ...currentFlagWhere, reviewId: second.reviewId } })).toBe(0);
    // The snapshot for the week was replaced, not duplicated.
    expect(await db.pipelineSnapshot.count({ where: { userId: org.people.ana.userId } })).toBe(1);
  });

  it("leaves planner statistics for the flags it wrote (PGlite has no autovacuum)", async () => {
    await reviewOrganisation();
    const [row] = await getConnection().sql.query<{ tuples: number }>(
      `SELECT reltuples::float8 AS tuples FROM pg_class WHERE oid = '"Flag"'::regclass`,
    );
    // Analyzed after the first review (never-analyzed tables report -1), counting its flags.
    expect(Number(row?.tuples)).toBeGreaterThan(0);
  });

  it("limits a team review to the team's deals and leaves other teams' flags current", async () => {
    // A West deal nobody touched for 100 days: the organisation review flags it.
    await createDeal(org, { owner: org.people.wes, amount: 3_000, openedDaysAgo: 100, name: "Quiet West deal" });
    await reviewOrganisation();
    const westFlagsBefore = await db.flag.findMany({
      where: { ...currentFlagWhere, opportunity: { owner: { teamId: org.teams.west } } },
    });
    expect(westFlagsBefore.length).toBeGreaterThan(0);
    await reviewAsOf({
      by: org.people.centralManager,
      teamId: org.teams.central,
      now: new Date(AS_OF.getTime() + 120 * 60_000),
    });
    const westFlagsAfter = await db.flag.findMany({
      where: { ...currentFlagWhere, opportunity: { owner: { teamId: org.teams.west } } },
    });
    expect(westFlagsAfter.map((flag) => flag.id)).toEqual(westFlagsBefore.map((flag) => flag.id));
  });
});

describe("loading facts", () => {
  it("reads instants exactly, through Prisma's raw queries and the raw driver alike (no timezone shift)", async () => {
    const { loadOpenDeals } = await import("@/lib/reviews/facts");
    const { prismaQuery } = await import("@/lib/db/bulk-sql");
    const { DEFAULT_RULE_SETTINGS } = await import("@/lib/rules/settings");
    const stored = await db.opportunity.findUniqueOrThrow({ where: { id: ids.alive } });
    for (const query of [prismaQuery(db), getConnection().sql.query.bind(getConnection().sql)]) {
      const [facts] = await loadOpenDeals(
        query as Parameters<typeof loadOpenDeals>[0],
        { teamId: null, dealIds: [ids.alive] },
        { ...DEFAULT_RULE_SETTINGS },
        AS_OF,
        { fromHistory: false },
      );
      expect(facts?.openedAt).toEqual(stored.openedAt);
      expect(facts?.lastBuyerActivityAt).toEqual(stored.lastBuyerActivityAt);
      expect(facts?.stageEnteredAt).toEqual(stored.stageEnteredAt);
    }
  });

  it("reads the last activities and forward move from history up to an earlier as-of date, not from the rollups", async () => {
    const { loadOpenDeals } = await import("@/lib/reviews/facts");
    const { DEFAULT_RULE_SETTINGS } = await import("@/lib/rules/settings");
    const query = getConnection().sql.query.bind(getConnection().sql) as Parameters<typeof loadOpenDeals>[0];
    const load = (asOf: Date, fromHistory: boolean) =>
      loadOpenDeals(query, { teamId: null, dealIds: [ids.alive] }, { ...DEFAULT_RULE_SETTINGS }, asOf, { fromHistory });
    // The alive deal: seller activity 3 days ago, buyer meeting 5 days ago, moved forward 10 days ago.
    const [now] = await load(AS_OF, false);
    expect(now?.lastBuyerActivityAt).toEqual(subDays(AS_OF, 5));
    expect(now?.lastSellerActivityAt).toEqual(subDays(AS_OF, 3));
    const [weekAgo] = await load(subDays(AS_OF, 7), true);
    expect(weekAgo?.lastBuyerActivityAt).toBeNull();
    expect(weekAgo?.lastSellerActivityAt).toBeNull();
    expect(weekAgo?.lastActivityAt).toBeNull();
    expect(weekAgo?.lastForwardMoveAt).toEqual(subDays(AS_OF, 10));
    const [fourDaysAgo] = await load(subDays(AS_OF, 4), true);
    expect(fourDaysAgo?.lastBuyerActivityAt).toEqual(subDays(AS_OF, 5));
    expect(fourDaysAgo?.lastActivityAt).toEqual(subDays(AS_OF, 5));
    expect(fourDaysAgo?.lastSellerActivityAt).toBeNull();
  });

  it("counts rep flags for the rep's team in the totals, as for the whole organisation", async () => {
    // People created by the fixture have records made today, after AS_OF: a rep's start is their
    // first opened deal (or start date), never the record's creation, so they are still judged.
    const { reviewId } = await reviewAsOf({ by: org.people.admin });
    const review = await db.review.findUniqueOrThrow({ where: { id: reviewId } });
    const totals = review.totals as {
      byRule: Record<string, { count: number }>;
      byTeam: Record<string, { byRule: Record<string, { count: number }> }>;
    };
    const repFlags = await db.flag.findMany({
      where: { ...currentFlagWhere, rule: "no-new-pipeline" },
      select: { userId: true },
    });
    const people = await db.user.findMany({ select: { id: true, teamId: true } });
    const teamOf = new Map(people.map((person) => [person.id, person.teamId]));
    const inTeam = (teamId: string) => repFlags.filter((flag) => teamOf.get(flag.userId ?? "") === teamId).length;
    // Ana (last deal 30 days ago) and Ben (only old won deals) in Central; Wes in West.
    expect(inTeam(org.teams.central)).toBe(2);
    expect(inTeam(org.teams.west)).toBe(1);
    expect(totals.byTeam[org.teams.central]?.byRule["no-new-pipeline"]?.count).toBe(2);
    expect(totals.byTeam[org.teams.west]?.byRule["no-new-pipeline"]?.count).toBe(1);
    expect(totals.byRule["no-new-pipeline"]?.count).toBe(3);
  });
});
