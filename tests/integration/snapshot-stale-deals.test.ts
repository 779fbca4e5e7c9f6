// After an incremental review, this week's snapshots count each rep's stale
// deals from RepFigures when the figures answer for the rep (lib/reviews/snapshots.ts),
// and look the rep's deals up against the current stale flags otherwise (an
// open deal opened after the as-of instant). Both must equal what the current
// stale flags say, counted per owner, as the whole-organisation statement did.
import { beforeAll, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { refreshRepFigures } from "@/lib/figures/mutations";
import { runReview, snapshotWeek } from "@/lib/reviews/mutations";
import { AS_OF, createDeal, createSmallOrg, createWonDeals, type SmallOrg } from "../fixtures/small-org";

const DAY = 86_400_000;
let org: SmallOrg;

const sql = () => getConnection().sql;

/** Each rep's stale deals by the current stale flags (any status): the old statement's source. */
async function staleByFlags(): Promise<Map<string, { deals: number; value: string }>> {
  const rows = await sql().query<{ id: string; deals: number; value: string }>(
    `SELECT o."ownerId" AS id, count(*)::int AS deals, sum(o.amount)::text AS value
       FROM (SELECT DISTINCT f."opportunityId" AS id FROM "Flag" f
              WHERE f."endedAt" IS NULL AND f.severity = 'stale' AND f."opportunityId" IS NOT NULL) s
       JOIN "Opportunity" o ON o.id = s.id
      GROUP BY o."ownerId"`,
  );
  return new Map(rows.map((row) => [row.id, { deals: Number(row.deals), value: row.value }]));
}

async function snapshotsOf(asOf: Date): Promise<Map<string, { deals: number; value: string }>> {
  const rows = await sql().query<{ id: string; deals: number; value: string }>(
    `SELECT "userId" AS id, "staleCount" AS deals, "staleValue"::text AS value
       FROM "PipelineSnapshot" WHERE "weekStart" = $1::date`,
    [snapshotWeek(asOf).toISOString().slice(0, 10)],
  );
  return new Map(rows.map((row) => [row.id, { deals: Number(row.deals), value: row.value }]));
}

beforeAll(async () => {
  org = await createSmallOrg();
  await db.orgSettings.update({ where: { id: 1 }, data: { rules: { minSample: 3 } } });
  await createWonDeals(org, org.people.ana, 4, 40);
  await createWonDeals(org, org.people.wes, 4, 60);
  // Old deals with no activity: past their time (stale) for both teams' cycles.
  const ids: number[] = [];
  for (const [owner, amount] of [
    [org.people.ana, 1_234.56],
    [org.people.ana, 7_000.1],
    [org.people.ben, 2_500],
    [org.people.wes, 3_333.33],
    [org.people.wes, 990.99],
  ] as const) {
    ids.push((await createDeal(org, { owner, amount, openedDaysAgo: 300 })).id);
  }
  // Young deals: open, not stale.
  ids.push((await createDeal(org, { owner: org.people.ana, amount: 800, openedDaysAgo: 3 })).id);
  ids.push((await createDeal(org, { owner: org.people.wes, amount: 600, openedDaysAgo: 3 })).id);
  await refreshRollups(db, ids);
  await refreshRepFigures(db, "everyone");
});

describe("an incremental review's snapshots", () => {
  it("count stale deals from the figures, and from the flags for a rep with a deal opened after the as-of instant", async () => {
    await runReview(sql(), { actorId: null, teamId: null, asOf: AS_OF, now: AS_OF, fromHistory: false });

    // Wes opens a deal dated after the next review's as-of instant: the figures count it, the
    // snapshot must not, so Wes is counted from his deals; Ana and Ben are read from the figures.
    const asOf = new Date(AS_OF.getTime() + DAY);
    const later = await createDeal(org, { owner: org.people.wes, amount: 4_000, openedDaysAgo: -5 });
    await refreshRollups(db, [later.id]);
    await refreshRepFigures(db, [org.people.wes.userId]);
    // Ben's stale deal is closed: its judgement is marked, and the review ends its flags.
    const bens = await db.opportunity.findFirstOrThrow({ where: { ownerId: org.people.ben.userId, status: "open" } });
    await db.opportunity.update({ where: { id: bens.id }, data: { status: "lost", closedAt: asOf } });
    await refreshRepFigures(db, [org.people.ben.userId]);

    const result = await runReview(sql(), { actorId: null, teamId: null, asOf, now: asOf, fromHistory: false });
    expect(result.totals.judged?.mode).toBe("incremental");

    const byFlags = await staleByFlags();
    const snapshots = await snapshotsOf(asOf);
    expect(byFlags.get(org.people.ana.userId)).toEqual({ deals: 2, value: "8234.66" });
    expect(byFlags.get(org.people.wes.userId)).toEqual({ deals: 2, value: "4324.32" });
    expect(byFlags.has(org.people.ben.userId)).toBe(false);
    for (const rep of [org.people.ana, org.people.ben, org.people.wes]) {
      const expected = byFlags.get(rep.userId) ?? { deals: 0, value: "0.00" };
      expect(snapshots.get(rep.userId), rep.name).toEqual(expected);
    }
  });
});
