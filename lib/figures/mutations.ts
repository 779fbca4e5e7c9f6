// Keeps RepFigures current: each rep's open pipeline summed once, on write,
// so the overview reads one row per rep instead of aggregating 100,000 deals
// and their flags on every page view.
//
// Every writer of deals or flags calls one of these inside its own
// transaction, with the reps it touched (a deal that changed owner touches
// both): deal actions (lib/deals/mutations.ts), imports and the CRM sync
// (lib/import/run.ts), reviews (lib/reviews/mutations.ts), stage probability
// edits (lib/settings/mutations.ts) and the seed. The rows are recomputed from
// the source tables in one statement, never adjusted by deltas: a writer that
// forgets nothing cannot drift. One exception, for cost: a repeat review
// changes only flags, on a few deals of most reps, so it shifts the flag
// columns by each deal's before and after (shiftRepFiguresToCurrentFlags),
// both read in its transaction — the consistency tests recount every rep after it.
// Each row also holds the rep's open deals by opening day, and their deals of
// any status opened in their last 30 days of openings, as running totals: the
// deal-age chart and the new pipeline are exact for any as-of date without
// reading the deals (ages move with the calendar; opening days do not).
import type { DbClient } from "@/lib/db";
import { columnRows, pgArray, prismaQuery, type Query } from "@/lib/db/bulk-sql";
import { currentFlagSql } from "@/lib/flags/current-flags";
import { FIGURES_RULES, FIGURES_RULES_SQL } from "./rule-order";

/**
 * New pipeline: the deals a rep opened in the NEW_PIPELINE_DAYS days before
 * the as-of date's day and on it (any status now). Each row keeps the rep's
 * openings from their newest opening day back as many days: an as-of date on
 * or after that newest opening (the only dates a row is read for) reaches no
 * earlier day.
 */
export const NEW_PIPELINE_DAYS = 30;

/** Whose rows to recompute: some people (by id), a team's members, or everyone. */
export type FiguresScope = readonly string[] | { teamId: string } | "everyone";

/** A Prisma client or transaction, or a raw query inside the caller's transaction (the review's runner). */
type Writer = DbClient | Query;
const queryOf = (writer: Writer): Query => (typeof writer === "function" ? writer : prismaQuery(writer));

/**
 * Recomputes the figures of these reps from their open deals and the deals'
 * current flags. A rep left with no open deal gets a row of zeros, not a stale one.
 */
export async function refreshRepFigures(writer: Writer, reps: FiguresScope): Promise<void> {
  if (Array.isArray(reps) && reps.length === 0) return;
  const query = queryOf(writer);
  if (reps === "everyone") await query(refreshSql(`SELECT u.id FROM "User" u`));
  else if ("teamId" in reps) await query(refreshSql(`SELECT u.id FROM "User" u WHERE u."teamId" = $1`), [reps.teamId]);
  else
    await query(
      refreshSql(`SELECT DISTINCT u.id FROM unnest($1::text::text[]) AS r(id) JOIN "User" u ON u.id = r.id`),
      [pgArray([...(reps as readonly string[])])],
    );
}

/** The same for the owners of these deals now (after the change has been written). */
export async function refreshFiguresOfDeals(writer: Writer, dealIds: readonly number[]): Promise<void> {
  if (dealIds.length === 0) return;
  await queryOf(writer)(
    refreshSql(
      `SELECT DISTINCT o."ownerId" AS id FROM unnest($1::text::int[]) AS d(id) JOIN "Opportunity" o ON o.id = d.id`,
    ),
    [pgArray(dealIds)],
  );
}

/** Owners of these deals now: read before a change that may move deals to other reps. */
export async function ownersOfDeals(client: DbClient, dealIds: readonly number[]): Promise<string[]> {
  if (dealIds.length === 0) return [];
  const rows = await prismaQuery(client)<{ id: string }>(
    `SELECT DISTINCT o."ownerId" AS id FROM unnest($1::text::int[]) AS d(id) JOIN "Opportunity" o ON o.id = d.id`,
    [pgArray(dealIds)],
  );
  return rows.map((row) => row.id);
}

