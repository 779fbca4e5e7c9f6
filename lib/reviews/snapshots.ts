// This week's PipelineSnapshot per rep in scope, written by every review
// (upserted: a second review this week replaces it).
//
// The open pipeline comes from RepFigures, which every writer of deals and
// flags keeps current in its own transaction (lib/figures/mutations.ts) and
// the review has just brought up to date, instead of re-aggregating every deal
// of the organisation after each review. The figures count all of a rep's
// open deals; the snapshot counts those opened on or before the as-of
// instant. So a rep is read from the figures only when they have a figures
// row and no open deal opened after the as-of instant (an open deal's
// openedAt is never null: a CHECK constraint, migration
// 20261206032351_prospect_opened_date_unknown); anyone else (a review as of a
// past date, a deal opened since) is counted from their deals, as before.
// Weighted value: round(Σ amount × probability / 100, 2) = the figures'
// round(Σ amount × probability) cents / 100, exactly (the sum is exact numeric).
//
// Stale deals: after an incremental review, from the figures too (they count
// each rep's open deals with a current stale flag, which that review has just
// brought up to date); after a full one, from its stale verdicts.
// What the figures do not hold is read from its own small set of rows:
// new pipeline from the deals
// opened this week, won value from the deals won this week (both through
// the Opportunity (status, …) indexes). tests/integration/snapshots-totals.test.ts
// compares the rows with the old whole-organisation statement.
import { pgArray, type Query } from "@/lib/db/bulk-sql";
import { utcDayNumber, startOfUtcDayNumber } from "@/lib/rules/days";

export interface SnapshotInput {
  teamId: string | null;
  asOf: Date;
  now: Date;
}

/** Monday of asOf's ISO week, as a UTC calendar day (date-fns' startOfISOWeek works in the local zone). */
export function snapshotWeek(asOf: Date): Date {
  const utcDay = startOfUtcDayNumber(utcDayNumber(asOf));
  const weekday = (utcDay.getUTCDay() + 6) % 7; // Monday = 0
  return startOfUtcDayNumber(utcDayNumber(utcDay) - weekday);
}

/**
 * Writes the snapshots. Stale deals: the full review's stale verdicts, or —
 * after an incremental review, which holds only the verdicts it judged again —
 * the deals' current stale flags, which that review has just brought up to
 * date, as the figures count them (or, for a rep the figures cannot answer
 * for, looked up).
 */
