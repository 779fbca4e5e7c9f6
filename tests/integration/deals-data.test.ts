// The deal screens' reads against a real database: a rep's pipeline with its
// figures, filters and sort; a deal's merged timeline with waived flags; a
// rep's own deals — and every read refusing what the viewer may not see.
import { addDays, subDays } from "date-fns";
import { beforeEach, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import { getDealTimeline } from "@/lib/deals/deal-timeline";
import { getMyDeals } from "@/lib/deals/my-deals";
import { DEFAULT_PIPELINE_VIEW, parsePipelineView } from "@/lib/deals/pipeline-view";
import { getRepPipeline } from "@/lib/deals/rep-pipeline";
import { refreshRollups } from "@/lib/deals/history";
import {
  type ChangeContext,
  keepDealWithWaiver,
  logDealActivity,
  moveDealBack,
  returnDealToProspecting,
} from "@/lib/deals/mutations";
import { resetDatabase } from "../fixtures/reset-database";
import { reviewAsOf } from "../fixtures/review";
import { AS_OF, createDeal, createSmallOrg, createWonDeals, logActivities, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
let ids: Record<"ancient" | "proposal" | "fresh" | "benDeal" | "wesDeal" | "prospect", number>;
const NOW = new Date(AS_OF.getTime() + 3_600_000);
const ctxFor = (actor: Viewer): ChangeContext => ({ actor, now: NOW, asOf: AS_OF, maxKeepWaiverDays: 30 });
const day = (date: Date) => new Date(`${date.toISOString().slice(0, 10)}T00:00:00.000Z`);

/** The review the central manager runs as of AS_OF; tests about flags run it first. */
async function runTheReview() {
  await reviewAsOf({ by: org.people.centralManager });
}

// Every test starts from the same fresh organisation (and runs the review
// itself when it is about flags), so each stands alone in any order.
beforeEach(async () => {
  await resetDatabase();
  org = await createSmallOrg();
  const { ana, ben, wes } = org.people;
  // Central: 10 won deals of 60 days → its own 60-day cycle.
  await createWonDeals(org, ben, 10, 60);

  const account = await db.account.create({ data: { name: "Acme Corp" } });
  const ancient = await createDeal(org, { owner: ana, amount: 50_000, openedDaysAgo: 400, name: "Ancient deal" });
  await db.opportunity.update({
    where: { id: ancient.id },
    data: { accountId: account.id, expectedCloseDate: day(subDays(AS_OF, 100)) },
  });
  const proposal = await createDeal(org, {
    owner: ana,
    amount: 30_000,
    openedDaysAgo: 70,
    stageId: org.stages.proposal,
    name: "Proposal deal",
    expectedCloseInDays: 20,
  });
  const fresh = await createDeal(org, {
    owner: ana,
    amount: 10_000.5,
    openedDaysAgo: 5,
    stageId: org.stages.demo,
    name: "Fresh deal",
  });
  const benDeal = await createDeal(org, { owner: ben, amount: 7_000, openedDaysAgo: 20, name: "Ben's deal" });
  const wesDeal = await createDeal(org, { owner: wes, amount: 9_000, openedDaysAgo: 20, name: "Wes's deal" });
  const prospect = await createDeal(org, {
    owner: ana,
    amount: 99_000,
    openedDaysAgo: 30,
    status: "prospect",
    name: "Not in pipeline",
  });
  ids = {
    ancient: ancient.id,
    proposal: proposal.id,
    fresh: fresh.id,
    benDeal: benDeal.id,
    wesDeal: wesDeal.id,
    prospect: prospect.id,
  };
  await logActivities(proposal.id, [
    { daysAgo: 2, side: "buyer", type: "meeting" },
    { daysAgo: 1, side: "seller" },
  ]);
  await logActivities(fresh.id, [{ daysAgo: 1, side: "seller" }]);
  await refreshRollups(db, Object.values(ids));
  // Entered Proposal 45 days ago (no stage history: set after the rollups).
  await db.opportunity.update({ where: { id: proposal.id }, data: { stageEnteredAt: subDays(AS_OF, 45) } });
  await db.quota.create({
    data: {
      userId: ana.userId,
      periodStart: new Date("2026-04-01T00:00:00.000Z"),
      periodEnd: new Date("2026-06-30T00:00:00.000Z"),
      amount: 100_000,
    },
  });
  await createDeal(org, {
    owner: ana,
    amount: 20_000,
    openedDaysAgo: 70,
    status: "won",
    closedDaysAgo: 10,
    name: "Won this quarter",
  });
});

describe("getRepPipeline", () => {
  it("shows the rep's open deals with clocks and the cycle computed when no review has run yet", async () => {
    const pipeline = await getRepPipeline(org.people.centralManager, org.people.ana.userId, AS_OF);
    expect(pipeline).not.toBeNull();
    if (!pipeline) return;
    expect(pipeline.rep).toMatchObject({ name: "Ana Rep", teamName: "Central" });
    expect(pipeline.cycle).toMatchObject({ days: 60, source: "computed" });
    expect(pipeline.cycle.description).toContain("Central team's 60-day average cycle");
    expect(pipeline.deals.map((deal) => deal.name).sort()).toEqual(["Ancient deal", "Fresh deal", "Proposal deal"]);
    const ancient = pipeline.deals.find((deal) => deal.id === ids.ancient);
    expect(ancient).toMatchObject({
      accountName: "Acme Corp",
      ageDays: 400,
      ageMultiple: 6.7,
      stageName: "Discovery",
      early: true,
      amountCents: 5_000_000,
      daysSinceActivity: null,
    });
    const proposal = pipeline.deals.find((deal) => deal.id === ids.proposal);
    expect(proposal).toMatchObject({ daysInStage: 45, daysSinceBuyerActivity: 2, daysSinceActivity: 1 });
    expect(pipeline.summary).toMatchObject({
      openDeals: 3,
      openValueCents: 9_000_050,
      // 50,000 × 10% + 30,000 × 60% + 10,000.50 × 40% = 5,000 + 18,000 + 4,000.20
      weightedValueCents: 2_700_020,
      oldestDeal: { id: ids.ancient, ageDays: 400 },
      daysSinceLastNewDeal: 5,
    });
    // Quota 100,000, won 20,000 this quarter → 80,000 remaining.
    expect(pipeline.summary.quota).toMatchObject({ quotaCents: 10_000_000, wonCents: 2_000_000 });
    expect(pipeline.summary.quota?.raw).toBeCloseTo(90_000.5 / 80_000, 5);
    expect(pipeline.summary.quota?.ofQuota).toBeCloseTo(90_000.5 / 100_000, 5);
  });

  it("after a review: current flags on each deal, stale value, and the review's cycle", async () => {
    await runTheReview();
    const pipeline = await getRepPipeline(org.people.centralManager, org.people.ana.userId, AS_OF);
    if (!pipeline) throw new Error("expected a pipeline");
    expect(pipeline.cycle.source).toBe("review");
    expect(pipeline.latestReview).not.toBeNull();
    const ancient = pipeline.deals.find((deal) => deal.id === ids.ancient);
    expect(ancient?.flags.map((flag) => flag.rule)).toEqual(
      expect.arrayContaining(["past-its-time", "untouched", "close-date-slipping"]),
    );
    // Worst first: stale flags before at-risk ones.
    expect(ancient?.flags[0]?.severity).toBe("stale");
    expect(ancient?.flags.find((flag) => flag.rule === "past-its-time")?.explanation).toMatch(/^Open 400 days/);
    const proposal = pipeline.deals.find((deal) => deal.id === ids.proposal);
    expect(proposal?.flags.map((flag) => flag.rule)).toEqual(["stuck-in-stage"]);
    expect(pipeline.summary).toMatchObject({ staleDeals: 1, staleValueCents: 5_000_000, flaggedDeals: 2 });
    expect(pipeline.summary.quota?.adjusted).toBeCloseTo(40_000.5 / 80_000, 5);
    // Default sort: flagged worst first.
    expect(pipeline.deals.map((deal) => deal.id)).toEqual([ids.ancient, ids.proposal, ids.fresh]);
  });

  it("filters by rule, severity and stage and sorts as the URL says, without changing the figures", async () => {
    await runTheReview();
    const byRule = await getRepPipeline(
      org.people.centralManager,
      org.people.ana.userId,
      AS_OF,
      parsePipelineView({ rule: "stuck-in-stage" }),
    );
    expect(byRule?.deals.map((deal) => deal.id)).toEqual([ids.proposal]);
    expect(byRule?.summary.openDeals).toBe(3);
    const stale = await getRepPipeline(
      org.people.centralManager,
      org.people.ana.userId,
      AS_OF,
      parsePipelineView(new URLSearchParams("severity=stale")),
    );
    expect(stale?.deals.map((deal) => deal.id)).toEqual([ids.ancient]);
    const unflagged = await getRepPipeline(
      org.people.centralManager,
      org.people.ana.userId,
      AS_OF,
      parsePipelineView({ rule: "none" }),
    );
    expect(unflagged?.deals.map((deal) => deal.id)).toEqual([ids.fresh]);
    const demo = await getRepPipeline(
      org.people.centralManager,
      org.people.ana.userId,
      AS_OF,
      parsePipelineView({ stage: String(org.stages.demo) }),
    );
    expect(demo?.deals.map((deal) => deal.id)).toEqual([ids.fresh]);
    const byAmount = await getRepPipeline(
      org.people.centralManager,
      org.people.ana.userId,
      AS_OF,
      parsePipelineView({ sort: "amount", dir: "asc" }),
    );
    expect(byAmount?.deals.map((deal) => deal.id)).toEqual([ids.fresh, ids.proposal, ids.ancient]);
    // Blanks last in either direction.
    const byBuyer = await getRepPipeline(
      org.people.centralManager,
      org.people.ana.userId,
      AS_OF,
      parsePipelineView({ sort: "lastBuyerActivity", dir: "desc" }),
    );
    expect(byBuyer?.deals.at(0)?.id).toBe(ids.proposal);
  });

  it("ignores unknown view parameters", () => {
    expect(parsePipelineView({ rule: "drop table", severity: "bad", stage: "x", sort: "nope", dir: "up" })).toEqual(
      DEFAULT_PIPELINE_VIEW,
    );
  });

  it("refuses reps outside the viewer's scope", async () => {
    const { ana, ben, wes, westManager, admin } = org.people;
    expect(await getRepPipeline(westManager, ana.userId, AS_OF)).toBeNull();
    expect(await getRepPipeline(ben, ana.userId, AS_OF)).toBeNull();
    expect(await getRepPipeline(ana, ana.userId, AS_OF)).not.toBeNull();
    expect(await getRepPipeline(admin, wes.userId, AS_OF)).not.toBeNull();
    expect(await getRepPipeline(admin, "no-such-user", AS_OF)).toBeNull();
    // Reps may act on their own deals; admins on anyone's.
    expect((await getRepPipeline(ana, ana.userId, AS_OF))?.canAct).toBe(true);
    expect((await getRepPipeline(admin, ana.userId, AS_OF))?.canAct).toBe(true);
  });
});

describe("getDealTimeline", () => {
  it("merges the deal's history newest first, a decision shown once on the move it made", async () => {
    await runTheReview();
    const { centralManager, ana } = org.people;
    const deal = await db.opportunity.findUniqueOrThrow({ where: { id: ids.proposal } });
    await db.$transaction((tx) =>
      moveDealBack(tx, ctxFor(centralManager), { dealId: deal.id, version: deal.version, reason: "No champion yet" }),
    );
    await db.$transaction((tx) =>
      logDealActivity(tx, ctxFor(ana), {
        dealId: deal.id,
        type: "call",
        side: "buyer",
        at: subDays(AS_OF, 0),
        summary: "They called back",
      }),
    );
    const timeline = await getDealTimeline(centralManager, deal.id, AS_OF);
    if (!timeline) throw new Error("expected a timeline");
    expect(timeline.deal).toMatchObject({ name: "Proposal deal", stageName: "Demo", ownerName: "Ana Rep" });
    expect(timeline.previousStage?.name).toBe("Qualification");
    const stageEvents = timeline.events.filter((event) => event.kind === "stage");
    expect(stageEvents).toHaveLength(1);
    expect(stageEvents[0]).toMatchObject({
      direction: "back",
      fromStage: "Proposal",
      toStage: "Demo",
      reason: "No champion yet",
      byName: "Carla Manager",
    });
    // The move-back decision is not repeated as its own entry.
    expect(timeline.events.filter((event) => event.kind === "decision")).toHaveLength(0);
    const activities = timeline.events.filter((event) => event.kind === "activity");
    expect(activities.map((event) => event.kind === "activity" && event.side)).toEqual(["buyer", "seller", "buyer"]);
    // Newest first.
    const times = timeline.events.map((event) => event.at.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Stuck-in-stage was raised by the review and cleared by the move back.
    const flagEvents = timeline.events.filter((event) => event.kind === "flags");
    expect(flagEvents.at(-1)).toMatchObject({ raised: [{ rule: "stuck-in-stage" }], cleared: [] });
    expect(flagEvents[0]).toMatchObject({ cleared: [{ rule: "stuck-in-stage" }], reviewId: null });
    expect(timeline.flags).toEqual([]);
    expect(timeline).toMatchObject({ canAct: true, canWaive: true });
  });

  it("shows what a manager's waiver holds back, with its reason and expiry", async () => {
    await runTheReview();
    const { centralManager } = org.people;
    const deal = await db.opportunity.findUniqueOrThrow({ where: { id: ids.ancient } });
    const until = day(addDays(AS_OF, 14));
    await db.$transaction((tx) =>
      keepDealWithWaiver(tx, ctxFor(centralManager), {
        dealId: deal.id,
        version: deal.version,
        reason: "Board decision next week",
        until,
      }),
    );
    const timeline = await getDealTimeline(centralManager, deal.id, AS_OF);
    if (!timeline) throw new Error("expected a timeline");
    expect(timeline.flags).toEqual([]);
    expect(timeline.waivers).toEqual([
      expect.objectContaining({
        kind: "manager_keep",
        until,
        reason: "Board decision next week",
        byName: "Carla Manager",
      }),
    ]);
    expect(timeline.suppressed.map((flag) => flag.rule)).toEqual(
      expect.arrayContaining(["past-its-time", "untouched", "close-date-slipping"]),
    );
    expect(timeline.suppressed[0]).toMatchObject({ waiverKind: "manager_keep", until });
    const waiverEvent = timeline.events.find((event) => event.kind === "waiver");
    expect(waiverEvent).toMatchObject({ waiverKind: "manager_keep", reason: "Board decision next week" });
    // The pipeline shows the waiver on the deal too.
    const pipeline = await getRepPipeline(centralManager, org.people.ana.userId, AS_OF);
    expect(pipeline?.deals.find((row) => row.id === deal.id)?.waivers).toHaveLength(1);
  });

  it("keeps history of a deal that left the pipeline, and refuses out-of-scope viewers", async () => {
    const { centralManager, westManager, ben, admin, ana } = org.people;
    const deal = await db.opportunity.findUniqueOrThrow({ where: { id: ids.fresh } });
    await db.$transaction((tx) =>
      returnDealToProspecting(tx, ctxFor(centralManager), {
        dealId: deal.id,
        version: deal.version,
        reason: "Budget not before next year",
      }),
    );
    const timeline = await getDealTimeline(ana, deal.id, AS_OF);
    expect(timeline?.deal.status).toBe("prospect");
    expect(timeline?.events[0]).toMatchObject({
      kind: "stage",
      direction: "to_prospect",
      reason: "Budget not before next year",
    });
    expect(timeline?.canWaive).toBe(false);
    const pipeline = await getRepPipeline(centralManager, ana.userId, AS_OF);
    expect(pipeline?.deals.map((row) => row.id)).not.toContain(deal.id);

    expect(await getDealTimeline(westManager, deal.id, AS_OF)).toBeNull();
    expect(await getDealTimeline(ben, deal.id, AS_OF)).toBeNull();
    expect(await getDealTimeline(admin, ids.wesDeal, AS_OF)).not.toBeNull();
    expect(await getDealTimeline(centralManager, ids.wesDeal, AS_OF)).toBeNull();
    expect(await getDealTimeline(admin, 999_999, AS_OF)).toBeNull();
  });
});

describe("getMyDeals", () => {
  it("shows a rep only their own open deals, flagged first, with their new-pipeline streak", async () => {
    await runTheReview();
    const mine = await getMyDeals(org.people.ana, AS_OF);
    if (!mine) throw new Error("expected deals");
    expect(mine.preview).toBe(false);
    const all = [...mine.flagged, ...mine.others];
    expect(all.every((deal) => deal.ownerId === org.people.ana.userId)).toBe(true);
    expect(all.map((deal) => deal.id)).not.toContain(ids.benDeal);
    expect(all.map((deal) => deal.id)).not.toContain(ids.prospect);
    // The last deal Ana opened (any status): "Fresh deal", 5 days ago.
    expect(mine.daysSinceLastNewDeal).toBe(5);
    expect(mine.previewableReps).toEqual([]);
  });

  it("lets managers and admins preview a rep in their scope, and no one else", async () => {
    const { ana, ben, wes, centralManager, westManager, admin } = org.people;
    const preview = await getMyDeals(centralManager, AS_OF, ana.userId);
    expect(preview).toMatchObject({ preview: true, rep: { name: "Ana Rep" } });
    expect(preview?.previewableReps.map((rep) => rep.name)).toEqual(["Ana Rep", "Ben Rep"]);
    expect(await getMyDeals(westManager, AS_OF, ana.userId)).toBeNull();
    expect(await getMyDeals(ben, AS_OF, ana.userId)).toBeNull();
    expect(await getMyDeals(admin, AS_OF, wes.userId)).toMatchObject({ rep: { name: "Wes Rep" } });
    // Without ?rep= a manager sees their own deals (none here).
    const own = await getMyDeals(centralManager, AS_OF);
    expect(own).toMatchObject({ preview: false, flagged: [], others: [] });
  });
});
