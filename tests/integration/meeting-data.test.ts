// Meeting mode's reads against a real database: who is on the agenda, which
// deals are discussed one by one and which are one early-stage line, the
// headline figures, pagination, and decisions recorded against the review.
import { beforeEach, describe, expect, it } from "vitest";
import { type DbClient, db } from "@/lib/db";
import { moveDealBack, returnDealToProspecting } from "@/lib/deals/mutations";
import type { Severity } from "@/lib/generated/prisma/enums";
import { getMeetingAgenda, getMeetingDecisions, MEETING_DEALS_PER_SCREEN, paginate } from "@/lib/meeting/data";
import { resetDatabase } from "../fixtures/reset-database";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
let reviewId: number;
let ids: Record<"e1" | "e2" | "e3" | "nudged" | "fiveYearOld" | "healthyDemo" | "stuckProposal" | "westDeal", number>;

async function flag(dealId: number, rule: string, severity: Severity, explanation = `${rule} explanation`) {
  await db.flag.create({
    data: { reviewId, opportunityId: dealId, rule, severity, explanation, metrics: {}, asOf: AS_OF, startedAt: AS_OF },
  });
}

// Every test starts from the same fresh organisation (the decisions tests
// change deals), so each stands alone in any order.
beforeEach(async () => {
  await resetDatabase();
  org = await createSmallOrg();
  const { ana, ben, wes } = org.people;
  const { discovery, qualification, demo, proposal, negotiation } = org.stages;
  const deal = (input: Parameters<typeof createDeal>[1]) => createDeal(org, input).then((row) => row.id);

  ids = {
    // Ana: three quiet early-stage deals, one early deal with only a nudge,
    // one five-year-old deal stuck in discovery, and two late-stage deals.
    e1: await deal({ owner: ana, amount: 1_000, openedDaysAgo: 10, stageId: discovery }),
    e2: await deal({ owner: ana, amount: 2_000, openedDaysAgo: 20, stageId: qualification }),
    e3: await deal({ owner: ana, amount: 3_000, openedDaysAgo: 5, stageId: discovery }),
    nudged: await deal({ owner: ana, amount: 4_000, openedDaysAgo: 30, stageId: discovery }),
    fiveYearOld: await deal({ owner: ana, amount: 50_000, openedDaysAgo: 1_900, stageId: discovery, name: "Ancient" }),
    healthyDemo: await deal({ owner: ana, amount: 20_000, openedDaysAgo: 40, stageId: demo, name: "Healthy demo" }),
    stuckProposal: await deal({ owner: ana, amount: 30_000, openedDaysAgo: 100, stageId: proposal, name: "Stuck" }),
    westDeal: await deal({ owner: wes, amount: 9_000, openedDaysAgo: 15, stageId: negotiation }),
  };
  // Not in the open pipeline: won this quarter (counts against quota), a prospect, a deal opened after asOf.
  await deal({ owner: ana, amount: 20_000, openedDaysAgo: 60, status: "won", closedDaysAgo: 10, stageId: negotiation });
  await deal({ owner: ana, amount: 7_000, openedDaysAgo: 90, status: "prospect", stageId: demo });
  await deal({ owner: ana, amount: 5_000, openedDaysAgo: -2, stageId: demo });
  // Ben: 17 healthy late-stage deals, more than one screen holds.
  for (let index = 1; index <= 17; index++) {
    await deal({ owner: ben, amount: index * 1_000, openedDaysAgo: 20, stageId: demo, name: `Ben deal ${index}` });
  }
  await db.quota.create({
    data: {
      userId: ana.userId,
      periodStart: new Date("2026-04-01T00:00:00.000Z"),
      periodEnd: new Date("2026-06-30T00:00:00.000Z"),
      amount: 100_000,
    },
  });

  const review = await db.review.create({
    data: {
      at: AS_OF,
      asOf: AS_OF,
      byId: org.people.admin.userId,
      settings: {},
      totals: { organisationCycle: { days: 100 }, byTeam: { [org.teams.central]: { cycle: { days: 50 } } } },
    },
  });
  reviewId = review.id;
  await flag(ids.nudged, "follow-up-gap", "nudge");
  await flag(ids.fiveYearOld, "past-its-time", "stale", "Open 1900 days — 38× the team's 50-day average cycle.");
  await flag(ids.fiveYearOld, "untouched", "stale");
  await flag(ids.stuckProposal, "stuck-in-stage", "at_risk");
  await db.flag.create({
    data: {
      reviewId,
      userId: ben.userId,
      rule: "no-new-pipeline",
      severity: "nudge",
      explanation: "No new deal in 20 days.",
      metrics: {},
      asOf: AS_OF,
      startedAt: AS_OF,
    },
  });
  await db.flag.create({
    data: {
      reviewId,
      teamId: org.teams.west,
      rule: "sales-trap",
      severity: "warning",
      explanation: "West closed big.",
      metrics: {},
      asOf: AS_OF,
      startedAt: AS_OF,
    },
  });
  await db.pipelineSnapshot.createMany({
    data: [
      {
        userId: ana.userId,
        weekStart: new Date("2026-06-08T00:00:00.000Z"),
        openCount: 7,
        openValue: 100_000,
        weightedValue: 1,
        staleCount: 1,
        staleValue: 50_000,
        newPipelineValue: 1_000,
        wonValue: 0,
      },
      {
        userId: ben.userId,
        weekStart: new Date("2026-06-08T00:00:00.000Z"),
        openCount: 17,
        openValue: 150_000,
        weightedValue: 1,
        staleCount: 0,
        staleValue: 0,
        newPipelineValue: 0,
        wonValue: 5_000,
      },
      {
        userId: ana.userId,
        weekStart: new Date("2026-06-01T00:00:00.000Z"),
        openCount: 6,
        openValue: 90_000,
        weightedValue: 1,
        staleCount: 1,
        staleValue: 50_000,
        newPipelineValue: 0,
        wonValue: 0,
      },
      {
        userId: wes.userId,
        weekStart: new Date("2026-06-08T00:00:00.000Z"),
        openCount: 1,
        openValue: 9_000,
        weightedValue: 1,
        staleCount: 0,
        staleValue: 0,
        newPipelineValue: 0,
        wonValue: 0,
      },
    ],
  });
});

