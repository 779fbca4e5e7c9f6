// Loads what the rules engine reads, with a handful of set-based queries
// whatever the number of deals (never one query per deal): the open deals with
// their rollup columns, activity counts in the one-sided window, waivers, won
// deals and their stage stints for the yardsticks, reps' last new opportunity,
// and each team's won / open / new pipeline per sales-trap period.
//
// As-of: when the organisation reviews "now", the rollup columns are the facts.
// When it reviews an earlier date (historical data), the last activities and
// last forward move are recomputed from history up to asOf instead, so an event
// after asOf never counts. (The deal's stage is its current one.)
import type { DealFacts, DealWaiver } from "@/lib/rules/types";
import type { RepFacts } from "@/lib/rules/rep-rules";
import type { TeamFacts } from "@/lib/rules/team-rules";
import { salesTrapPeriods } from "@/lib/rules/team-rules";
import { activityWindowStart } from "@/lib/rules/days";
import type { RuleSettings } from "@/lib/rules/settings";
import type { TeamRef, WonDealFacts, WonStageStint } from "@/lib/rules/statistics";

/** Runs one SQL statement with $n parameters; Prisma ($queryRawUnsafe) or a raw driver. */
export type Query = <Row = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<Row[]>;

/** Which deals and people a review covers. */
export interface ReviewScope {
  /** Null: the whole organisation. */
  teamId: string | null;
  /** Only these deals (re-evaluation after an action); null: every open deal in scope. */
  dealIds: number[] | null;
}

/**
 * Instants are selected as epoch milliseconds: drivers disagree on how they
 * parse timestamptz text (pglite-prisma-adapter 0.6.1 drops the offset in raw
 * queries, so Node reads it in the local zone), but a number is a number.
 */
const epochMs = (expression: string) => `(extract(epoch FROM ${expression}) * 1000)::float8`;
const ts = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(Number(value)));
/**
 * Big reads come back as one JSON text rather than row by row. PGlite (WASM)
 * spends a few microseconds on every value it hands to JavaScript: 100,000
 * open deals × 18 columns took ~6 s as rows and ~2.5 s as JSON on the
 * benchmark organisation. PostgreSQL is as quick either way. Values keep the
 * types the mappers expect: numbers stay numbers, text (int8 as text, dates
 * as text) stays text.
 */
async function jsonRows<Row>(query: Query, sql: string, params: unknown[]): Promise<Row[]> {
  const [result] = await query<{ rows: string | null }>(
    `SELECT coalesce(json_agg(t), '[]')::text AS rows FROM (${sql}) t`,
    params,
  );
  return JSON.parse(result?.rows ?? "[]") as Row[];
}

/** `date` columns are selected as text and read as UTC midnight (drivers would use the local zone). */
const day = (value: unknown): Date | null => (value ? new Date(`${String(value)}T00:00:00.000Z`) : null);

interface DealRow {
  id: number;
  name: string;
  owner_id: string;
  team_id: string | null;
  stage_id: number;
  stage_name: string;
  stage_order: number;
  stage_max_days: number | null;
  amount_cents: string | number;
  currency: string;
  opened_at: number;
  expected_close: string | null;
  last_activity_at: number | null;
  last_buyer_at: number | null;
  last_seller_at: number | null;
  stage_entered_at: number;
  last_forward_at: number | null;
  pushes: number;
}