/**
 * What the figures count of one open deal's current flags, as bits: 1 stale,
 * 2 at risk, 4 nudge, 8 flagged at all, and 16 << i for a flag of
 * FIGURES_RULES[i] (an int8: room for 59 rules; a JavaScript number holds 49).
 * Deals not open are left out (the figures count open deals only).
 */
export async function dealFlagBits(query: Query, dealIds: readonly number[]): Promise<Map<number, number>> {
  if (dealIds.length === 0) return new Map();
  const rows = await columnRows<{ id: number; bits: number }>(
    query,
    `SELECT o.id, ${flagBitsSql("o")} AS bits
       FROM unnest($1::text::int[]) AS d(id)
       JOIN "Opportunity" o ON o.id = d.id AND o.status = 'open'`,
    [pgArray([...new Set(dealIds)])],
    ["id", "bits"],
  );
  return new Map(rows.map((row) => [Number(row.id), Number(row.bits)]));
}

/** dealFlagBits' bits of the deal under `alias`, as a scalar subquery. */
function flagBitsSql(alias: string): string {
  return `coalesce((
       SELECT bit_or(CASE f.severity WHEN 'stale' THEN 9 WHEN 'at_risk' THEN 10 WHEN 'nudge' THEN 12 ELSE 8 END::int8
                     | coalesce(16::int8 << (array_position(${FIGURES_RULES_SQL}, f.rule) - 1), 0))
         FROM "Flag" f
        WHERE f."opportunityId" = ${alias}.id AND ${currentFlagSql("f")}), 0)`;
}

/** The figures' columns that count flagged deals (refreshSql's sums), by the bits dealFlagBits reads. */
const FLAG_COLUMNS: { deals: string; cents: string; counts: (bits: string) => string }[] = [
  { deals: "staleDeals", cents: "staleCents", counts: (bits) => `(${bits} & 1) <> 0` },
  { deals: "atRiskDeals", cents: "atRiskCents", counts: (bits) => `(${bits} & 2) <> 0` },
  { deals: "nudgeDeals", cents: "nudgeCents", counts: (bits) => `(${bits} & 4) <> 0` },
  // Worst severity: at risk and not stale; nudge and neither stale nor at risk.
  { deals: "atRiskWorstDeals", cents: "atRiskWorstCents", counts: (bits) => `(${bits} & 3) = 2` },
  { deals: "nudgeWorstDeals", cents: "nudgeWorstCents", counts: (bits) => `(${bits} & 7) = 4` },
  { deals: "flaggedDeals", cents: "flaggedCents", counts: (bits) => `(${bits} & 8) <> 0` },
];

/**
 * Moves the figures of the owners of deals whose flags changed by exactly
 * what changed: for each deal, its bits (dealFlagBits) before and now (read
 * here, in the same statement; 0: not open, or no current flag), its amount
 * counted in or out of the stale, at-risk, nudge, worst-severity, flagged and
 * per-rule columns. Only for a writer that changed flags and nothing else a
 * figure reads (a review: amounts, stages, owners and statuses stay as they
 * were), holding the flag writers' lock, with `before` read in the same
 * transaction: then the shift equals what a recount would find, without
 * reading each rep's every deal (a repeat review touches most reps, through a
 * few deals each). Reps without a figures row are not touched: recount them.
 */
export async function shiftRepFiguresToCurrentFlags(
  query: Query,
  deals: readonly { dealId: number; before: number }[],
): Promise<void> {
  if (deals.length === 0) return;
  await query(
    shiftSql(
      `SELECT d.id, d.was, ${flagBitsSql("d")} AS now FROM unnest($1::text::int[], $2::text::int8[]) AS d(id, was)`,
    ),
    [pgArray(deals.map((deal) => deal.dealId)), pgArray(deals.map((deal) => deal.before))],
  );
}