const repNames = (agenda: Awaited<ReturnType<typeof getMeetingAgenda>>) => agenda.reps.map((rep) => rep.repName);

describe("getMeetingAgenda: scope", () => {
  it("puts a manager's own team on the agenda and nobody else's", async () => {
    const agenda = await getMeetingAgenda(org.people.centralManager, AS_OF);
    expect(repNames(agenda)).toEqual(["Ana Rep", "Ben Rep"]);
    expect(agenda.reps.flatMap((rep) => rep.deals).some((deal) => deal.id === ids.westDeal)).toBe(false);
    // Team warnings of other teams stay with them.
    expect(agenda.teamWarnings).toEqual([]);
    // Central's figures only: Ana 110,000 + Ben 1,000…17,000 (153,000).
    expect(agenda.summary.openValue.toFixed(2)).toBe("263000.00");
    expect(
      agenda.trend.map((point) => [point.weekStart.toISOString().slice(0, 10), point.openValue.toFixed(0)]),
    ).toEqual([
      ["2026-06-01", "90000"],
      ["2026-06-08", "250000"],
    ]);
  });

  it("gives an admin every team, and a rep only themselves", async () => {
    const admin = await getMeetingAgenda(org.people.admin, AS_OF);
    expect(repNames(admin)).toEqual(["Ana Rep", "Ben Rep", "Wes Rep"]);
    expect(admin.teamWarnings.map((warning) => `${warning.teamName}: ${warning.label}`)).toEqual(["West: Sales trap"]);
    expect(repNames(await getMeetingAgenda(org.people.ben, AS_OF))).toEqual(["Ben Rep"]);
    expect(repNames(await getMeetingAgenda(org.people.westManager, AS_OF))).toEqual(["Wes Rep"]);
  });

  it("uses a fixed number of queries whatever the number of reps", async () => {
    const central = countingClient();
    await getMeetingAgenda(org.people.centralManager, AS_OF, central.client);
    const everyone = countingClient();
    await getMeetingAgenda(org.people.admin, AS_OF, everyone.client);
    expect(everyone.calls()).toBe(central.calls());
    expect(central.calls()).toBeLessThanOrEqual(12);
  });
});