export async function loadOpenDeals(
  query: Query,
  scope: ReviewScope,
  settings: RuleSettings,
  asOf: Date,
  options: { fromHistory: boolean },
): Promise<DealFacts[]> {
  const params: unknown[] = [asOf];
  const filters = [`o.status = 'open'`, `o."openedAt" <= $1`];
  if (scope.teamId) {
    params.push(scope.teamId);
    filters.push(`u."teamId" = $${params.length}`);
  }
  if (scope.dealIds) {
    params.push(scope.dealIds);
    filters.push(`o.id = ANY($${params.length}::int[])`);
  }
  // From history: the latest events at or before asOf; otherwise the rollups.
  const lastActivity = options.fromHistory
    ? `(SELECT max(a.at) FROM "Activity" a WHERE a."opportunityId" = o.id AND a.at <= $1)`
    : `o."lastActivityAt"`;
  const lastBySide = (side: "buyer" | "seller", rollup: string) =>
    options.fromHistory
      ? `(SELECT max(a.at) FROM "Activity" a WHERE a."opportunityId" = o.id AND a.side = '${side}' AND a.at <= $1)`
      : `o."${rollup}"`;
  const lastForward = options.fromHistory
    ? `(SELECT max(s.at) FROM "StageChange" s WHERE s."opportunityId" = o.id AND s.direction = 'forward' AND s.at <= $1)`
    : `o."lastForwardMoveAt"`;
  const pushes = options.fromHistory
    ? `(SELECT count(*)::int FROM "CloseDateChange" c WHERE c."opportunityId" = o.id AND c."isPush" AND c.at <= $1)`
    : `o."closeDatePushCount"`;

  const rows = await jsonRows<DealRow>(
    query,
    `SELECT o.id, o.name, o."ownerId" AS owner_id, u."teamId" AS team_id,
            o."stageId" AS stage_id, st.name AS stage_name, st."order" AS stage_order,
            st."maxDaysInStage" AS stage_max_days,
            round(o.amount * 100)::int8::text AS amount_cents, o.currency,
            ${epochMs('o."openedAt"')} AS opened_at, o."expectedCloseDate"::text AS expected_close,
            ${epochMs(lastActivity)} AS last_activity_at,
            ${epochMs(lastBySide("buyer", "lastBuyerActivityAt"))} AS last_buyer_at,
            ${epochMs(lastBySide("seller", "lastSellerActivityAt"))} AS last_seller_at,
            ${epochMs('o."stageEnteredAt"')} AS stage_entered_at,
            ${epochMs(lastForward)} AS last_forward_at,
            ${pushes} AS pushes
       FROM "Opportunity" o
       JOIN "User" u ON u.id = o."ownerId"
       JOIN "Stage" st ON st.id = o."stageId"
      WHERE ${filters.join(" AND ")}
      ORDER BY o.id`,
    params,
  );
  if (rows.length === 0) return [];

  const ids = rows.map((row) => row.id);
  const windowStart = activityWindowStart(asOf, settings.oneSidedWindowDays);
  const [counts, waivers] = await Promise.all([
    jsonRows<{ id: number; seller: number; buyer: number }>(
      query,
      `SELECT a."opportunityId" AS id,
              count(*) FILTER (WHERE a.side = 'seller')::int AS seller,
              count(*) FILTER (WHERE a.side = 'buyer')::int AS buyer
         FROM "Activity" a
        WHERE a."opportunityId" = ANY($1::int[]) AND a.at >= $2 AND a.at <= $3
        GROUP BY a."opportunityId"`,
      [ids, windowStart, asOf],
    ),
    query<{
      id: number;
      kind: DealWaiver["kind"];
      until: string;
      reason: string;
      created_at: Date;
      ended_at: Date | null;
    }>(
      `SELECT w."opportunityId" AS id, w.kind, w.until::text AS until, w.reason,
              ${epochMs('w."createdAt"')} AS created_at, ${epochMs('w."endedAt"')} AS ended_at
         FROM "Waiver" w
        WHERE w."opportunityId" = ANY($1::int[]) AND w.until >= ($2::timestamptz AT TIME ZONE 'UTC')::date - 1`,
      [ids, asOf],
    ),
  ]);
  const countsByDeal = new Map(counts.map((row) => [row.id, row]));
  const waiversByDeal = new Map<number, DealWaiver[]>();
  for (const row of waivers) {
    const list = waiversByDeal.get(row.id) ?? [];
    list.push({
      kind: row.kind,
      until: day(row.until) as Date,
      reason: row.reason,
      createdAt: ts(row.created_at) ?? undefined,
      endedAt: ts(row.ended_at),
    });
    waiversByDeal.set(row.id, list);
  }

  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    teamId: row.team_id,
    stageId: row.stage_id,
    stageName: row.stage_name,
    stageOrder: row.stage_order,
    stageMaxDaysInStage: row.stage_max_days,
    amountCents: Number(row.amount_cents),
    currency: row.currency,
    openedAt: ts(row.opened_at) as Date,
    expectedCloseDate: day(row.expected_close),
    lastActivityAt: ts(row.last_activity_at),
    lastBuyerActivityAt: ts(row.last_buyer_at),
    lastSellerActivityAt: ts(row.last_seller_at),
    stageEnteredAt: ts(row.stage_entered_at) as Date,
    lastForwardMoveAt: ts(row.last_forward_at),
    closeDatePushCount: Number(row.pushes),
    sellerActivitiesInWindow: countsByDeal.get(row.id)?.seller ?? 0,
    buyerActivitiesInWindow: countsByDeal.get(row.id)?.buyer ?? 0,
    waivers: waiversByDeal.get(row.id) ?? [],
  }));
}

