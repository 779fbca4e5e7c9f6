// Reads of the stored per-rep figures (see ./mutations.ts for how they are kept).
//
// The rows count every open deal now. A page as of a date before some of a
// rep's deals were opened or last touched (a fixed as-of date, a demo) must
// not count those: such reps, and reps without a row yet, are returned as
// `computeLive` for the caller to aggregate from the deals instead.
import "server-only";
import type { DbClient } from "@/lib/db";
import { pgArray, prismaQuery } from "@/lib/db/bulk-sql";
import { utcDayNumber } from "@/lib/rules/days";
import { NEW_PIPELINE_DAYS } from "./mutations";

/** One rep's open pipeline as the overview shows it; money as integer cents in text. */
export interface RepFiguresRow {
  owner_id: string;
  open_deals: number;
  open_cents: string;
  weighted_cents: string;
  stale_deals: number;
  stale_cents: string;
  at_risk_deals: number;
  at_risk_cents: string;
  /** Value of the deals whose worst current flag is "at risk". */
  at_risk_only_cents: string;
  nudge_deals: number;
  /** Deals whose worst current flag is "at risk" / a nudge: the breakdown that adds up to flagged_deals. */
  at_risk_worst_deals: number;
  nudge_worst_deals: number;
  nudge_cents: string;
  flagged_deals: number;
  flagged_cents: string;
  /** UTC day numbers (days since 1970-01-01), as lib/rules/days.ts counts them. */
  oldest_opened_day: number | null;
  last_activity_day: number | null;
  /** New pipeline: deals opened (any status now) from NEW_PIPELINE_DAYS days before the as-of day on. */
  new_deals: number;
  new_cents: string;
}

/** The per-rep columns of the read, in RepFiguresRow's names (money as text: exact int8 cents). */
const REP_COLUMNS = {
  owner_id: `f."repId"`,
  open_deals: `f."openDeals"`,
  open_cents: `f."openCents"::text`,
  weighted_cents: `f."weightedCents"::text`,
  stale_deals: `f."staleDeals"`,
  stale_cents: `f."staleCents"::text`,
  at_risk_deals: `f."atRiskDeals"`,
  at_risk_cents: `f."atRiskCents"::text`,
  at_risk_only_cents: `f."atRiskWorstCents"::text`,
  nudge_deals: `f."nudgeDeals"`,
  at_risk_worst_deals: `f."atRiskWorstDeals"`,
  nudge_worst_deals: `f."nudgeWorstDeals"`,
  nudge_cents: `f."nudgeCents"::text`,
  flagged_deals: `f."flaggedDeals"`,
  flagged_cents: `f."flaggedCents"::text`,
  oldest_opened_day: `floor(date_part('epoch', f."oldestOpenedAt") / 86400)::int`,
  last_activity_day: `floor(date_part('epoch', f."lastActivityAt") / 86400)::int`,
  // Deals opened from the window's first day on: the last running total minus the one before that day.
  new_deals: `coalesce(f."recentDealsUpTo"[cardinality(f."recentDealsUpTo")], 0)
              - coalesce(f."recentDealsUpTo"[width_bucket($3::int - 1, f."recentDays")], 0)`,
  new_cents: `(coalesce(f."recentCentsUpTo"[cardinality(f."recentCentsUpTo")], 0)
               - coalesce(f."recentCentsUpTo"[width_bucket($3::int - 1, f."recentDays")], 0))::text`,
} satisfies Record<keyof RepFiguresRow, string>;

/**
 * Opening days to total each rep's open deals up to (the deal-age chart's
 * band edges, lib/overview/age-buckets.ts), for the reps of one team, or with
 * `teamId` null for everyone whose team is not listed or who has none.
 */
export interface OpeningDayCutoffs {
  teamId: string | null;
  /** Which total the reps' deals are added to (the overview: one per cycle in use). */
  group: number;
  /** UTC day numbers; as many for every entry. */
  days: number[];
}

/** Per group and cut-off day: the open deals opened on or before it, and their value. */
export interface OpenedUpTo {
  group: number;
  deals: number[];
  cents: number[];
}

