// The team overview's figures against a real database: pipeline and weighted
// value, stale value from current flags, quota coverage raw vs adjusted, the
// cycle from the last review, snapshots, ages — and the viewer's scope.
import { beforeAll, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { getTeamOverview } from "@/lib/overview/data";
import { runReview } from "@/lib/reviews/mutations";
import { AS_OF, createDeal, createSmallOrg, createWonDeals, logActivities, type SmallOrg } from "../fixtures/small-org";
import { currentFlagWhere } from "@/lib/flags/current-flags";

let org: SmallOrg;
const context = { asOf: AS_OF, rules: {} };

beforeAll(async () => {
  org = await createSmallOrg();
  const { ana, ben, wes } = org.people;
  // Central wins 10 deals of 60 days (won 10–19 days ago, inside the quarter): a 60-day team cycle.
  await createWonDeals(org, ben, 10, 60);
  // 200 days against 60: past its time (stale), and never touched.
  await createDeal(org, { owner: ana, amount: 50_000, openedDaysAgo: 200, name: "Ancient deal" });
  // Young and active: healthy.
  const young = await createDeal(org, {
    owner: ana,
    amount: 20_000,
    openedDaysAgo: 10,
    stageId: org.stages.proposal,
    name: "Young deal",
  });
  await logActivities(young.id, [
    { daysAgo: 2, side: "seller" },
    { daysAgo: 1, side: "buyer", type: "meeting" },
  ]);
  // Past its expected close date: at risk only.
  const late = await createDeal(org, {
    owner: ben,
    amount: 7_500.5,
    openedDaysAgo: 20,
    stageId: org.stages.demo,
    expectedCloseInDays: -5,
    name: "Late deal",
  });
  await logActivities(late.id, [
    { daysAgo: 3, side: "seller" },
    { daysAgo: 4, side: "buyer" },
  ]);
  await createDeal(org, { owner: wes, amount: 8_000, openedDaysAgo: 150, name: "West deal" });
  await createDeal(org, { owner: ana, amount: 3_000, openedDaysAgo: 40, status: "prospect" });
  await refreshRollups(db, [young.id, late.id]);

  // Quarter Apr 1 – Jun 30 2026 (AS_OF is Jun 15): Ana 200k, Ben 30k (Ben already won 10 × 1,000).
  const quarter = { periodStart: new Date("2026-04-01T00:00:00Z"), periodEnd: new Date("2026-06-30T00:00:00Z") };
  await db.quota.createMany({
    data: [
      { userId: ana.userId, amount: 200_000, ...quarter },
      { userId: ben.userId, amount: 30_000, ...quarter },
      // Last quarter's quota does not count.
      {
        userId: ana.userId,
        amount: 999_999,
        periodStart: new Date("2026-01-01T00:00:00Z"),
        periodEnd: new Date("2026-03-31T00:00:00Z"),
      },
    ],
  });
  // Read here, before any test can run a review, so the "before any review" case stands alone in any order.
  overviewBeforeAnyReview = await getTeamOverview(org.people.centralManager, context);
});

let overviewBeforeAnyReview: Awaited<ReturnType<typeof getTeamOverview>>;

async function review(actor = org.people.centralManager, teamId: string | null = null) {
  return runReview(getConnection().sql, { actorId: actor.userId, teamId, asOf: AS_OF, now: AS_OF, fromHistory: false });
}

describe("before any review", () => {
  it("shows the pipeline with no flags, no last review and the default cycle", async () => {
    const overview = overviewBeforeAnyReview;
    expect(overview.lastReview).toBeNull();
    expect(overview.figures).toMatchObject({ openDeals: 3, staleValueCents: 0, flaggedDeals: 0 });
    expect(overview.cycles).toEqual([
      { teamName: "Central", cycle: expect.objectContaining({ days: 90, scope: "default" }) },
    ]);
    expect(overview.hasDeals).toBe(true);
  });
});

describe("after a review", () => {
  beforeAll(async () => {
    await review();
  });

  it("sums open and weighted value of the manager's team only", async () => {
    const overview = await getTeamOverview(org.people.centralManager, context);
    expect(overview.scopeLabel).toBe("Central team");
    expect(overview.reps.map((rep) => rep.repName)).toEqual(["Ana Rep", "Ben Rep"]);
    // 50,000 + 20,000 + 7,500.50; weighted 10% + 60% + 40%.
    expect(overview.figures.openDeals).toBe(3);
    expect(overview.figures.openValueCents).toBe(77_500_50);
    expect(overview.figures.weightedValueCents).toBe(5_000_00 + 12_000_00 + 3_000_20);
  });

  it("counts stale value from current stale flags, and its share", async () => {
    const overview = await getTeamOverview(org.people.centralManager, context);
    const ana = overview.reps.find((rep) => rep.repName === "Ana Rep");
    expect(ana?.stale).toEqual({ count: 1, valueCents: 50_000_00 });
    expect(overview.figures.staleValueCents).toBe(50_000_00);
    expect(overview.figures.staleShare).toBeCloseTo(50_000 / 77_500.5, 6);
    // The stacked bar's three parts add up to the open value.
    for (const rep of overview.reps) {
      expect(rep.health.healthyCents + rep.health.atRiskCents + rep.health.staleCents).toBe(rep.openValueCents);
    }
    const ben = overview.reps.find((rep) => rep.repName === "Ben Rep");
    expect(ben?.atRisk).toEqual({ count: 1, valueCents: 7_500_50 });
    expect(ben?.health).toEqual({ healthyCents: 0, atRiskCents: 7_500_50, staleCents: 0 });
  });

  it("matches the flags in the database deal by deal", async () => {
    const overview = await getTeamOverview(org.people.centralManager, context);
    const flagged = await db.opportunity.findMany({
      where: {
        status: "open",
        owner: { teamId: org.teams.central },
        flags: { some: currentFlagWhere },
      },
      select: { amount: true },
    });
    expect(overview.figures.flaggedDeals).toBe(flagged.length);
    const cents = flagged.reduce((total, deal) => total + Number(deal.amount.mul(100).toFixed(0)), 0);
    expect(overview.reps.reduce((total, rep) => total + rep.flagged.valueCents, 0)).toBe(cents);
  });

  it("gives each rep's oldest deal, last activity and new pipeline in the last 30 days", async () => {
    const overview = await getTeamOverview(org.people.centralManager, context);
    const ana = overview.reps.find((rep) => rep.repName === "Ana Rep");
    expect(ana).toMatchObject({ oldestDealDays: 200, daysSinceLastActivity: 1 });
    // The young deal (10 days) only; the prospect opened 40 days ago is outside the window.
    expect(ana?.newPipeline30).toEqual({ count: 1, valueCents: 20_000_00 });
    const ben = overview.reps.find((rep) => rep.repName === "Ben Rep");
    // Ben's late deal (20 days); his won deals opened 70+ days ago.
    expect(ben?.newPipeline30).toEqual({ count: 1, valueCents: 7_500_50 });
  });

  it("covers the remaining quota raw and without stale deals", async () => {
    const overview = await getTeamOverview(org.people.centralManager, context);
    // Quota 230,000 − won 10,000 this quarter = 220,000 remaining.
    expect(overview.coverage).toMatchObject({
      kind: "coverage",
      quotaCents: 230_000_00,
      wonCents: 10_000_00,
      remainingCents: 220_000_00,
      repsWithQuota: 2,
    });
    if (overview.coverage.kind !== "coverage") throw new Error("expected coverage");
    expect(overview.coverage.raw).toBeCloseTo(77_500.5 / 220_000, 6);
    expect(overview.coverage.adjusted).toBeCloseTo(27_500.5 / 220_000, 6);
    expect(overview.coverage.period?.start.toISOString()).toBe("2026-04-01T00:00:00.000Z");
  });

  it("says when there is no quota", async () => {
    const overview = await getTeamOverview(org.people.westManager, context);
    expect(overview.coverage).toEqual({ kind: "no-quota" });
  });

  it("names the cycle in use and the last review with who ran it", async () => {
    const overview = await getTeamOverview(org.people.centralManager, context);
    expect(overview.cycles).toEqual([
      { teamName: "Central", cycle: expect.objectContaining({ days: 60, scope: "team", sampleSize: 10 }) },
    ]);
    expect(overview.lastReview).toMatchObject({ byName: "Carla Manager", teamName: null });
    const admin = await getTeamOverview(org.people.admin, context);
    expect(admin.cycles.map((entry) => `${entry.teamName ?? "organisation"}: ${entry.cycle.scope}`)).toEqual([
      "organisation: organisation",
      "Central: team",
      "West: organisation",
    ]);
  });

  it("buckets ages against each team's cycle with the line at 2×", async () => {
    const overview = await getTeamOverview(org.people.centralManager, context);
    expect(overview.ages.sharedCycleDays).toBe(60);
    expect(overview.ages.total).toEqual({ count: 3, valueCents: 77_500_50 });
    // 200 days > 2 × 60.
    expect(overview.ages.pastLine).toEqual({ count: 1, valueCents: 50_000_00 });
  });

  it("adds up this week's snapshots of the reps in scope", async () => {
    const overview = await getTeamOverview(org.people.centralManager, context);
    expect(overview.trend).toHaveLength(1);
    expect(overview.trend[0]).toMatchObject({
      weekStart: new Date("2026-06-15T00:00:00.000Z"),
      openCents: 77_500_50,
      staleCents: 50_000_00,
    });
  });

  it("shows a rep only their own pipeline, and an admin every team", async () => {
    const ben = await getTeamOverview(org.people.ben, context);
    expect(ben.reps.map((rep) => rep.repName)).toEqual(["Ben Rep"]);
    expect(ben.figures.openValueCents).toBe(7_500_50);
    const admin = await getTeamOverview(org.people.admin, context);
    expect(admin.reps.map((rep) => rep.repName)).toEqual(["Ana Rep", "Ben Rep", "Wes Rep"]);
    expect(admin.figures.openValueCents).toBe(85_500_50);
  });

  it("warns about a current sales-trap flag of a team in scope only", async () => {
    await db.flag.create({
      data: {
        teamId: org.teams.west,
        rule: "sales-trap",
        severity: "warning",
        explanation: "West won more than usual while its pipeline shrank.",
        metrics: {},
        asOf: AS_OF,
        startedAt: AS_OF,
      },
    });
    expect((await getTeamOverview(org.people.centralManager, context)).salesTraps).toEqual([]);
    expect((await getTeamOverview(org.people.westManager, context)).salesTraps).toEqual([
      { teamName: "West", explanation: "West won more than usual while its pipeline shrank." },
    ]);
  });
});

describe("an empty scope", () => {
  it("says there are no deals to show", async () => {
    const { id: userId } = await db.user.create({
      data: { name: "New Rep", email: "new.rep@test.example", role: "rep", teamId: org.teams.west },
    });
    const overview = await getTeamOverview({ userId, name: "New Rep", role: "rep", teamId: org.teams.west }, context);
    expect(overview.hasDeals).toBe(false);
    expect(overview.reps).toHaveLength(1);
    expect(overview.figures.openDeals).toBe(0);
  });
});
