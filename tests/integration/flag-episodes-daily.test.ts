// Issue 12 ("flags as episodes"): daily reviews do not multiply storage. Over
// the demo organisation, 30 daily reviews — the as-of date a day later each
// time, nothing else changed, so deals only age — leave the Flag table at
// most 1.5× the flags of one review (the last one's: aging flags more deals
// each day, and those are new flags): a flag is stored once, from the review
// that first finds it until the one that clears it.
import { beforeAll, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { currentFlagWhere } from "@/lib/flags/current-flags";
import { runReviewAs } from "@/lib/reviews/run";
import { DEMO_DEFAULTS, defaultClosedDeals } from "@/prisma/seed/generate";
import { loadDemoOrganisation } from "@/prisma/seed/load";
import { inThreadSource } from "@/prisma/seed/statement-sources";

const TODAY = "2026-12-07";
const FIRST_DAY = new Date(`${TODAY}T12:00:00.000Z`);
const DAILY_REVIEWS = 30;
const DAY = 86_400_000;

beforeAll(async () => {
  const demo = { ...DEMO_DEFAULTS, today: TODAY, closedDeals: defaultClosedDeals(DEMO_DEFAULTS.reps) };
  await loadDemoOrganisation(getConnection().sql, inThreadSource(demo), { reset: false, dealsTotal: demo.openDeals });
}, 300_000);

it(`keeps the Flag table within 1.5× one review's flags after ${DAILY_REVIEWS} daily reviews`, async () => {
  const first = await runReviewAs(null, { now: FIRST_DAY, asOf: FIRST_DAY });
  const oneReviewsFlags = await db.flag.count();
  // The demo has stale pipeline: the first review flags hundreds of deals, reps and teams.
  expect(oneReviewsFlags).toBeGreaterThan(100);
  expect(await db.flag.count({ where: { reviewId: first.reviewId } })).toBe(oneReviewsFlags);

  for (let day = 1; day < DAILY_REVIEWS; day++) {
    const at = new Date(FIRST_DAY.getTime() + day * DAY);
    await runReviewAs(null, { now: at, asOf: at });
  }
  expect(await db.review.count()).toBe(DAILY_REVIEWS);
  const storedFlags = await db.flag.count();
  // One review's flags, as of the last day: the demo's deals aged 29 days with no new activity,
  // so more of them are flagged than on the first day — those are new flags, stored once each.
  const lastReviewsFlags = await db.flag.count({ where: currentFlagWhere });
  const ended = await db.flag.count({ where: { endedAt: { not: null } } });
  console.info(
    `flag rows after ${DAILY_REVIEWS} daily reviews: ${storedFlags} (${lastReviewsFlags} current, ${ended} ended); ` +
      `first review ${oneReviewsFlags} → ${(storedFlags / oneReviewsFlags).toFixed(2)}×, last review ${lastReviewsFlags} → ${(storedFlags / lastReviewsFlags).toFixed(2)}×`,
  );
  expect(lastReviewsFlags).toBeGreaterThan(0);
  expect(storedFlags).toBe(lastReviewsFlags + ended);
  // Without episodes this would be about 30× (every review storing every flag again).
  expect(storedFlags / lastReviewsFlags).toBeLessThanOrEqual(1.5);
}, 900_000);