export async function writeSnapshots(
  query: Query,
  staleIds: number[] | "current flags",
  reviewId: number,
  input: SnapshotInput,
): Promise<void> {
  const fromFlags = staleIds === "current flags";
  const stale = fromFlags
    ? // The figures count each rep's open deals with a current stale flag, and after a review
      // of now every current flag is of a deal open in scope on the as-of date (the review
      // ended the others' episodes): for a rep read from the figures, the same deals. Only
      // the other reps (usually none) have their deals looked up against the flags.
      // (LATERAL: each such rep's deals through the owner index; joined, the planner
      // may hash every deal of the organisation for one rep.)
      `SELECT r.id, d.deals, d.value
         FROM reps r
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS deals, sum(o.amount) AS value
             FROM "Opportunity" o
            WHERE o."ownerId" = r.id
              AND EXISTS (SELECT 1 FROM "Flag" f
                           WHERE f."opportunityId" = o.id AND f."endedAt" IS NULL AND f.severity = 'stale')
         ) d
        WHERE NOT r.from_figures AND $4::text IS NULL`
    : `SELECT o."ownerId" AS id, count(*)::int AS deals, sum(o.amount) AS value
         FROM (SELECT id FROM unnest($4::text::int[]) AS ids(id)) s
         -- One lookup by id per stale deal (~14% of open deals): joined, the planner read all 160,000
         -- deals for them (OFFSET 0 keeps the subquery from being flattened into a join).
         CROSS JOIN LATERAL (SELECT d."ownerId", d.amount FROM "Opportunity" d WHERE d.id = s.id OFFSET 0) o
        GROUP BY o."ownerId"`;
  const week = snapshotWeek(input.asOf);
  await query(
    `WITH opened_after AS (
       -- Reps with an open deal the figures count and the snapshot does not.
       SELECT DISTINCT o."ownerId" AS id FROM "Opportunity" o WHERE o.status = 'open' AND o."openedAt" > $3
     ),
     reps AS MATERIALIZED (
       SELECT u.id, f."openDeals" AS open_deals, f."openCents" AS open_cents, f."weightedCents" AS weighted_cents,
              f."staleDeals" AS stale_deals, f."staleCents" AS stale_cents,
              f."repId" IS NOT NULL AND a.id IS NULL AS from_figures
         FROM "User" u
         LEFT JOIN "RepFigures" f ON f."repId" = u.id
         LEFT JOIN opened_after a ON a.id = u.id
        WHERE u.role = 'rep' AND ($6::text IS NULL OR u."teamId" = $6)
     ),
     stale AS (${stale}),
     new_pipeline AS (
       -- Any status: a deal opened this week and already won or lost is new pipeline too.
       SELECT o."ownerId" AS id, sum(o.amount) AS value
         FROM "Opportunity" o
        WHERE o.status = ANY (enum_range(NULL::"DealStatus")) AND o."openedAt" >= $1::date AND o."openedAt" <= $3
        GROUP BY o."ownerId"
     ),
     won AS (
       SELECT o."ownerId" AS id, sum(o.amount) AS value
         FROM "Opportunity" o
        WHERE o.status = 'won' AND o."closedAt" >= $1::date AND o."closedAt" <= $3
        GROUP BY o."ownerId"
     )
     INSERT INTO "PipelineSnapshot" ("userId", "weekStart", "reviewId", "openCount", "openValue", "weightedValue",
                                     "staleCount", "staleValue", "newPipelineValue", "wonValue", "updatedAt")
     SELECT r.id, $1::date, $2,
            CASE WHEN r.from_figures THEN r.open_deals ELSE live.deals END,
            CASE WHEN r.from_figures THEN r.open_cents / 100.0 ELSE live.value END,
            CASE WHEN r.from_figures THEN r.weighted_cents / 100.0 ELSE live.weighted END,
            ${fromFlags ? "CASE WHEN r.from_figures THEN r.stale_deals ELSE coalesce(s.deals, 0) END" : "coalesce(s.deals, 0)"},
            ${fromFlags ? "CASE WHEN r.from_figures THEN r.stale_cents / 100.0 ELSE coalesce(s.value, 0) END" : "coalesce(s.value, 0)"},
            coalesce(n.value, 0), coalesce(w.value, 0), $5
       FROM reps r
       -- Counted from the deals only for reps the figures cannot answer for (a one-time filter per rep).
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS deals, coalesce(sum(o.amount), 0) AS value,
                coalesce(round(sum(o.amount * st.probability / 100.0), 2), 0) AS weighted
           FROM "Opportunity" o JOIN "Stage" st ON st.id = o."stageId"
          WHERE NOT r.from_figures AND o."ownerId" = r.id AND o.status = 'open' AND o."openedAt" <= $3
       ) live ON true
       LEFT JOIN stale s ON s.id = r.id
       LEFT JOIN new_pipeline n ON n.id = r.id
       LEFT JOIN won w ON w.id = r.id
     ON CONFLICT ("userId", "weekStart") DO UPDATE SET
       "reviewId" = EXCLUDED."reviewId", "openCount" = EXCLUDED."openCount", "openValue" = EXCLUDED."openValue",
       "weightedValue" = EXCLUDED."weightedValue", "staleCount" = EXCLUDED."staleCount",
       "staleValue" = EXCLUDED."staleValue", "newPipelineValue" = EXCLUDED."newPipelineValue",
       "wonValue" = EXCLUDED."wonValue", "updatedAt" = EXCLUDED."updatedAt"`,
    [
      week.toISOString().slice(0, 10),
      reviewId,
      input.asOf,
      staleIds === "current flags" ? null : pgArray(staleIds),
      input.now,
      input.teamId,
    ],
  );
}
