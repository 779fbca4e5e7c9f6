// Reads of the stored per-rep figures (see ./mutations.ts for how they are kept).
//
// The rows count every open deal now. A page as of a date before some of a
// rep's deals were opened or last touched (a fixed as-of date, a demo) must
// not count those: such reps, and reps without a row yet, are returned as
// `computeLive` for the caller to aggregate from the deals instead.
import "server-only";
import type { DbClient } from "@/lib/db";
import { columnRows, pgArray, prismaQuery } from "@/lib/db/bulk-sql";

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
}

const FIGURES_COLUMNS = [
  "owner_id",
  "open_deals",
  "open_cents",
  "weighted_cents",
  "stale_deals",
  "stale_cents",
  "at_risk_deals",
  "at_risk_cents",
  "at_risk_only_cents",
  "nudge_deals",
  "at_risk_worst_deals",
  "nudge_worst_deals",
  "nudge_cents",
  "flagged_deals",
  "flagged_cents",
  "oldest_opened_day",
  "last_activity_day",
  "holds",
  "team_id",
  "opened_days",
  "opened_day_deals",
  "opened_day_cents",
] as const;

/** One rep's open deals by the UTC day they were opened (the deal-age chart's input). */
export interface RepOpenedDays {
  repId: string;
  teamId: string | null;
  /** UTC day numbers, ascending; deals and cents opened on each. */
  days: number[];
  deals: number[];
  cents: number[];
}

export interface StoredFigures {
  rows: RepFiguresRow[];
  /** The open deals by opening day of the reps whose row holds (with open deals). */
  openedDays: RepOpenedDays[];
  /** Reps whose stored row does not hold as of the date asked (or who have none). */
  computeLive: string[];
}

/**
 * `{1,2,3}` → [1, 2, 3]. The arrays come back as PostgreSQL's own text: on
 * PGlite, turning 300,000 array elements into JSON numbers cost more than the
 * rest of the read.
 */
function integers(arrayText: string): number[] {
  return arrayText.length <= 2 ? [] : arrayText.slice(1, -1).split(",").map(Number);
}

export async function getRepFigures(client: DbClient, repIds: readonly string[], asOf: Date): Promise<StoredFigures> {
  if (repIds.length === 0) return { rows: [], openedDays: [], computeLive: [] };
  // Column by column (columnRows): an admin's overview reads every rep's row,
  // and PGlite hands values to JavaScript one by one slowly.
  const stored = await columnRows<
    RepFiguresRow & {
      holds: boolean;
      team_id: string | null;
      opened_days: string;
      opened_day_deals: string;
      opened_day_cents: string;
    }
  >(
    prismaQuery(client),
    `SELECT f."repId" AS owner_id, f."openDeals" AS open_deals, f."openCents"::text AS open_cents,
            f."weightedCents"::text AS weighted_cents, f."staleDeals" AS stale_deals, f."staleCents"::text AS stale_cents,
            f."atRiskDeals" AS at_risk_deals, f."atRiskCents"::text AS at_risk_cents,
            f."atRiskWorstCents"::text AS at_risk_only_cents, f."nudgeDeals" AS nudge_deals,
            f."atRiskWorstDeals" AS at_risk_worst_deals, f."nudgeWorstDeals" AS nudge_worst_deals,
            f."nudgeCents"::text AS nudge_cents, f."flaggedDeals" AS flagged_deals, f."flaggedCents"::text AS flagged_cents,
            floor(date_part('epoch', f."oldestOpenedAt") / 86400)::int AS oldest_opened_day,
            floor(date_part('epoch', f."lastActivityAt") / 86400)::int AS last_activity_day,
            (f."newestOpenedAt" IS NULL OR f."newestOpenedAt" <= to_timestamp($2::float8 / 1000))
              AND (f."lastActivityAt" IS NULL OR f."lastActivityAt" <= to_timestamp($2::float8 / 1000)) AS holds,
            u."teamId" AS team_id, f."openedDays"::text AS opened_days, f."openedDayDeals"::text AS opened_day_deals,
            f."openedDayCents"::text AS opened_day_cents
       FROM unnest($1::text::text[]) AS r(id) JOIN "RepFigures" f ON f."repId" = r.id JOIN "User" u ON u.id = r.id`,
    [pgArray([...repIds]), asOf.getTime()],
    FIGURES_COLUMNS,
  );
  const rows: RepFiguresRow[] = [];
  const openedDays: RepOpenedDays[] = [];
  const found = new Set<string>();
  for (const { holds, team_id, opened_days, opened_day_deals, opened_day_cents, ...row } of stored) {
    if (!holds) continue;
    found.add(row.owner_id);
    if (row.open_deals === 0) continue;
    rows.push(row);
    openedDays.push({
      repId: row.owner_id,
      teamId: team_id,
      days: integers(opened_days),
      deals: integers(opened_day_deals),
      cents: integers(opened_day_cents),
    });
  }
  return { rows, openedDays, computeLive: repIds.filter((id) => !found.has(id)) };
}
