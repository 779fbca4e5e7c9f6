// "Not reviewed yet": on an organisation's first day (deals, no review) every
// screen's data must say it has not been reviewed, so no screen can call the
// pipeline clean; after the first review covering the viewer's scope, it says
// it has. A team-only review covers that team, not the other.
import { beforeAll, describe, expect, it } from "vitest";
import { getConnection } from "@/lib/db";
import { getDealTimeline } from "@/lib/deals/deal-timeline";
import { getMyDeals } from "@/lib/deals/my-deals";
import { getRepPipeline } from "@/lib/deals/rep-pipeline";
import { getMeetingAgenda } from "@/lib/meeting/data";
import { getTeamOverview } from "@/lib/overview/data";
import { hasAnyReview } from "@/lib/reviews/data";
import { runReview } from "@/lib/reviews/mutations";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
let centralDealId: number;
let westDealId: number;
const context = { asOf: AS_OF, rules: {} };

beforeAll(async () => {
  org = await createSmallOrg();
  // Old and untouched: the rules will flag both once a review runs.
  centralDealId = (await createDeal(org, { owner: org.people.ana, amount: 50_000, openedDaysAgo: 400 })).id;
  westDealId = (await createDeal(org, { owner: org.people.wes, amount: 8_000, openedDaysAgo: 400 })).id;
});

/** What each screen's data says about being reviewed, for a manager and their rep. */
async function reviewedAsSeenBy(
  manager: SmallOrg["people"]["centralManager"],
  rep: SmallOrg["people"]["ana"],
  dealId: number,
) {
  const [overview, pipeline, deal, mine, meeting, flaggedPage] = await Promise.all([
    getTeamOverview(manager, context),
    getRepPipeline(manager, rep.userId, AS_OF),
    getDealTimeline(manager, dealId, AS_OF),
    getMyDeals(rep, AS_OF, null),
    getMeetingAgenda(manager, AS_OF),
    hasAnyReview(undefined, manager.teamId),
  ]);
  return {
    overview: overview.lastReview !== null,
    repPage: pipeline?.latestReview != null,
    dealPage: deal?.reviewed,
    myDeals: mine?.reviewed,
    meeting: meeting.review !== null,
    flaggedDeals: flaggedPage,
    // Until a review, nothing is flagged: exactly why the screens must not say "clean".
    flaggedNow: overview.figures.flaggedDeals,
  };
}

describe("not reviewed yet", () => {
  it("says so on every screen before the first review, and stops after a review of that scope", async () => {
    const { centralManager, westManager, ana, wes } = org.people;
    expect(await hasAnyReview()).toBe(false);
    const notReviewed = {
      overview: false,
      repPage: false,
      dealPage: false,
      myDeals: false,
      meeting: false,
      flaggedDeals: false,
      flaggedNow: 0,
    };
    expect(await reviewedAsSeenBy(centralManager, ana, centralDealId)).toEqual(notReviewed);
    expect(await reviewedAsSeenBy(westManager, wes, westDealId)).toEqual(notReviewed);

    // The West team's own review: West is reviewed, Central is still not.
    await runReview(getConnection().sql, {
      actorId: westManager.userId,
      teamId: org.teams.west,
      asOf: AS_OF,
      now: AS_OF,
      fromHistory: false,
    });
    expect(await hasAnyReview()).toBe(true);
    const west = await reviewedAsSeenBy(westManager, wes, westDealId);
    expect(west).toMatchObject({
      overview: true,
      repPage: true,
      dealPage: true,
      myDeals: true,
      meeting: true,
      flaggedDeals: true,
    });
    expect(west.flaggedNow).toBeGreaterThan(0);
    expect(await reviewedAsSeenBy(centralManager, ana, centralDealId)).toEqual(notReviewed);

    // The organisation's review covers Central too; the figures label a breakdown that adds up.
    await runReview(getConnection().sql, {
      actorId: org.people.admin.userId,
      teamId: null,
      asOf: AS_OF,
      now: AS_OF,
      fromHistory: false,
    });
    expect(await reviewedAsSeenBy(centralManager, ana, centralDealId)).toMatchObject({
      overview: true,
      repPage: true,
      dealPage: true,
      myDeals: true,
      meeting: true,
      flaggedDeals: true,
    });
    const overview = await getTeamOverview(org.people.admin, context);
    const { breakdown, flaggedDeals } = overview.figures;
    expect(flaggedDeals).toBeGreaterThan(0);
    expect(breakdown.flagged).toBe(flaggedDeals);
    expect(breakdown.stale + breakdown.atRisk + breakdown.nudge).toBe(flaggedDeals);
    const reviewBar = overview.lastReview?.breakdown;
    expect(reviewBar?.flagged).toBe(overview.lastReview?.flaggedDeals);
    expect((reviewBar?.stale ?? 0) + (reviewBar?.atRisk ?? 0) + (reviewBar?.nudge ?? 0)).toBe(reviewBar?.flagged);
  });
});
