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
    // Each snapshot row holds from its week until the rep's next one: it adds its
    // values in its own week and takes them back out in the next (a running sum
    // over the weeks), so the cost is linear in the rows, not rows × weeks.
    `WITH reps AS (SELECT unnest($1::text[]) AS id),
     rows AS (
       SELECT p."weekStart", p."openValue", p."staleValue", p."newPipelineValue", p."wonValue",
              lead(p."weekStart") OVER (PARTITION BY p."userId" ORDER BY p."weekStart") AS next_week
         FROM "PipelineSnapshot" p JOIN reps ON reps.id = p."userId"
        WHERE p."weekStart" <= $3::timestamptz AND p."weekStart" > $2::timestamptz - make_interval(days => ${CARRY_DAYS})
     ),
     changes AS (
       SELECT "weekStart" AS week, "openValue" AS open, "staleValue" AS stale,
              "newPipelineValue" AS new_pipeline, "wonValue" AS won
         FROM rows
       UNION ALL
       SELECT next_week, -"openValue", -"staleValue", 0, 0 FROM rows WHERE next_week IS NOT NULL
     ),
     weeks AS (
       SELECT week, sum(open) AS open, sum(stale) AS stale, sum(new_pipeline) AS new_pipeline, sum(won) AS won
         FROM changes GROUP BY week
     ),
     running AS (
       SELECT week, sum(open) OVER (ORDER BY week) AS open, sum(stale) OVER (ORDER BY week) AS stale,
              new_pipeline, won
         FROM weeks
     )
     SELECT to_char(week, 'YYYY-MM-DD') AS week, open::text AS open, stale::text AS stale,
            new_pipeline::text AS new_pipeline, won::text AS won
       FROM running
      WHERE week > $2::timestamptz
      ORDER BY week`,
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
