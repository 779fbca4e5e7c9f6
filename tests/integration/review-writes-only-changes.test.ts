// A repeat review writes only what moved (SPEC "Keeping verdicts current"):
// with nothing changed it writes no Flag row at all — also the next day, when
// every explanation's day counts moved ("open 300 days" → "open 301 days"):
// a flag stores the days its rule counts from and is worded when shown — and
// after one deal changed it writes that deal's episode changes and leaves
// every other flag row untouched — the same row version (xmin), not just
// equal values.
import { beforeAll, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { runReview } from "@/lib/reviews/mutations";
import { utcDayNumber } from "@/lib/rules/days";
import { explainFlag } from "@/lib/rules/explain-flag";
import { subDays } from "date-fns";
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
/** An organisation review; the as-of moves a minute each time (in any order of the tests, always later). */
async function reviewMinutesLater(minutes = 1) {
  clock += minutes;
  const asOf = new Date(AS_OF.getTime() + clock * 60_000);
  const review = await runReview(getConnection().sql, {
    actorId: null,
    teamId: null,
    asOf,
    now: asOf,
    fromHistory: false,
  });
  return { ...review, asOf };
}

/** The same a day later: every day count in every explanation moves on by one. */
const reviewNextDay = () => reviewMinutesLater(24 * 60);

/** Every flag row written since `before` (a new id or a new row version). */
function writtenSince(before: Awaited<ReturnType<typeof flagRowVersions>>, after: typeof before) {
  return after.filter((row) => !before.some((old) => old.id === row.id && old.xmin === row.xmin));
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
    expect(episodes).toEqual({ started: 0, ended: 0, changed: 0, dealIds: [] });
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

  it("the next day, with nothing changed but the date, writes no flag row and shows the new day counts", async () => {
    const { asOf } = await reviewMinutesLater();
    const before = await flagRowVersions();
    const pastItsTime = await db.flag.findFirstOrThrow({
      where: { opportunityId: dealIds[0], rule: "past-its-time", endedAt: null },
    });
    const ageToday = Number(/^Open (\d+) days/.exec(explainFlag(pastItsTime, asOf))?.[1]);
    expect(ageToday).toBeGreaterThanOrEqual(300);

    const nextDay = await reviewNextDay();
    expect(nextDay.episodes).toEqual({ started: 0, ended: 0, changed: 0, dealIds: [] });
    expect(await flagRowVersions()).toEqual(before);
    // The stored episode is the same row, and it reads a day older as of the next day.
    const stored = await db.flag.findUniqueOrThrow({ where: { id: pastItsTime.id } });
    expect(explainFlag(stored, nextDay.asOf)).toMatch(new RegExp(`^Open ${ageToday + 1} days — `));
  });

  it("the next day, after a buyer answered one deal, writes only that deal's episodes", async () => {
    // A deal of its own, so this case stands alone in any order.
    const answered = await createDeal(org, { owner: org.people.ana, amount: 7_500, openedDaysAgo: 300 });
    await refreshRollups(db, [answered.id]);
    await reviewMinutesLater();
    const before = await flagRowVersions();
    const pastItsTime = await db.flag.findFirstOrThrow({
      where: { opportunityId: answered.id, rule: "past-its-time", endedAt: null },
    });

    // Dated in the past (60 days before AS_OF): "untouched" ends; past-its-time now names the last buyer activity.
    await logActivities(answered.id, [{ daysAgo: 60, side: "buyer", type: "meeting" }]);
    await refreshRollups(db, [answered.id]);
    const nextDay = await reviewNextDay();

    const written = writtenSince(before, await flagRowVersions());
    expect(written.length).toBe(nextDay.episodes.started + nextDay.episodes.ended + nextDay.episodes.changed);
    expect(written.length).toBeGreaterThanOrEqual(2);
    expect(written.every((row) => row.opportunity_id === answered.id)).toBe(true);
    expect(nextDay.episodes.changed).toBe(1);
    const updated = await db.flag.findUniqueOrThrow({ where: { id: pastItsTime.id } });
    expect(updated.endedAt).toBeNull();
    const sinceMeeting = utcDayNumber(nextDay.asOf) - utcDayNumber(subDays(AS_OF, 60));
    expect(explainFlag(updated, nextDay.asOf)).toMatch(
      new RegExp(`; last buyer activity ${sinceMeeting} days ago\\.$`),
    );
    const untouched = await db.flag.findFirstOrThrow({ where: { opportunityId: answered.id, rule: "untouched" } });
    expect(untouched.endedAt).toEqual(nextDay.asOf);
  });
});
