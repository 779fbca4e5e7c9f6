// Keeps TeamWeekTotals: each team's weekly pipeline as the overview's trend
// shows it, so the trend reads a row per team and week (26 weeks × 223 teams
// for an admin) instead of every rep's snapshots of 34 weeks and a running sum
// over them on every page view.
//
// A week's figure per team: every rep of the team counted with their latest
// snapshot at or before the week, if it is at most 8 weeks old — open and
// stale values carry over until the rep's next snapshot; new pipeline and won
// value count only in the rep's own week. Like RepFigures, the rows are
// recomputed from PipelineSnapshot, never adjusted by deltas: every writer of
// snapshots calls refreshWeekTotals in its own transaction with the weeks it
// wrote (the review's writeSnapshots, the seed's load).
import type { DbClient } from "@/lib/db";
import { prismaQuery, type Query } from "@/lib/db/bulk-sql";

/** How long a rep's last snapshot still counts in the weeks after it. */
export const CARRY_DAYS = 56;

/** Which weeks to recompute: those a snapshot of this Monday can reach, or every week. */
export type WeekScope = { snapshotWeek: Date } | "every week";

type Writer = DbClient | Query;
const queryOf = (writer: Writer): Query => (typeof writer === "function" ? writer : prismaQuery(writer));

/**
 * Recomputes the team totals of the weeks a snapshot of `snapshotWeek` counts
 * in: that week and the weeks it carries into (a review dated in the past
 * writes a snapshot that later weeks, already stored, carry).
 */
export async function refreshWeekTotals(writer: Writer, weeks: WeekScope): Promise<void> {
  const query = queryOf(writer);
  const [from, to] =
    weeks === "every week"
      ? [null, null]
      : [day(weeks.snapshotWeek), day(new Date(weeks.snapshotWeek.getTime() + (CARRY_DAYS - 1) * 86_400_000))];
  await query(
    `DELETE FROM "TeamWeekTotals" WHERE ($1::date IS NULL OR "weekStart" >= $1::date) AND ($2::date IS NULL OR "weekStart" <= $2::date)`,
    [from, to],
  );
  await query(weekTotalsSql, [from, to]);
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The totals of the weeks in [$1, $2] (null: unbounded) that hold a snapshot:
 * per week and rep the latest snapshot of the 8 weeks up to it, grouped by the
 * rep's team. Money summed exactly (Decimal) then × 100, as the trend counted it.
 * The migration that created the table backfills it with the same statement.
 */
export const weekTotalsSql = `WITH weeks AS (
       SELECT DISTINCT "weekStart" AS week FROM "PipelineSnapshot"
        WHERE ($1::date IS NULL OR "weekStart" >= $1::date) AND ($2::date IS NULL OR "weekStart" <= $2::date)
     ),
     latest AS (
       SELECT DISTINCT ON (w.week, p."userId") w.week, p."userId", p."weekStart", p."openValue", p."staleValue",
              p."newPipelineValue", p."wonValue"
         FROM weeks w
         JOIN "PipelineSnapshot" p ON p."weekStart" <= w.week AND p."weekStart" > w.week - ${CARRY_DAYS}
        ORDER BY w.week, p."userId", p."weekStart" DESC
     )
     INSERT INTO "TeamWeekTotals" ("teamKey", "weekStart", snapshots, "openCents", "staleCents", "newPipelineCents",
                                   "wonCents")
     SELECT coalesce(u."teamId", ''), l.week,
            count(*) FILTER (WHERE l."weekStart" = l.week)::int,
            round(sum(l."openValue") * 100)::int8,
            round(sum(l."staleValue") * 100)::int8,
            coalesce(round(sum(l."newPipelineValue") FILTER (WHERE l."weekStart" = l.week) * 100), 0)::int8,
            coalesce(round(sum(l."wonValue") FILTER (WHERE l."weekStart" = l.week) * 100), 0)::int8
       FROM latest l JOIN "User" u ON u.id = l."userId"
      GROUP BY 1, 2`;