/** The shift's statement over `changes` (rows of id, was, now: a deal and its bits before and after). */
function shiftSql(changes: string): string {
  // Per column: +1 (and the deal's cents) when the deal gained what it counts, −1 when it lost it.
  const shift = (counts: (bits: string) => string) =>
    `(CASE WHEN ${counts("m.now")} THEN 1 ELSE 0 END - CASE WHEN ${counts("m.was")} THEN 1 ELSE 0 END)`;
  const sums = FLAG_COLUMNS.flatMap(({ deals, cents, counts }) => [
    `sum(${shift(counts)})::int AS "${deals}"`,
    `sum(${shift(counts)} * m.cents)::int8 AS "${cents}"`,
  ]);
  const sets = FLAG_COLUMNS.flatMap(({ deals, cents }) => [deals, cents]).map(
    (column) => `"${column}" = f."${column}" + s."${column}"`,
  );
  // Rule k of FIGURES_RULES is bit 16 << k; a stored array shorter than the order (a rule added since) counts 0 there.
  const ruleShifts = FIGURES_RULES.map((_, k) => shift((bits) => `(${bits} & ${16 * 2 ** k}) <> 0`));
  const shiftedArray = (column: string, type: string) =>
    `"${column}" = ARRAY[${ruleShifts.map((_, k) => `coalesce(f."${column}"[${k + 1}], 0) + s."${column}"[${k + 1}]`).join(", ")}]::${type}[]`;
  return `WITH m AS MATERIALIZED (
       SELECT o."ownerId" AS rep_id, round(o.amount * 100)::int8 AS cents, d.was, d.now
         FROM (${changes}) d
         JOIN "Opportunity" o ON o.id = d.id AND o.status = 'open'
        WHERE d.was <> d.now
     ), s AS (
       SELECT rep_id, ${sums.join(", ")},
              ARRAY[${ruleShifts.map((delta) => `sum(${delta})`).join(", ")}]::int[] AS "ruleDeals",
              ARRAY[${ruleShifts.map((delta) => `sum(${delta} * m.cents)`).join(", ")}]::int8[] AS "ruleCents"
         FROM m GROUP BY rep_id
     )
     UPDATE "RepFigures" f SET ${sets.join(", ")}, ${shiftedArray("ruleDeals", "int")},
            ${shiftedArray("ruleCents", "int8")}, "updatedAt" = now()
       FROM s WHERE f."repId" = s.rep_id`;
}

/** A rep with no open deal: a zero per rule. */
const ZERO_PER_RULE = `ARRAY[${FIGURES_RULES.map(() => "0").join(", ")}]`;

/**
 * One INSERT … SELECT … ON CONFLICT over the reps `who` selects (a query
 * returning `id`). Money in cents as the overview always counted it: amounts
 * summed exactly then × 100; weighted value rounded once per rep.
 */
