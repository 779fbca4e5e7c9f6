// A moved yardstick re-judges only the deals it can move (issue 13): when a
// team's average cycle or a stage's median moves, the incremental review
// (lib/reviews/incremental.ts, the 'context' reason) judges again the deals
// whose verdict cites it and the clear deals whose age (days in stage) the new
// limit reaches before their recheck instant — not every deal of the team or
// stage. After each review, a full review of the same as-of in a rolled-back
// transaction must find nothing to write: the deals left alone were right.
import { addDays, subDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { runReview } from "@/lib/reviews/mutations";
import { AS_OF, createDeal, createSmallOrg, createWonDeals, logActivities, type SmallOrg } from "../fixtures/small-org";
import { fullReviewWrites, sql } from "./support/review-comparison";

const DAY = 86_400_000;
let org: SmallOrg;

/** Every test starts its reviews later than the last review of any other, whatever the order. */
let clock = AS_OF.getTime();
const nextStart = () => {
  clock += 30 * DAY;
  return new Date(clock);
};

/** Days from AS_OF (which the fixtures count from) to `at`. */
const daysAfterAsOf = (at: Date) => Math.round((at.getTime() - AS_OF.getTime()) / DAY);

/** A review as of `asOf`; which of `deals` it judged again (by name), and why it judged what it judged. */
async function review(asOf: Date, deals: Record<string, number>, mode?: "full") {
  const result = await runReview(sql(), { actorId: null, teamId: null, asOf, now: asOf, fromHistory: false, mode });
  const judged = await sql().query<{ id: number }>(
    `SELECT "opportunityId" AS id FROM "DealJudgement" WHERE "judgedAsOf" = $1`,
    [asOf],
  );
  const judgedIds = new Set(judged.map((row) => Number(row.id)));
  const names = Object.entries(deals)
    .filter(([, id]) => judgedIds.has(id))
    .map(([name]) => name)
    .sort();
  expect(await fullReviewWrites(asOf), `a full review after the one as of ${asOf.toISOString()}`).toEqual({
    started: 0,
    ended: 0,
    changed: 0,
  });
  return { judged: result.totals.judged, names };
}

/** The current flags of a deal, by rule. */
async function flagsOf(dealId: number) {
  const rows = await db.flag.findMany({ where: { opportunityId: dealId, endedAt: null }, select: { rule: true } });
  return rows.map((row) => row.rule).sort();
}

/** Open deals of `owner` with both sides active a day before `start`: no rule but the one tested turns soon. */
async function openDeals(
  start: Date,
  owner: SmallOrg["people"]["ana"],
  stageId: number,
  deals: Record<string, { age: number; daysInStage?: number }>,
): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  const offset = daysAfterAsOf(start);
  for (const [name, { age }] of Object.entries(deals)) {
    const deal = await createDeal(org, { owner, amount: 5_000, openedDaysAgo: age - offset, stageId, name });
    await logActivities(deal.id, [
      { daysAgo: 1 - offset, side: "buyer" },
      { daysAgo: 1 - offset, side: "seller" },
    ]);
    ids[name] = deal.id;
  }
  await refreshRollups(db, Object.values(ids));
  // Written straight to the deal after the rollups (which find no stage history and leave it unknown).
  for (const [name, { daysInStage }] of Object.entries(deals)) {
    if (daysInStage === undefined) continue;
    await db.opportunity.update({ where: { id: ids[name] }, data: { stageEnteredAt: subDays(start, daysInStage) } });
  }
  return ids;
}

beforeAll(async () => {
  org = await createSmallOrg();
  // Each team has its own cycle (3 won deals suffice): Central 40 days, West 60.
  await db.orgSettings.update({ where: { id: 1 }, data: { rules: { minSample: 3 } } });
  await createWonDeals(org, org.people.ana, 4, 40);
  await createWonDeals(org, org.people.wes, 4, 60);
});