export interface StoredFigures {
  /** Every rep whose stored row holds as of the date, with or without open deals. */
  rows: RepFiguresRow[];
  /** The open deals of those rows by cut-off day, per group. */
  openedUpTo: OpenedUpTo[];
  /** Reps whose stored row does not hold as of the date asked (or who have none). */
  computeLive: string[];
}

/**
 * The stored figures of these reps as of a date, in one statement: a row per
 * rep, with its new pipeline (NEW_PIPELINE_DAYS up to the date), and its open
 * deals totalled up to the cut-off days. Both come from running totals by
 * opening day: a binary search (width_bucket) per cut-off instead of reading
 * every day to JavaScript (~85,000 for an admin of 2,000 reps), which PGlite
 * hands over slowly.
 */
export async function getRepFigures(
  client: DbClient,
  repIds: readonly string[],
  asOf: Date,
  cutoffs: readonly OpeningDayCutoffs[],
): Promise<StoredFigures> {
  if (repIds.length === 0) return { rows: [], openedUpTo: [], computeLive: [] };
  const columns = Object.keys(REP_COLUMNS) as (keyof RepFiguresRow)[];
  const [result] = await prismaQuery(client)<{ reps: string; opened_up_to: string | null }>(
    `WITH cutoffs AS (
       SELECT * FROM jsonb_to_recordset($4::text::jsonb) AS c("teamId" text, "group" int, days int[])
     ),
     held AS MATERIALIZED (
       SELECT f.*, coalesce(c."group", (SELECT "group" FROM cutoffs WHERE "teamId" IS NULL)) AS cutoff_group,
              coalesce(c.days, (SELECT days FROM cutoffs WHERE "teamId" IS NULL)) AS cutoff_days
         FROM unnest($1::text::text[]) AS r(id)
         JOIN "RepFigures" f ON f."repId" = r.id
         JOIN "User" u ON u.id = r.id
         LEFT JOIN cutoffs c ON c."teamId" = u."teamId"
        WHERE (f."newestOpenedAt" IS NULL OR f."newestOpenedAt" <= to_timestamp($2::float8 / 1000))
          AND (f."lastActivityAt" IS NULL OR f."lastActivityAt" <= to_timestamp($2::float8 / 1000))
     ),
     opened_up_to AS (
       SELECT f.cutoff_group AS "group", k.n,
              sum(coalesce(f."openDealsUpTo"[width_bucket(k.day, f."openDays")], 0)) AS deals,
              -- float8: exact for whole cents up to 2^53 (as JavaScript adds them), and PGlite sums
              -- int8 as numeric, several times slower.
              sum(coalesce(f."openCentsUpTo"[width_bucket(k.day, f."openDays")], 0)::float8) AS cents
         FROM held f CROSS JOIN LATERAL unnest(f.cutoff_days) WITH ORDINALITY AS k(day, n)
        GROUP BY 1, 2
     )
     SELECT (SELECT json_build_object(${columns.map((column) => `'${column}', json_agg(${REP_COLUMNS[column]})`).join(", ")})
               FROM held f)::text AS reps,
            (SELECT json_agg(json_build_object('group', "group", 'deals', deals, 'cents', cents) ORDER BY "group")
               FROM (SELECT "group", array_agg(deals ORDER BY n) AS deals, array_agg(cents ORDER BY n) AS cents
                       FROM opened_up_to GROUP BY 1) g)::text AS opened_up_to`,
    [pgArray([...repIds]), asOf.getTime(), utcDayNumber(asOf) - NEW_PIPELINE_DAYS, JSON.stringify(cutoffs)],
  );
  const byColumn = JSON.parse(result?.reps ?? "{}") as Record<string, unknown[] | null>;
  const count = byColumn.owner_id?.length ?? 0;
  const rows = new Array<RepFiguresRow>(count);
  for (let index = 0; index < count; index++) {
    const row: Record<string, unknown> = {};
    for (const column of columns) row[column] = byColumn[column]?.[index];
    rows[index] = row as unknown as RepFiguresRow;
  }
  const held = new Set(rows.map((row) => row.owner_id));
  return {
    rows,
    openedUpTo: JSON.parse(result?.opened_up_to ?? "[]") as OpenedUpTo[],
    computeLive: repIds.filter((id) => !held.has(id)),
  };
}
