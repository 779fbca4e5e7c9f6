// The organisation the review comparisons start from (first-review,
// incremental-review, review-figures-shift): the small organisation, won
// deals that give each team a cycle and each stage a median, and 24 open
// deals of its three reps in seeded random stages, ages and close dates, some
// with activities, their rollups refreshed. The same seed and activities give
// the same deals as before these tests shared it.
import { db } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { type SeededRandom, seededRandom } from "@/lib/seeded-random";
import { createDeal, createSmallOrg, createWonDeals, logActivities, type SmallOrg } from "../../fixtures/small-org";

/** Which deals get activities (this share of them) and which activities, drawn after the deal's own draws. */
export interface ActivitiesDrawn {
  share: number;
  draw: (random: SeededRandom) => Parameters<typeof logActivities>[1];
}

/** Six deals in ten: one buyer activity in the last 40 days. */
export const ONE_BUYER_ACTIVITY: ActivitiesDrawn = {
  share: 0.6,
  draw: (random) => [{ daysAgo: 1 + Math.floor(random.next() * 40), side: "buyer" }],
};

/** Seven deals in ten: an activity of either side in the last 40 days, and a seller's in the last 20. */
export const EITHER_SIDE_THEN_SELLER: ActivitiesDrawn = {
  share: 0.7,
  draw: (random) => [
    { daysAgo: 1 + Math.floor(random.next() * 40), side: random.next() < 0.5 ? "buyer" : "seller" },
    { daysAgo: 1 + Math.floor(random.next() * 20), side: "seller" },
  ],
};

export async function createRandomPipeline(seed: number, activities: ActivitiesDrawn): Promise<SmallOrg> {
  const org = await createSmallOrg();
  await createWonDeals(org, org.people.ana, 6, 40);
  await createWonDeals(org, org.people.wes, 6, 25);
  const owners = [org.people.ana, org.people.ben, org.people.wes];
  const stages = Object.values(org.stages);
  const random = seededRandom(seed);
  for (let index = 0; index < 24; index++) {
    const deal = await createDeal(org, {
      owner: owners[index % owners.length] as SmallOrg["people"]["ana"],
      amount: 1_000 + index * 250,
      openedDaysAgo: 5 + Math.floor(random.next() * 200),
      stageId: random.pick(stages),
      expectedCloseInDays: Math.floor(random.next() * 60) - 20,
    });
    if (random.next() < activities.share) await logActivities(deal.id, activities.draw(random));
  }
  await refreshRollups(
    db,
    (await db.opportunity.findMany({ select: { id: true } })).map((deal) => deal.id),
  );
  return org;
}
