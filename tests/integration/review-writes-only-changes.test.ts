// A repeat review writes only what moved (SPEC "Keeping verdicts current"):
// with nothing changed it writes no Flag row at all, and after one deal
// changed it writes that deal's episode changes and leaves every other
// flag row untouched — the same row version (xmin), not just equal values.
import { beforeAll, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { runReview } from "@/lib/reviews/mutations";
import { AS_OF, createDeal, createSmallOrg, logActivities, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
let dealIds: number[];

/** Every flag row with its row version: an insert or update shows as a new id or a new xmin. */
async function flagRowVersions() {
  return getConnection().sql.query<{ id: number; opportunity_id: number | null; xmin: string }>(
    `SELECT id, "opportunityId" AS opportunity_id, xmin::text AS xmin FROM "Flag" ORDER BY id`,
  );
}

let clock = 0;
/** An organisation review; the as-of moves a minute each time (same day: the explanations' day counts stay put). */
async function reviewMinutesLater() {
  clock += 1;
  const asOf = new Date(AS_OF.getTime() + clock * 60_000);
  return runReview(getConnection().sql, { actorId: null, teamId: null, asOf, now: asOf, fromHistory: false });
}

beforeAll(async () => {
  org = await createSmallOrg();
  // Five old deals nobody touched: each is past its time and untouched.
  dealIds = [];
  for (let index = 0; index < 5; index++) {
    const deal = await createDeal(org, { owner: org.people.ana, amount: 10_000 + index, openedDaysAgo: 300 });
    dealIds.push(deal.id);
  }
  // Activity elsewhere, so the activity rules judge these deals instead of "not judged".
  const busy = await createDeal(org, { owner: org.people.ben, amount: 1_000, openedDaysAgo: 5 });
  await logActivities(busy.id, [{ daysAgo: 1, side: "buyer" }]);
  await refreshRollups(db, [...dealIds, busy.id]);
  await reviewMinutesLater();
});

describe("a repeat review", () => {
  it("with nothing changed writes no flag row", async () => {
    await reviewMinutesLater();
    const before = await flagRowVersions();
    expect(before.length).toBeGreaterThanOrEqual(10);
    const { episodes } = await reviewMinutesLater();
    expect(episodes).toEqual({ started: 0, ended: 0, changed: 0 });
    expect(await flagRowVersions()).toEqual(before);
  });

  it("after one deal changed writes only that deal's episode changes", async () => {
    await reviewMinutesLater();
    const before = await flagRowVersions();
    // A deal of its own, so this case stands alone in any order.
    const changed = await createDeal(org, { owner: org.people.ana, amount: 7_000, openedDaysAgo: 300 });
    await refreshRollups(db, [changed.id]);
    await reviewMinutesLater();
    const withChangedDeal = await flagRowVersions();
    const untouchedBefore = await db.flag.findFirstOrThrow({
      where: { opportunityId: changed.id, rule: "untouched", endedAt: null },
    });

    // Today the buyer answered: "untouched" no longer holds for this deal.
    await logActivities(changed.id, [{ daysAgo: 0, side: "buyer", type: "email" }]);
    await refreshRollups(db, [changed.id]);
    const { episodes } = await reviewMinutesLater();

    const after = await flagRowVersions();
    const othersOf = (rows: typeof after) => rows.filter((row) => row.opportunity_id !== changed.id);
    // Every other flag row is the very same row version as before.
    expect(othersOf(after)).toEqual(othersOf(withChangedDeal));
    expect(othersOf(after).length).toBeGreaterThanOrEqual(othersOf(before).length);
    // The changed deal's untouched episode ended (one row written), and nothing else of any deal started.
    const untouchedAfter = await db.flag.findUniqueOrThrow({ where: { id: untouchedBefore.id } });
    expect(untouchedAfter.endedAt).not.toBeNull();
    expect(episodes.ended).toBeGreaterThanOrEqual(1);
    const written = after.filter((row) => !withChangedDeal.some((old) => old.id === row.id && old.xmin === row.xmin));
    expect(written.length).toBe(episodes.started + episodes.ended + episodes.changed);
    expect(written.every((row) => row.opportunity_id === changed.id)).toBe(true);
  });
});