function refreshSql(who: string): string {
  return `WITH reps AS (${who}),
     -- Every deal of the reps, any status, read once: new pipeline counts them all, the rest only the open ones.
     all_deals AS MATERIALIZED (
       SELECT o."ownerId" AS rep_id, o.id, o.status, o."stageId", o.amount, o."openedAt", o."lastActivityAt"
         FROM reps r JOIN "Opportunity" o ON o."ownerId" = r.id
     ),
     deals AS (
       SELECT o.rep_id, o.amount, st.probability, o."openedAt", o."lastActivityAt",
              coalesce(fl.stale, false) AS stale, coalesce(fl.at_risk, false) AS at_risk,
              coalesce(fl.nudge, false) AS nudge, fl.flagged IS NOT NULL AS flagged, coalesce(fl.rule_bits, 0) AS rule_bits
         FROM all_deals o
         JOIN "Stage" st ON st.id = o."stageId"
         LEFT JOIN LATERAL (
           SELECT bool_or(f.severity = 'stale') AS stale, bool_or(f.severity = 'at_risk') AS at_risk,
                  bool_or(f.severity = 'nudge') AS nudge, true AS flagged,
                  bit_or(coalesce(1::int8 << (array_position(${FIGURES_RULES_SQL}, f.rule) - 1), 0)) AS rule_bits
             FROM "Flag" f
            WHERE f."opportunityId" = o.id AND ${currentFlagSql("f")}
           HAVING count(*) > 0
         ) fl ON true
        WHERE o.status = 'open'
     ),
     sums AS (
       SELECT rep_id,
              count(*)::int AS open_deals,
              round(sum(amount) * 100)::int8 AS open_cents,
              round(sum(amount * probability))::int8 AS weighted_cents,
              count(*) FILTER (WHERE stale)::int AS stale_deals,
              coalesce(round(sum(amount) FILTER (WHERE stale) * 100), 0)::int8 AS stale_cents,
              count(*) FILTER (WHERE at_risk)::int AS at_risk_deals,
              coalesce(round(sum(amount) FILTER (WHERE at_risk) * 100), 0)::int8 AS at_risk_cents,
              count(*) FILTER (WHERE nudge)::int AS nudge_deals,
              coalesce(round(sum(amount) FILTER (WHERE nudge) * 100), 0)::int8 AS nudge_cents,
              count(*) FILTER (WHERE at_risk AND NOT stale)::int AS at_risk_worst_deals,
              coalesce(round(sum(amount) FILTER (WHERE at_risk AND NOT stale) * 100), 0)::int8 AS at_risk_worst_cents,
              count(*) FILTER (WHERE nudge AND NOT stale AND NOT at_risk)::int AS nudge_worst_deals,
              coalesce(round(sum(amount) FILTER (WHERE nudge AND NOT stale AND NOT at_risk) * 100), 0)::int8
                AS nudge_worst_cents,
              -- Per deal rule, in FIGURES_RULES' order.
              ARRAY[${FIGURES_RULES.map((_, k) => `count(*) FILTER (WHERE (rule_bits & ${2 ** k}) <> 0)`).join(", ")}]::int[]
                AS rule_deals,
              ARRAY[${FIGURES_RULES.map((_, k) => `coalesce(round(sum(amount) FILTER (WHERE (rule_bits & ${2 ** k}) <> 0) * 100), 0)`).join(", ")}]::int8[]
                AS rule_cents,
              count(*) FILTER (WHERE flagged)::int AS flagged_deals,
              coalesce(round(sum(amount) FILTER (WHERE flagged) * 100), 0)::int8 AS flagged_cents,
              min("openedAt") AS oldest_opened_at,
              max("lastActivityAt") AS last_activity_at
         FROM deals
        GROUP BY rep_id
     ),
     -- The deal-age chart's input: open deals by opening day (none known: no age), with running totals.
     open_days AS (
       SELECT rep_id, array_agg(day ORDER BY day) AS days, array_agg(deals_up_to ORDER BY day) AS deals_up_to,
              array_agg(cents_up_to ORDER BY day) AS cents_up_to
         FROM (SELECT rep_id, day, sum(deals) OVER (PARTITION BY rep_id ORDER BY day)::int AS deals_up_to,
                      sum(cents) OVER (PARTITION BY rep_id ORDER BY day)::int8 AS cents_up_to
                 FROM (SELECT rep_id, floor(date_part('epoch', "openedAt") / 86400)::int AS day, count(*) AS deals,
                              round(sum(amount) * 100)::int8 AS cents
                         FROM deals WHERE "openedAt" IS NOT NULL GROUP BY 1, 2) per_day) running
        GROUP BY rep_id
     ),
     -- New pipeline's input: the rep's deals of any status by opening day, from their newest opening
     -- day back ${NEW_PIPELINE_DAYS} days, with running totals from the first day kept.
     newest AS (
       SELECT rep_id, max("openedAt") AS newest_opened_at,
              to_timestamp((floor(date_part('epoch', max("openedAt")) / 86400) - ${NEW_PIPELINE_DAYS}) * 86400) AS kept_from
         FROM all_deals
        GROUP BY rep_id
     ),
     recent_days AS (
       SELECT rep_id, array_agg(day ORDER BY day) AS days, array_agg(deals_up_to ORDER BY day) AS deals_up_to,
              array_agg(cents_up_to ORDER BY day) AS cents_up_to
         FROM (SELECT rep_id, day, sum(deals) OVER (PARTITION BY rep_id ORDER BY day)::int AS deals_up_to,
                      sum(cents) OVER (PARTITION BY rep_id ORDER BY day)::int8 AS cents_up_to
                 FROM (SELECT d.rep_id, floor(date_part('epoch', d."openedAt") / 86400)::int AS day, count(*) AS deals,
                              round(sum(d.amount) * 100)::int8 AS cents
                         FROM all_deals d JOIN newest n ON n.rep_id = d.rep_id AND d."openedAt" >= n.kept_from
                        GROUP BY 1, 2) per_day) running
        GROUP BY rep_id
     )
     INSERT INTO "RepFigures" ("repId", "openDeals", "openCents", "weightedCents", "staleDeals", "staleCents",
            "atRiskDeals", "atRiskCents", "nudgeDeals", "nudgeCents", "atRiskWorstDeals", "atRiskWorstCents",
            "nudgeWorstDeals", "nudgeWorstCents", "flaggedDeals", "flaggedCents", "oldestOpenedAt", "newestOpenedAt", "lastActivityAt",
            "openDays", "openDealsUpTo", "openCentsUpTo", "recentDays", "recentDealsUpTo", "recentCentsUpTo",
            "ruleDeals", "ruleCents", "updatedAt")
     SELECT r.id, coalesce(s.open_deals, 0), coalesce(s.open_cents, 0), coalesce(s.weighted_cents, 0),
            coalesce(s.stale_deals, 0), coalesce(s.stale_cents, 0), coalesce(s.at_risk_deals, 0),
            coalesce(s.at_risk_cents, 0), coalesce(s.nudge_deals, 0), coalesce(s.nudge_cents, 0),
            coalesce(s.at_risk_worst_deals, 0), coalesce(s.at_risk_worst_cents, 0), coalesce(s.nudge_worst_deals, 0),
            coalesce(s.nudge_worst_cents, 0),
            coalesce(s.flagged_deals, 0), coalesce(s.flagged_cents, 0),
            s.oldest_opened_at, nw.newest_opened_at, s.last_activity_at,
            coalesce(d.days, '{}'), coalesce(d.deals_up_to, '{}'), coalesce(d.cents_up_to, '{}'),
            coalesce(n.days, '{}'), coalesce(n.deals_up_to, '{}'), coalesce(n.cents_up_to, '{}'),
            coalesce(s.rule_deals, ${ZERO_PER_RULE}::int[]), coalesce(s.rule_cents, ${ZERO_PER_RULE}::int8[]), now()
       FROM reps r LEFT JOIN sums s ON s.rep_id = r.id LEFT JOIN open_days d ON d.rep_id = r.id
       LEFT JOIN recent_days n ON n.rep_id = r.id LEFT JOIN newest nw ON nw.rep_id = r.id
     ON CONFLICT ("repId") DO UPDATE SET
            "openDeals" = EXCLUDED."openDeals", "openCents" = EXCLUDED."openCents",
            "weightedCents" = EXCLUDED."weightedCents", "staleDeals" = EXCLUDED."staleDeals",
            "staleCents" = EXCLUDED."staleCents", "atRiskDeals" = EXCLUDED."atRiskDeals",
            "atRiskCents" = EXCLUDED."atRiskCents", "nudgeDeals" = EXCLUDED."nudgeDeals",
            "nudgeCents" = EXCLUDED."nudgeCents", "atRiskWorstDeals" = EXCLUDED."atRiskWorstDeals",
            "atRiskWorstCents" = EXCLUDED."atRiskWorstCents", "nudgeWorstDeals" = EXCLUDED."nudgeWorstDeals",
            "nudgeWorstCents" = EXCLUDED."nudgeWorstCents", "ruleDeals" = EXCLUDED."ruleDeals",
            "ruleCents" = EXCLUDED."ruleCents",
            "flaggedDeals" = EXCLUDED."flaggedDeals", "flaggedCents" = EXCLUDED."flaggedCents",
            "oldestOpenedAt" = EXCLUDED."oldestOpenedAt", "newestOpenedAt" = EXCLUDED."newestOpenedAt",
            "lastActivityAt" = EXCLUDED."lastActivityAt", "openDays" = EXCLUDED."openDays",
            "openDealsUpTo" = EXCLUDED."openDealsUpTo", "openCentsUpTo" = EXCLUDED."openCentsUpTo",
            "recentDays" = EXCLUDED."recentDays", "recentDealsUpTo" = EXCLUDED."recentDealsUpTo",
            "recentCentsUpTo" = EXCLUDED."recentCentsUpTo",
            "updatedAt" = EXCLUDED."updatedAt"`;
}