describe("a moved team cycle", () => {
  it("re-judges the deal whose flag cites it, then also a clear deal the shorter limit reaches; never the far one", async () => {
    const start = nextStart();
    // Central's limit: 2 × 40 = 80 days. In Proposal (its own 30-day limit: the median plays no part).
    const deals = await openDeals(start, org.people.ana, org.stages.proposal, {
      "past its time": { age: 82 },
      "near the limit": { age: 78 },
      "far below": { age: 10 },
    });
    const first = await review(start, deals, "full");
    expect(first.names).toEqual(["far below", "near the limit", "past its time"]);
    expect(await flagsOf(deals["past its time"] as number)).toContain("past-its-time");

    // A long deal won: the cycle grows to (4 × 40 + 100) / 5 = 52 days, the limit to 104.
    await createWonDeals(org, org.people.ana, 1, 100);
    const grown = await review(addDays(start, 1), deals);
    expect(grown.judged?.mode).toBe("incremental");
    expect(grown.names).toEqual(["past its time"]); // its flag named 40 days; now clear
    expect(await flagsOf(deals["past its time"] as number)).not.toContain("past-its-time");

    // Three short deals won: (4 × 40 + 100 + 3 × 10) / 8 = 36.25 days, the limit 72.5 — below what
    // the near deal reaches before its recheck (80) and the past deal (95, the day before its
    // follow-up nudge is due), above the far deal's 23.
    await createWonDeals(org, org.people.ana, 3, 10);
    const shrunk = await review(addDays(start, 2), deals);
    expect(shrunk.judged?.mode).toBe("incremental");
    expect(shrunk.names).toEqual(["near the limit", "past its time"]);
    expect(shrunk.judged?.because?.context).toBeGreaterThanOrEqual(2);
    expect(await flagsOf(deals["near the limit"] as number)).toContain("past-its-time");
    expect(await flagsOf(deals["far below"] as number)).toEqual([]);
  });
});

/** A deal won by the admin (no team: the organisation's cycle, which no team here uses) that spent `days` in Demo. */
async function wonThroughDemo(start: Date, days: number) {
  const closedAt = subDays(start, 5);
  const enteredAt = subDays(closedAt, days + 2);
  const deal = await createDeal(org, {
    owner: org.people.admin,
    amount: 1_000,
    openedDaysAgo: days + 20 - daysAfterAsOf(start),
    status: "won",
    closedDaysAgo: 5 - daysAfterAsOf(start),
    stageId: org.stages.negotiation,
  });
  const move = (from: number | null, to: number, at: Date) => ({
    opportunityId: deal.id,
    fromStageId: from,
    toStageId: to,
    fromStatus: "open" as const,
    toStatus: "open" as const,
    direction: "forward" as const,
    at,
  });
  await db.stageChange.createMany({
    data: [
      move(org.stages.qualification, org.stages.demo, enteredAt),
      move(org.stages.demo, org.stages.negotiation, addDays(enteredAt, days)),
      move(org.stages.negotiation, org.stages.negotiation, addDays(enteredAt, days + 1)),
    ],
  });
}

describe("a moved stage median", () => {
  it("re-judges the stuck deal citing it and the clear deal the shorter limit reaches; not the fresh one", async () => {
    const start = nextStart();
    // Demo has no limit of its own: 2 × the median days won deals spent there. Medians are the
    // organisation's; earlier tests' won deals never passed through Demo.
    for (const days of [10, 12, 14]) await wonThroughDemo(start, days);
    // The median is 12 days, the limit 24. West's cycle limit (120 days) is far from these ages.
    const deals = await openDeals(start, org.people.wes, org.stages.demo, {
      stuck: { age: 40, daysInStage: 30 },
      "near the limit": { age: 30, daysInStage: 22 },
      "fresh in the stage": { age: 20, daysInStage: 2 },
    });
    const first = await review(start, deals, "full");
    expect(first.names).toEqual(["fresh in the stage", "near the limit", "stuck"]);
    expect(await flagsOf(deals.stuck as number)).toContain("stuck-in-stage");

    // Two quick wins through Demo: the median of 6, 6, 10, 12, 14 is 10 days, the limit 20.
    for (const days of [6, 6]) await wonThroughDemo(start, days);
    const moved = await review(addDays(start, 1), deals);
    expect(moved.judged?.mode).toBe("incremental");
    expect(moved.names).toEqual(["near the limit", "stuck"]);
    expect(await flagsOf(deals["near the limit"] as number)).toContain("stuck-in-stage");
    expect(await flagsOf(deals["fresh in the stage"] as number)).toEqual([]);
  });
});
