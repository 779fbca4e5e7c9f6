// The overview's aggregates computed in SQL (age buckets, quota coverage, the
// snapshot trend, the people listed) against the plain computations they
// replaced, on the demo organisation after its first review and a second
// review a week later: every row to JavaScript, bucketed and summed there.
// The numbers must be identical, not close.
import { beforeAll, describe, expect, it } from "vitest";
import { visibleUsersWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { db, getConnection } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { bucketDealAges } from "@/lib/overview/age-buckets";
import { getTeamOverview, TREND_WEEKS } from "@/lib/overview/data";
import type { ReviewTotals } from "@/lib/reviews/mutations";
import { runReviewAs } from "@/lib/reviews/run";
import { startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import { parseRuleSettings } from "@/lib/rules/settings";
import { DEMO_DEFAULTS, defaultClosedDeals } from "@/prisma/seed/generate";
import { loadDemoOrganisation } from "@/prisma/seed/load";
import { inThreadSource } from "@/prisma/seed/statement-sources";

const TODAY = "2026-12-07";
const NOW = new Date(`${TODAY}T12:00:00.000Z`);
const rules = {};

beforeAll(async () => {
  const demo = { ...DEMO_DEFAULTS, today: TODAY, closedDeals: defaultClosedDeals(DEMO_DEFAULTS.reps) };
  await loadDemoOrganisation(getConnection().sql, inThreadSource(demo), { reset: false, dealsTotal: demo.openDeals });
  // A review a week earlier too, so the trend has two weeks of snapshots to carry and sum.
  await runReviewAs(null, { now: NOW, asOf: new Date(NOW.getTime() - 7 * 86_400_000) });
  await runReviewAs(null, { now: NOW, asOf: NOW });
}, 300_000);

async function viewers(): Promise<Viewer[]> {
  const admin = await db.user.findFirstOrThrow({ where: { role: "admin" } });
  const manager = await db.user.findFirstOrThrow({ where: { role: "manager", teamId: { not: null } } });
  const rep = await db.user.findFirstOrThrow({ where: { role: "rep", active: true } });
  return [admin, manager, rep].map((user) => ({
    userId: user.id,
    name: user.name,
    role: user.role,
    teamId: user.teamId,
  }));
}

/** The people query as Prisma wrote it before it moved to SQL. */
async function referencePeople(viewer: Viewer, asOf: Date) {
  return db.user.findMany({
    where: {
      AND: [
        visibleUsersWhere(viewer),
        {
          OR: [
            { role: "rep", active: true },
            { figures: { oldestOpenedAt: { lte: asOf } } },
            { figures: null, opportunities: { some: { status: "open", openedAt: { lte: asOf } } } },
          ],
        },
      ],
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true },
  });
}

/** Every (team, age in days) group to JavaScript, bucketed there (the previous code path). */
async function referenceAges(ids: string[], asOf: Date) {
  const review = await db.review.findFirstOrThrow({ orderBy: [{ at: "desc" }, { id: "desc" }] });
  const totals = review.totals as unknown as ReviewTotals;
  const settings = parseRuleSettings(rules);
  const rows = await db.$queryRawUnsafe<{ team_id: string | null; age_days: number; count: number; cents: string }[]>(
    `SELECT u."teamId" AS team_id,
            ($2::int - floor(date_part('epoch', o."openedAt") / 86400)::int) AS age_days,
            count(*)::int AS count, round(sum(o.amount) * 100)::int8::text AS cents
       FROM "Opportunity" o JOIN "User" u ON u.id = o."ownerId"
      WHERE o."ownerId" = ANY($1::text[]) AND o.status = 'open' AND o."openedAt" <= $3::timestamptz
      GROUP BY 1, 2`,
    ids,
    utcDayNumber(asOf),
    asOf,
  );
  const cycleOf = (teamId: string | null) =>
    ((teamId ? totals.byTeam?.[teamId]?.cycle : undefined) ?? totals.organisationCycle).days;
  return bucketDealAges(
    rows.map((row) => ({
      ageDays: Number(row.age_days),
      cycleDays: cycleOf(row.team_id),
      count: row.count,
      valueCents: Number(row.cents),
    })),
    settings.pastItsTimeMultiple,
  );
}

/** Won value in each rep's current quota period, summed per rep. */
async function referenceWon(ids: string[], asOf: Date) {
  const asOfDate = startOfUtcDayNumber(utcDayNumber(asOf)).toISOString().slice(0, 10);
  const [row] = await db.$queryRawUnsafe<{ quota: string; won: string }[]>(
    `SELECT coalesce(sum(round(q.amount * 100)), 0)::int8::text AS quota,
            coalesce(sum((SELECT coalesce(round(sum(o.amount) * 100), 0) FROM "Opportunity" o
                           WHERE o."ownerId" = q."userId" AND o.status = 'won'
                             AND o."closedAt" >= (q."periodStart"::timestamp AT TIME ZONE 'UTC')
                             AND o."closedAt" < ((q."periodEnd" + 1)::timestamp AT TIME ZONE 'UTC')
                             AND o."closedAt" <= $2::timestamptz)), 0)::int8::text AS won
       FROM "Quota" q
      WHERE q."userId" = ANY($1::text[]) AND q."periodStart" <= $3::date AND q."periodEnd" >= $3::date`,
    ids,
    asOf,
    asOfDate,
  );
  return { quotaCents: Number(row?.quota), wonCents: Number(row?.won) };
}

/** Each rep's deals opened from 30 days before the as-of day on, up to the as-of instant, any status: row by row. */
async function referenceNewPipeline(ids: string[], asOf: Date) {
  const since = startOfUtcDayNumber(utcDayNumber(asOf) - 30);
  const deals = await db.opportunity.findMany({
    where: { ownerId: { in: ids }, openedAt: { not: null } },
    select: { ownerId: true, openedAt: true, amount: true },
  });
  const byRep = new Map(ids.map((id) => [id, { count: 0, valueCents: 0 }]));
  for (const deal of deals) {
    const openedAt = deal.openedAt as Date;
    if (openedAt < since || openedAt > asOf) continue;
    const rep = byRep.get(deal.ownerId) as { count: number; valueCents: number };
    rep.count++;
    rep.valueCents += Number(deal.amount.mul(100).toFixed(0));
  }
  return ids.map((id) => byRep.get(id));
}

/** Each week joined to every snapshot row that holds in it (the previous trend query). */
async function referenceTrend(ids: string[], asOf: Date) {
  const after = startOfUtcDayNumber(utcDayNumber(asOf) - TREND_WEEKS * 7);
  const rows = await db.$queryRawUnsafe<{ week: string; open: string; stale: string; fresh: string; won: string }[]>(
    `WITH rows AS (
       SELECT p.*, lead(p."weekStart") OVER (PARTITION BY p."userId" ORDER BY p."weekStart") AS next_week
         FROM "PipelineSnapshot" p
        WHERE p."userId" = ANY($1::text[]) AND p."weekStart" <= $3::timestamptz
          AND p."weekStart" > $2::timestamptz - interval '56 days'
     ),
     weeks AS (SELECT DISTINCT "weekStart" AS week FROM rows WHERE "weekStart" > $2::timestamptz)
     SELECT to_char(w.week, 'YYYY-MM-DD') AS week, sum(r."openValue")::text AS open, sum(r."staleValue")::text AS stale,
            coalesce(sum(r."newPipelineValue") FILTER (WHERE r."weekStart" = w.week), 0)::text AS fresh,
            coalesce(sum(r."wonValue") FILTER (WHERE r."weekStart" = w.week), 0)::text AS won
       FROM weeks w JOIN rows r ON r."weekStart" <= w.week AND (r.next_week IS NULL OR r.next_week > w.week)
      GROUP BY w.week ORDER BY w.week`,
    ids,
    after,
    asOf,
  );
  const cents = (value: string) => Number(new Prisma.Decimal(value).mul(100).toFixed(0));
  return rows.map((row) => ({
    weekStart: new Date(`${row.week}T00:00:00.000Z`),
    openCents: cents(row.open),
    staleCents: cents(row.stale),
    newPipelineCents: cents(row.fresh),
    wonCents: cents(row.won),
  }));
}

describe("the overview's SQL aggregates on the demo organisation", () => {
  // The review's date; weeks later (the stored figures hold, the ages and the new-pipeline window
  // have moved on); and weeks earlier (reps with deals opened since are aggregated from their deals).
  const asOfDates = [NOW, new Date(NOW.getTime() + 45 * 86_400_000), new Date(NOW.getTime() - 20 * 86_400_000)];

  it.each(asOfDates.map((asOf) => [asOf.toISOString().slice(0, 10), asOf] as const))(
    "equal the plain computations for an admin, a manager and a rep as of %s",
    async (_day, asOf) => {
      for (const viewer of await viewers()) {
        const overview = await getTeamOverview(viewer, { asOf, rules });
        const ids = (await referencePeople(viewer, asOf)).map((person) => person.id);
        expect(
          overview.reps.map((rep) => rep.repId),
          viewer.role,
        ).toEqual(ids);
        expect(overview.ages, viewer.role).toEqual(await referenceAges(ids, asOf));
        expect(
          overview.reps.map((rep) => rep.newPipeline30),
          viewer.role,
        ).toEqual(await referenceNewPipeline(ids, asOf));
        expect(overview.trend, viewer.role).toEqual(await referenceTrend(ids, asOf));
        const won = await referenceWon(ids, asOf);
        if (overview.coverage.kind === "no-quota") expect(won.quotaCents, viewer.role).toBe(0);
        else expect({ quotaCents: overview.coverage.quotaCents, wonCents: overview.coverage.wonCents }).toEqual(won);
      }
    },
  );

  it("is not comparing empty results: the demo has deals in several buckets, two trend weeks and quotas", async () => {
    const [admin] = await viewers();
    const overview = await getTeamOverview(admin as Viewer, { asOf: NOW, rules });
    expect(overview.ages.buckets.filter((bucket) => bucket.count > 0).length).toBeGreaterThan(2);
    expect(overview.trend.length).toBeGreaterThanOrEqual(2);
    expect(overview.coverage.kind).not.toBe("no-quota");
    expect(overview.reps.filter((rep) => rep.newPipeline30.count > 0).length).toBeGreaterThan(2);
  });
});