/** Teams, and deals won in the lookback window (the whole organisation: the fallback needs it). */
export async function loadCycleInputs(
  query: Query,
  settings: RuleSettings,
  asOf: Date,
): Promise<{ teams: TeamRef[]; wonDeals: WonDealFacts[]; wonStageStints: WonStageStint[] }> {
  const since = new Date(asOf.getTime() - (settings.lookbackDays + 1) * 86_400_000);
  const [teams, won, stints] = await Promise.all([
    query<{ id: string; name: string }>(`SELECT id, name FROM "Team" ORDER BY name`),
    jsonRows<{ team_id: string | null; opened_at: number; closed_at: number }>(
      query,
      `SELECT u."teamId" AS team_id, ${epochMs('o."openedAt"')} AS opened_at, ${epochMs('o."closedAt"')} AS closed_at
         FROM "Opportunity" o JOIN "User" u ON u.id = o."ownerId"
        WHERE o.status = 'won' AND o."closedAt" > $1 AND o."closedAt" <= $2`,
      [since, asOf],
    ),
    // Each stage a won deal passed through: from the move into it to the next move.
    jsonRows<{ deal_id: number; stage_id: number; entered_at: number; left_at: number; closed_at: number }>(
      query,
      `SELECT deal_id, stage_id, entered_at, left_at, closed_at FROM (
         SELECT s."opportunityId" AS deal_id, s."toStageId" AS stage_id, s."toStatus" AS to_status,
                ${epochMs("s.at")} AS entered_at,
                ${epochMs('lead(s.at) OVER (PARTITION BY s."opportunityId" ORDER BY s.at, s.id)')} AS left_at,
                ${epochMs('o."closedAt"')} AS closed_at
           FROM "StageChange" s JOIN "Opportunity" o ON o.id = s."opportunityId"
          WHERE o.status = 'won' AND o."closedAt" > $1 AND o."closedAt" <= $2
       ) t
       WHERE to_status = 'open' AND stage_id IS NOT NULL AND left_at IS NOT NULL`,
      [since, asOf],
    ),
  ]);
  return {
    teams,
    wonDeals: won.map((row) => ({
      teamId: row.team_id,
      openedAt: ts(row.opened_at) as Date,
      closedAt: ts(row.closed_at) as Date,
    })),
    wonStageStints: stints.map((row) => ({
      dealId: row.deal_id,
      stageId: row.stage_id,
      enteredAt: ts(row.entered_at) as Date,
      leftAt: ts(row.left_at) as Date,
      closedAt: ts(row.closed_at) as Date,
    })),
  };
}

/** Active reps in scope with the last time each opened an opportunity (any status). */
export async function loadReps(query: Query, scope: ReviewScope, asOf: Date): Promise<RepFacts[]> {
  const params: unknown[] = [asOf];
  let teamFilter = "";
  if (scope.teamId) {
    params.push(scope.teamId);
    teamFilter = `AND u."teamId" = $2`;
  }
  const rows = await jsonRows<{
    id: string;
    name: string;
    team_id: string | null;
    last_opened: number | null;
    joined: number;
  }>(
    query,
    `SELECT u.id, u.name, u."teamId" AS team_id, ${epochMs('u."createdAt"')} AS joined,
            ${epochMs('(SELECT max(o."openedAt") FROM "Opportunity" o WHERE o."ownerId" = u.id AND o."openedAt" <= $1)')} AS last_opened
       FROM "User" u
      WHERE u.role = 'rep' AND u.active ${teamFilter}
      ORDER BY u.name`,
    params,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    teamId: row.team_id,
    lastOpenedAt: ts(row.last_opened),
    joinedAt: ts(row.joined),
  }));
}

/** Per team, per sales-trap period: won value, open pipeline at the period's end, new pipeline. */
export async function loadTeamPeriods(
  query: Query,
  scope: ReviewScope,
  settings: RuleSettings,
  asOf: Date,
  currency: string,
): Promise<TeamFacts[]> {
  const windows = salesTrapPeriods(asOf, settings);
  const teams = await query<{ id: string; name: string }>(
    scope.teamId ? `SELECT id, name FROM "Team" WHERE id = $1` : `SELECT id, name FROM "Team" ORDER BY name`,
    scope.teamId ? [scope.teamId] : [],
  );
  if (teams.length === 0) return [];
  const afters = windows.map((window) => window.after);
  const throughs = windows.map((window) => window.through);
  // Open at a period's end: opened by then and not closed by then. Deals since
  // returned to prospecting are left out (we do not know when they left).
  const rows = await query<{ team_id: string; period: number; won: string; open: string; created: string }>(
    `SELECT u."teamId" AS team_id, p.period::int AS period,
            coalesce(round(sum(o.amount) FILTER (WHERE o.status = 'won' AND o."closedAt" > p.after AND o."closedAt" <= p.through) * 100), 0)::int8::text AS won,
            coalesce(round(sum(o.amount) FILTER (WHERE o.status IN ('open', 'won', 'lost') AND o."openedAt" <= p.through
                     AND (o."closedAt" IS NULL OR o."closedAt" > p.through)) * 100), 0)::int8::text AS open,
            coalesce(round(sum(o.amount) FILTER (WHERE o."openedAt" > p.after AND o."openedAt" <= p.through) * 100), 0)::int8::text AS created
       FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS p(after, through, period)
       CROSS JOIN "Opportunity" o
       JOIN "User" u ON u.id = o."ownerId"
      WHERE u."teamId" IS NOT NULL AND o."openedAt" <= $3
      GROUP BY u."teamId", p.period`,
    [afters, throughs, asOf],
  );
  const byTeam = new Map<string, Map<number, (typeof rows)[number]>>();
  for (const row of rows) {
    const periods = byTeam.get(row.team_id) ?? new Map();
    periods.set(row.period, row);
    byTeam.set(row.team_id, periods);
  }
  return teams.map((team) => ({
    id: team.id,
    name: team.name,
    currency,
    periods: windows.map((_window, index) => {
      const row = byTeam.get(team.id)?.get(index + 1);
      return {
        wonCents: Number(row?.won ?? 0),
        openPipelineCents: Number(row?.open ?? 0),
        newPipelineCents: Number(row?.created ?? 0),
      };
    }),
  }));
}