describe("getMeetingAgenda: what is discussed", () => {
  it("discusses late-stage and flagged deals one by one, worst first, and early-stage deals as one line", async () => {
    const agenda = await getMeetingAgenda(org.people.centralManager, AS_OF);
    const ana = agenda.reps.find((rep) => rep.repName === "Ana Rep");
    expect(ana?.deals.map((deal) => deal.id)).toEqual([ids.fiveYearOld, ids.stuckProposal, ids.healthyDemo]);
    // Early stages, not flagged stale or at risk (a nudge alone does not single a deal out).
    expect(ana?.earlyGroup.deals).toBe(4);
    expect(ana?.earlyGroup.value.toFixed(2)).toBe("10000.00");

    const ancient = ana?.deals[0];
    expect(ancient?.flags.map((flag) => flag.label)).toEqual(["Past its time", "Untouched"]);
    expect(ancient?.flags[0]?.explanation).toContain("1900 days");
    expect(ancient).toMatchObject({
      ageDays: 1_900,
      cycleMultiple: 38,
      stageName: "Discovery",
      previousStageName: null,
    });
    expect(ana?.deals[1]).toMatchObject({ stageName: "Proposal", previousStageName: "Demo" });
    expect(ana?.deals[2]?.flags).toEqual([]);
  });

  it("shows each rep's headline figures: open, weighted, stale share, flags by severity, coverage of the quota left", async () => {
    const agenda = await getMeetingAgenda(org.people.centralManager, AS_OF);
    const ana = agenda.reps.find((rep) => rep.repName === "Ana Rep");
    const figures = ana?.figures;
    expect(figures?.openDeals).toBe(7);
    expect(figures?.openValue.toFixed(2)).toBe("110000.00");
    // 58,000 × 10% + 2,000 × 20% + 20,000 × 40% + 30,000 × 60%
    expect(figures?.weightedValue.toFixed(2)).toBe("32200.00");
    expect(figures?.staleValue.toFixed(2)).toBe("50000.00");
    expect(figures?.staleShare).toBeCloseTo(50_000 / 110_000);
    expect(figures?.flaggedDeals).toBe(3);
    expect(figures?.flaggedValue.toFixed(2)).toBe("84000.00");
    expect(figures?.bySeverity.at_risk.deals).toBe(1);
    expect(figures?.bySeverity.nudge.value.toFixed(2)).toBe("4000.00");
    // 100,000 quota − 20,000 won this quarter = 80,000 left.
    expect(figures?.quota?.remaining.toFixed(2)).toBe("80000.00");
    expect(figures?.coverage?.raw).toBeCloseTo(110_000 / 80_000);
    expect(figures?.coverage?.adjusted).toBeCloseTo(60_000 / 80_000);
    expect(figures?.newPipelineDeals).toBe(4);
    expect(ana?.daysSinceLastNewDeal).toBe(5);

    const ben = agenda.reps.find((rep) => rep.repName === "Ben Rep");
    expect(ben?.figures.quota).toBeNull();
    expect(ben?.figures.coverage).toBeNull();
    expect(ben?.flags.map((flag) => flag.label)).toEqual(["No new pipeline"]);
    // Only Ana holds a quota: the team's coverage counts her pipeline only.
    expect(agenda.summary.coverage?.raw).toBeCloseTo(110_000 / 80_000);
    expect(agenda.summary.bySeverity.stale.deals).toBe(1);
  });

  it(`splits a rep with more than ${MEETING_DEALS_PER_SCREEN} deals over several screens`, async () => {
    const agenda = await getMeetingAgenda(org.people.centralManager, AS_OF);
    const ben = agenda.reps.find((rep) => rep.repName === "Ben Rep");
    expect(ben?.deals).toHaveLength(17);
    const pages = paginate(ben?.deals ?? []);
    expect(pages.map((page) => page.length)).toEqual([10, 7]);
    expect(pages[0]?.[0]?.name).toBe("Ben deal 17");
    expect(pages[1]?.map((deal) => deal.name)).toEqual([
      "Ben deal 7",
      "Ben deal 6",
      "Ben deal 5",
      "Ben deal 4",
      "Ben deal 3",
      "Ben deal 2",
      "Ben deal 1",
    ]);
    expect(paginate([])).toEqual([[]]);
  });
});

