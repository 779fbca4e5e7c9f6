import "server-only";
// The weekly pipeline trend of a set of reps, scope-true whatever reviews
// ran. A review writes this week's PipelineSnapshot for the reps it covers
// only: after a team review, the other teams' latest rows are last week's, and
// summing the rows of this week alone showed the organisation's pipeline
// "falling" by every other team's value. Here each rep counts in every week
// with their latest snapshot at or before it (open and stale values carry
// over; new pipeline and won value count only in the rep's own week), so a
// scope's figure covers exactly its reps.
import type { DbClient } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

export interface SnapshotTrendRow {
  weekStart: Date;
  _sum: {
    openValue: Prisma.Decimal;
    staleValue: Prisma.Decimal;
    newPipelineValue: Prisma.Decimal;
    wonValue: Prisma.Decimal;
  };
}

/** How far back a rep's last snapshot still carries into the trend's first week. */
const CARRY_DAYS = 56;

/** Weeks after `after` up to `until` (Monday dates) that have any snapshot of these reps, oldest first. */
export async function loadSnapshotTrend(
  client: DbClient,
  repIds: string[],
  after: Date,
  until: Date,
): Promise<SnapshotTrendRow[]> {
  if (repIds.length === 0) return [];
  const rows = await client.$queryRawUnsafe<
    { week: string; open: string; stale: string; new_pipeline: string; won: string }[]
  >(
    `WITH reps AS (SELECT unnest($1::text[]) AS id),
     rows AS (
       SELECT p."userId", p."weekStart", p."openValue", p."staleValue", p."newPipelineValue", p."wonValue",
              lead(p."weekStart") OVER (PARTITION BY p."userId" ORDER BY p."weekStart") AS next_week
         FROM "PipelineSnapshot" p JOIN reps ON reps.id = p."userId"
        WHERE p."weekStart" <= $3::timestamptz AND p."weekStart" > $2::timestamptz - make_interval(days => ${CARRY_DAYS})
     ),
     weeks AS (SELECT DISTINCT "weekStart" AS week FROM rows WHERE "weekStart" > $2::timestamptz)
     SELECT to_char(w.week, 'YYYY-MM-DD') AS week,
            coalesce(sum(r."openValue"), 0)::text AS open,
            coalesce(sum(r."staleValue"), 0)::text AS stale,
            coalesce(sum(r."newPipelineValue") FILTER (WHERE r."weekStart" = w.week), 0)::text AS new_pipeline,
            coalesce(sum(r."wonValue") FILTER (WHERE r."weekStart" = w.week), 0)::text AS won
       FROM weeks w
       JOIN rows r ON r."weekStart" <= w.week AND (r.next_week IS NULL OR r.next_week > w.week)
      GROUP BY w.week
      ORDER BY w.week`,
    repIds,
    after,
    until,
  );
  return rows.map((row) => ({
    weekStart: new Date(`${row.week}T00:00:00.000Z`),
    _sum: {
      openValue: new Prisma.Decimal(row.open),
      staleValue: new Prisma.Decimal(row.stale),
      newPipelineValue: new Prisma.Decimal(row.new_pipeline),
      wonValue: new Prisma.Decimal(row.won),
    },
  }));
}
