// The trend is scope-true: a team-only review writes this week's snapshots for
// its team only, and the organisation's trend must still count every other
// team — with its latest figures, unchanged — instead of dropping them.
import { addDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { refreshFiguresOfDeals } from "@/lib/figures/mutations";
import { runReview, snapshotWeek } from "@/lib/reviews/mutations";
import { loadSnapshotTrend } from "@/lib/reviews/snapshot-trend";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
const nextWeek = addDays(AS_OF, 7);

const review = (teamId: string | null, asOf: Date) =>
  runReview(getConnection().sql, { actorId: null, teamId, asOf, now: asOf, fromHistory: false });

const values = (rows: Awaited<ReturnType<typeof loadSnapshotTrend>>) =>
  rows.map((row) => [row.weekStart.toISOString().slice(0, 10), row._sum.openValue.toFixed(2)]);

beforeAll(async () => {
  org = await createSmallOrg();
  const deals = [
    await createDeal(org, { owner: org.people.ana, amount: 10_000, openedDaysAgo: 30 }),
    await createDeal(org, { owner: org.people.wes, amount: 20_000, openedDaysAgo: 30 }),
  ];
  await refreshRollups(
    db,
    deals.map((deal) => deal.id),
  );
  await review(null, AS_OF);
  // Next week Ana opens another deal (on the Monday of the review: the new week's
  // pipeline), and only Central is reviewed.
  const more = await createDeal(org, { owner: org.people.ana, amount: 5_000, openedDaysAgo: -7 });
  await refreshRollups(db, [more.id]);
  await refreshFiguresOfDeals(db, [more.id]); // as the action or import that opens a deal does (snapshots read them)
  await review(org.teams.central, nextWeek);
});

describe("the snapshot trend", () => {
  it("keeps the other teams in the organisation's trend after a team-only review", async () => {
    const everyone = (await db.user.findMany({ where: { role: "rep" }, select: { id: true } })).map((u) => u.id);
    const trend = await loadSnapshotTrend(db, everyone, addDays(AS_OF, -30), nextWeek);
    const [thisWeek, following] = [snapshotWeek(AS_OF), snapshotWeek(nextWeek)].map((d) =>
      d.toISOString().slice(0, 10),
    );
    // 30,000 open; then Central's 15,000 and West's 20,000 carried over — not 15,000 alone.
    expect(values(trend)).toEqual([
      [thisWeek, "30000.00"],
      [following, "35000.00"],
    ]);
  });

  it("leaves another team's own trend unchanged by the team-only review", async () => {
    const west = (await db.user.findMany({ where: { teamId: org.teams.west, role: "rep" } })).map((u) => u.id);
    const trend = await loadSnapshotTrend(db, west, addDays(AS_OF, -30), nextWeek);
    expect(values(trend)).toEqual([[snapshotWeek(AS_OF).toISOString().slice(0, 10), "20000.00"]]);
  });

  it("counts new pipeline only in the week a rep's snapshot was taken", async () => {
    const everyone = (await db.user.findMany({ where: { role: "rep" }, select: { id: true } })).map((u) => u.id);
    const trend = await loadSnapshotTrend(db, everyone, addDays(AS_OF, -30), nextWeek);
    // Next week: Ana's 5,000 deal opened that week; West's carried row adds no new pipeline.
    expect(trend.at(-1)?._sum.newPipelineValue.toFixed(2)).toBe("5000.00");
  });
});