describe("decisions recorded against the review", () => {
  it("keeps a decided deal on its rep's screen with the result, and lists the decisions in order", async () => {
    const manager = org.people.centralManager;
    const ctx = { actor: manager, now: new Date(), asOf: AS_OF };
    const version = async (id: number) => (await db.opportunity.findUniqueOrThrow({ where: { id } })).version;
    const stuckVersion = await version(ids.stuckProposal);
    await db.$transaction((tx) =>
      moveDealBack(tx, ctx, { dealId: ids.stuckProposal, version: stuckVersion, reviewId }),
    );
    const ancientVersion = await version(ids.fiveYearOld);
    await db.$transaction((tx) =>
      returnDealToProspecting(tx, ctx, {
        dealId: ids.fiveYearOld,
        version: ancientVersion,
        reason: "No buyer contact in years",
        reviewId,
      }),
    );

    const agenda = await getMeetingAgenda(manager, AS_OF);
    const ana = agenda.reps.find((rep) => rep.repName === "Ana Rep");
    // Same rows in the same order: the prospect stays to show its result.
    expect(ana?.deals.map((deal) => deal.id)).toEqual([ids.fiveYearOld, ids.stuckProposal, ids.healthyDemo]);
    expect(ana?.deals[0]).toMatchObject({ status: "prospect", decision: { action: "return_to_prospecting" } });
    expect(ana?.deals[1]).toMatchObject({
      stageName: "Demo",
      decision: { action: "move_back", details: { to: "Demo" } },
    });
    expect(ana?.figures.openValue.toFixed(2)).toBe("60000.00");
    expect(ana?.earlyGroup.deals).toBe(4);

    const decisions = await getMeetingDecisions(manager, { id: reviewId, at: AS_OF });
    expect(decisions.map((decision) => [decision.deal.name, decision.action, decision.byName])).toEqual([
      ["Stuck", "move_back", "Carla Manager"],
      ["Ancient", "return_to_prospecting", "Carla Manager"],
    ]);
    expect(decisions[1]?.reason).toBe("No buyer contact in years");
    expect(await getMeetingDecisions(org.people.westManager, { id: reviewId, at: AS_OF })).toEqual([]);
  });

  it("records against the latest review covering the viewer's team", async () => {
    const central = await getMeetingAgenda(org.people.centralManager, AS_OF);
    expect(central.review).toMatchObject({ id: reviewId, byName: "Ada Admin", teamId: null });
    const westReview = await db.review.create({
      data: {
        at: AS_OF,
        asOf: AS_OF,
        byId: org.people.westManager.userId,
        teamId: org.teams.west,
        settings: {},
        totals: {},
      },
    });
    expect((await getMeetingAgenda(org.people.westManager, AS_OF)).review?.id).toBe(westReview.id);
    // West's own review is not Central's meeting.
    expect((await getMeetingAgenda(org.people.centralManager, AS_OF)).review?.id).toBe(reviewId);
  });
});

/** Counts the database calls a read makes (each model method or raw query is one round trip). */
function countingClient(): { client: DbClient; calls: () => number } {
  let calls = 0;
  const wrap = (target: object): object =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property);
        if (typeof value === "function") {
          return (...args: unknown[]) => {
            calls += 1;
            return value.apply(object, args);
          };
        }
        return value && typeof value === "object" ? wrap(value) : value;
      },
    });
  const client = new Proxy(db, {
    get(object, property) {
      const value = Reflect.get(object, property);
      if (typeof value === "function") {
        return (...args: unknown[]) => {
          calls += 1;
          return value.apply(object, args);
        };
      }
      return value && typeof value === "object" ? wrap(value) : value;
    },
  }) as DbClient;
  return { client, calls: () => calls };
}
