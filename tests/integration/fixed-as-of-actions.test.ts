// Actions taken in the app while the organisation reviews a fixed earlier date
// (a historical export): the change enters the deal's history on the as-of
// date, so the next full review — which replays history as of that date —
// sees it. Before, a deal removed today was recorded after the as-of date and
// the next review found it open again, in its old stage. The audit event
// keeps the real time.
//
// Each test makes its own deal and reads only that deal's verdict and rows, so
// the tests stand alone in any order.
import { addDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { type ChangeContext, moveDealBack, removeDealFromPipeline } from "@/lib/deals/mutations";
import { runReview } from "@/lib/reviews/mutations";
import { AS_OF, createDeal, createSmallOrg, createWonDeals, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
/** Today: a month after the organisation's fixed as-of date. */
const NOW = addDays(AS_OF, 30);
const ctx = (): ChangeContext => ({ actor: org.people.centralManager, now: NOW, asOf: AS_OF });

/** The full review of the fixed date, as the daily job and the Run review button run it. */
async function reviewFixedDate() {
  return runReview(getConnection().sql, { actorId: null, teamId: null, asOf: AS_OF, now: NOW, fromHistory: true });
}

beforeAll(async () => {
  org = await createSmallOrg();
  await db.orgSettings.update({ where: { id: 1 }, data: { asOf: AS_OF } });
  // Central's cycle: 10 won deals of 60 days.
  await createWonDeals(org, org.people.ben, 10, 60);
});

describe("an action under a fixed as-of date", () => {
  it("removing a deal: the next review of that date does not see it open", async () => {
    const deal = await createDeal(org, { owner: org.people.ana, amount: 40_000, openedDaysAgo: 400, name: "Old" });
    // Past its time as of AS_OF before the action (400 days > 2 × 60).
    const before = await reviewFixedDate();
    expect(before.evaluation.deals.map((facts) => facts.id)).toContain(deal.id);

    await db.$transaction((tx) =>
      removeDealFromPipeline(tx, ctx(), {
        dealId: deal.id,
        version: deal.version,
        reason: "stale — removed in review",
      }),
    );

    const after = await reviewFixedDate();
    expect(after.evaluation.deals.map((facts) => facts.id)).not.toContain(deal.id);
    expect(after.totals.openDeals).toBe(before.totals.openDeals - 1);
    expect(await db.flag.count({ where: { opportunityId: deal.id, endedAt: null } })).toBe(0);

    // History (and the decision, shown with the move) on the as-of date; the audit event at the real time.
    const saved = await db.opportunity.findUniqueOrThrow({ where: { id: deal.id } });
    expect(saved.status).toBe("lost");
    expect(saved.closedAt).toEqual(AS_OF);
    const move = await db.stageChange.findFirstOrThrow({ where: { opportunityId: deal.id, direction: "lost" } });
    expect(move.at).toEqual(AS_OF);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { entityId: String(deal.id), action: "deal.remove" } });
    expect(audit.at).toEqual(NOW);
    const decision = await db.decision.findFirstOrThrow({ where: { opportunityId: deal.id, action: "remove" } });
    // The decision keeps when it was taken (meeting mode counts decisions since its review).
    expect(decision.at).toEqual(NOW);
  });

  it("moving a deal back: the next review of that date sees it in the earlier stage, time in stage restarted", async () => {
    // 70 days in Proposal (its limit: 30 days) → stuck in stage as of AS_OF.
    const deal = await createDeal(org, {
      owner: org.people.ana,
      amount: 20_000,
      openedDaysAgo: 70,
      stageId: org.stages.proposal,
      name: "Stuck in proposal",
    });
    const before = await reviewFixedDate();
    const stuckBefore = before.evaluation.dealVerdicts.find((verdict) => verdict.dealId === deal.id);
    expect(stuckBefore?.flags.map((flag) => flag.rule)).toContain("stuck-in-stage");

    await db.$transaction((tx) => moveDealBack(tx, ctx(), { dealId: deal.id, version: deal.version }));

    const after = await reviewFixedDate();
    const facts = after.evaluation.deals.find((row) => row.id === deal.id);
    expect(facts?.stageId).toBe(org.stages.demo);
    expect(facts?.stageEnteredAt).toEqual(AS_OF);
    // The age still counts from when it was opened: moving back does not launder it.
    expect(facts?.openedAt).toEqual(deal.openedAt);
    const verdict = after.evaluation.dealVerdicts.find((row) => row.dealId === deal.id);
    expect(verdict?.flags.map((flag) => flag.rule)).not.toContain("stuck-in-stage");
    const current = await db.flag.findMany({ where: { opportunityId: deal.id, endedAt: null } });
    expect(current.map((flag) => flag.rule)).not.toContain("stuck-in-stage");

    const move = await db.stageChange.findFirstOrThrow({ where: { opportunityId: deal.id, direction: "back" } });
    expect(move.at).toEqual(AS_OF);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { entityId: String(deal.id), action: "deal.move_back" },
    });
    expect(audit.at).toEqual(NOW);
  });

  it("without a fixed date (as of now), history is recorded at the real time", async () => {
    const deal = await createDeal(org, { owner: org.people.ana, amount: 5_000, openedDaysAgo: 20, name: "Today's" });
    const today: ChangeContext = { actor: org.people.centralManager, now: NOW, asOf: NOW };
    await db.$transaction((tx) =>
      removeDealFromPipeline(tx, today, { dealId: deal.id, version: deal.version, reason: "No budget" }),
    );
    const saved = await db.opportunity.findUniqueOrThrow({ where: { id: deal.id } });
    expect(saved.closedAt).toEqual(NOW);
    const move = await db.stageChange.findFirstOrThrow({ where: { opportunityId: deal.id, direction: "lost" } });
    expect(move.at).toEqual(NOW);
  });
});
