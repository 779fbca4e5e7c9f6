// A review as of an earlier date sees the pipeline as it was then (SPEC "The
// rules": asOf explicit, history reviewable as of any date), won deals count
// for the team that won them, and what the data cannot support is "not judged"
// — against a real database with real migrations.
//
// This file never logs an activity: the organisation has none, which is what
// the "no activities imported" cases are about, whatever order they run in.
import { addDays, subDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { refreshFiguresOfDeals } from "@/lib/figures/mutations";
import type { Query } from "@/lib/db/bulk-sql";
import { evaluateScope } from "@/lib/reviews/evaluate";
import { runReview } from "@/lib/reviews/mutations";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
/** The earlier date reviewed: 60 days before AS_OF. */
const THEN = subDays(AS_OF, 60);
let wonSince: number;
let unknownEntry: number;

const query: Query = (sql, params) => getConnection().sql.query(sql, params);

beforeAll(async () => {
  org = await createSmallOrg();
  const { ana, ben } = org.people;
  // Ben wins 10 deals of 40 days for Central, closed 70–79 days before AS_OF (before THEN)…
  for (let index = 0; index < 10; index++) {
    const closedDaysAgo = 70 + index;
    await createDeal(org, {
      owner: ben,
      amount: 1000,
      openedDaysAgo: closedDaysAgo + 40,
      status: "won",
      closedDaysAgo,
      stageId: org.stages.negotiation,
    });
  }
  // …then moves to West. His wins still count for Central, the team that won them.
  await db.user.update({ where: { id: ben.userId }, data: { teamId: org.teams.west } });

  // Opened 150 days before AS_OF (90 before THEN) in Discovery, moved to Demo 120 days
  // before AS_OF, to Proposal 40 days before AS_OF (after THEN), won 30 days before
  // AS_OF; its amount went from 10,000 to 12,000 35 days before AS_OF.
  const deal = await createDeal(org, {
    owner: ana,
    amount: 12_000,
    openedDaysAgo: 150,
    stageId: org.stages.proposal,
    status: "won",
    closedDaysAgo: 30,
    name: "Won a month after the review date",
  });
  wonSince = deal.id;
  const at = (daysAgo: number) => subDays(AS_OF, daysAgo);
  const { discovery, demo, proposal } = org.stages;
  await db.stageChange.createMany({
    data: [
      { opportunityId: deal.id, toStageId: discovery, toStatus: "open", direction: "created", at: at(150) },
      {
        opportunityId: deal.id,
        fromStageId: discovery,
        toStageId: demo,
        fromStatus: "open",
        toStatus: "open",
        direction: "forward",
        at: at(120),
      },
      {
        opportunityId: deal.id,
        fromStageId: demo,
        toStageId: proposal,
        fromStatus: "open",
        toStatus: "open",
        direction: "forward",
        at: at(40),
      },
      {
        opportunityId: deal.id,
        fromStageId: proposal,
        toStageId: proposal,
        fromStatus: "open",
        toStatus: "won",
        direction: "won",
        at: at(30),
      },
    ],
  });
  await db.amountChange.create({
    data: { opportunityId: deal.id, fromAmount: "10000", toAmount: "12000", at: at(35) },
  });
  await refreshRollups(db, [deal.id]);

  // An open deal imported without stage history: when it entered its stage is unknown.
  const imported = await createDeal(org, { owner: ana, amount: 3_000, openedDaysAgo: 50, stageId: org.stages.demo });
  await refreshRollups(db, [imported.id]);
  unknownEntry = imported.id;
});

describe("a review as of an earlier date", () => {
  it("sees a deal open on that date and won a month later, in its stage and amount of that date", async () => {
    const evaluation = await evaluateScope(query, { teamId: null, dealIds: null }, THEN, { fromHistory: true });
    const deal = evaluation.deals.find((d) => d.id === wonSince);
    expect(deal).toMatchObject({
      stageId: org.stages.demo,
      stageName: "Demo",
      amountCents: 1_000_000,
      teamId: org.teams.central,
      stageEnteredAt: subDays(AS_OF, 120),
      lastForwardMoveAt: subDays(AS_OF, 120),
    });
    // Judged as of THEN: 90 days old against Central's 40-day cycle (2 × 40 = 80): past its time.
    const verdict = evaluation.dealVerdicts.find((v) => v.dealId === wonSince);
    expect(verdict?.flags.map((flag) => flag.rule)).toContain("past-its-time");
    expect(verdict?.flags.find((f) => f.rule === "past-its-time")?.explanation).toMatch(
      /^Open 90 days — 2\.3× the Central team's 40-day average cycle \(10 won deals\)/,
    );
  });

  it("leaves the deal out as of today, when it is won", async () => {
    const evaluation = await evaluateScope(query, { teamId: null, dealIds: null }, AS_OF, { fromHistory: false });
    expect(evaluation.deals.map((d) => d.id)).not.toContain(wonSince);
    expect(evaluation.deals.map((d) => d.id)).toContain(unknownEntry);
  });

  it("stores the historical review's flag on the deal won since", async () => {
    const { reviewId, totals } = await runReview(getConnection().sql, {
      actorId: null,
      teamId: null,
      asOf: THEN,
      now: AS_OF,
      fromHistory: true,
    });
    const flags = await db.flag.findMany({ where: { reviewId, opportunityId: wonSince } });
    expect(flags.map((flag) => flag.rule)).toContain("past-its-time");
    expect(totals.openDeals).toBeGreaterThanOrEqual(1);
  });
});

describe("won deals count for the team that won them", () => {
  it("records the owner's team when a deal closes, and keeps it when the owner moves", async () => {
    const won = await db.opportunity.findMany({ where: { ownerId: org.people.ben.userId, status: "won" } });
    expect(won).toHaveLength(10);
    for (const deal of won) expect(deal.closedTeamId).toBe(org.teams.central);
  });

  it("clears it when a deal is reopened and records the new team when it closes again", async () => {
    const deal = await createDeal(org, { owner: org.people.wes, amount: 1, openedDaysAgo: 5 });
    expect(deal.closedTeamId).toBeNull();
    const closed = await db.opportunity.update({
      where: { id: deal.id },
      data: { status: "lost", closedAt: AS_OF },
    });
    expect(closed.closedTeamId).toBe(org.teams.west);
    const reopened = await db.opportunity.update({ where: { id: deal.id }, data: { status: "open", closedAt: null } });
    expect(reopened.closedTeamId).toBeNull();
    await refreshFiguresOfDeals(db, [deal.id]); // as the import that reopens a deal does (reviews' totals read them)
  });

  it("gives Central its own cycle although Ben is in West now, unrounded", async () => {
    const evaluation = await evaluateScope(query, { teamId: null, dealIds: null }, AS_OF, { fromHistory: false });
    // Ben's 10 wins of 40 days and Ana's win of 120 days (opened 150, won 30 days ago): 520 / 11.
    expect(evaluation.context.cycles.byTeam.get(org.teams.central)).toMatchObject({
      scope: "team",
      days: 520 / 11,
      sampleSize: 11,
    });
    expect(evaluation.context.cycles.byTeam.get(org.teams.west)).toMatchObject({
      scope: "organisation",
      teamSampleSize: 0,
    });
  });
});

describe("not judged where the data cannot support a rule", () => {
  it("says stuck-in-stage is not judged for a deal without stage history, and counts it in the totals", async () => {
    const stored = await db.opportunity.findUniqueOrThrow({ where: { id: unknownEntry } });
    expect(stored.stageEnteredAt).toBeNull();
    const { evaluation, totals } = await runReview(getConnection().sql, {
      actorId: null,
      teamId: null,
      asOf: AS_OF,
      now: addDays(AS_OF, 1),
      fromHistory: false,
      // Every deal's verdict in hand: after another test's review of now, a
      // repeat review would judge only the deals that changed since.
      mode: "full",
    });
    const verdict = evaluation.dealVerdicts.find((v) => v.dealId === unknownEntry);
    expect(verdict?.notJudged).toContainEqual({
      rule: "stuck-in-stage",
      reason: "not judged: when it entered Demo is unknown (no stage history)",
    });
    expect(verdict?.flags.map((flag) => flag.rule)).not.toContain("stuck-in-stage");
    expect(totals.notJudged["stuck-in-stage"]?.reasons).toMatchObject({
      "not judged: when it entered Demo is unknown (no stage history)": 1,
    });
  });

  it("says the activity rules are not judged when the organisation has no activities at all", async () => {
    expect(await db.activity.count()).toBe(0);
    const { evaluation, totals } = await runReview(getConnection().sql, {
      actorId: null,
      teamId: null,
      asOf: AS_OF,
      now: addDays(AS_OF, 2),
      fromHistory: false,
    });
    // A review after another judges only the deals whose verdict may have moved: count from the totals.
    const open = totals.openDeals;
    expect(open).toBeGreaterThan(0);
    for (const rule of ["untouched", "follow-up-gap", "one-sided"] as const) {
      expect(totals.notJudged[rule]).toEqual({ count: open, reasons: { "not judged: no activities imported": open } });
      expect(totals.byRule[rule]).toBeUndefined();
    }
    // The 50-day-old deal nobody logged anything on is not called untouched or unfollowed.
    const verdict = evaluation.dealVerdicts.find((v) => v.dealId === unknownEntry);
    if (verdict) expect(verdict.flags).toEqual([]);
    expect(await db.flag.count({ where: { opportunityId: unknownEntry, endedAt: null } })).toBe(0);
  });
});
