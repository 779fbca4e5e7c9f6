// Loads what the rules engine reads, with a handful of set-based queries
// whatever the number of deals (never one query per deal): the open deals with
// their rollup columns, activity counts in the one-sided window, waivers, won
// deals and their stage stints for the yardsticks, reps' last new opportunity,
// and each team's won / open / new pipeline per sales-trap period.
//
// As-of: when the organisation reviews "now", the rollup columns are the facts.
// When it reviews an earlier date (historical data) it sees the pipeline as it
// was then: the deals open on that date — including ones won, lost or
// returned to prospecting since — in their stage, amount and expected close
// date of that date (from StageChange, AmountChange and CloseDateChange), and
// the last activities, last forward move and pushes recomputed from history up
// to asOf, so an event after asOf never counts. A deal won or lost since
// counts for the team that closed it (closedTeamId); there is no owner
// history, so an open deal's owner and team are today's.
import { columnRows, epochMs, pgArray, type Query } from "@/lib/db/bulk-sql";
import type { DealFacts, DealWaiver } from "@/lib/rules/types";
import type { RepFacts } from "@/lib/rules/rep-rules";
import type { PeriodWindow, TeamFacts, TeamPeriod } from "@/lib/rules/team-rules";
import { salesTrapPeriods } from "@/lib/rules/team-rules";
import { activityWindowStart } from "@/lib/rules/days";
import type { RuleSettings } from "@/lib/rules/settings";
import type { TeamRef, WonDealFacts, WonStageStint } from "@/lib/rules/statistics";

/** Which deals and people a review covers. */
export interface ReviewScope {
  /** Null: the whole organisation. */
  teamId: string | null;
  /** Only these deals (re-evaluation after an action); null: every open deal in scope. */
  dealIds: number[] | null;
}

const ts = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(Number(value)));

/** `date` columns are selected as text and read as UTC midnight (drivers would use the local zone). */
const day = (value: unknown): Date | null => (value ? new Date(`${String(value)}T00:00:00.000Z`) : null);

interface DealRow {
  id: number;
  name: string;
  owner_id: string;
  team_id: string | null;
  stage_id: number;
  amount_cents: number;
  currency: string;
  opened_at: number;
  expected_close: string | null;
  last_activity_at: number | null;
  last_buyer_at: number | null;
  last_seller_at: number | null;
  stage_entered_at: number | null;
  last_forward_at: number | null;
  pushes: number;
}
const DEAL_COLUMNS = [
  "id",
  "name",
  "owner_id",
  "team_id",
  "stage_id",
  "amount_cents",
  "currency",
  "opened_at",
  "expected_close",
  "last_activity_at",
  "last_buyer_at",
  "last_seller_at",
  "stage_entered_at",
  "last_forward_at",
  "pushes",
] as const satisfies readonly (keyof DealRow)[];

export async function loadOpenDeals(
  query: Query,
  scope: ReviewScope,
  settings: RuleSettings,
  asOf: Date,
  options: {
    fromHistory: boolean;
    /** Each team's one-sided window in days (a team may set its own); default: the organisation's. */
    oneSidedWindowDaysOf?: (teamId: string | null) => number;
  },
): Promise<DealFacts[]> {
  const params: unknown[] = [asOf];
  // From history, a deal closed since (or returned to prospecting since) may
  // have been open on asOf: the state-then columns below decide.
  const teamThen = options.fromHistory
    ? `CASE WHEN o.status IN ('won', 'lost') THEN o."closedTeamId" ELSE u."teamId" END`
    : `u."teamId"`;
  const filters = options.fromHistory
    ? [`o."openedAt" <= $1`, `(o.status IN ('open', 'prospect') OR o."closedAt" IS NULL OR o."closedAt" > $1)`]
    : [`o.status = 'open'`, `o."openedAt" <= $1`];
  if (scope.teamId) {
    params.push(scope.teamId);
    filters.push(`${teamThen} = $${params.length}`);
  }
  if (scope.dealIds) {
    params.push(pgArray(scope.dealIds));
    // A semi-join, not `= ANY(<text>::int[])`: a scan would parse the whole list again for every deal.
    filters.push(`o.id IN (SELECT unnest($${params.length}::text::int[]))`);
    // Re-evaluation after an action decides the deal's current flags: a deal
    // the action just closed has none, even when the fixed as-of date is before
    // the close (a full review of that date still sees it open then).
    if (options.fromHistory) filters.push(`o.status = 'open'`);
  }
  // From history: the latest events at or before asOf. A rollup at or before
  // asOf already is that (it is the latest event of all), so history is read
  // only for deals with a later event — after importing a historical export
  // with the as-of date at its end, none. Each LATERAL's gate references the
  // deal only, so PostgreSQL skips the look-up where it is false.
  const history = options.fromHistory
    ? `LEFT JOIN LATERAL (
         SELECT max(a.at) AS last_activity, max(a.at) FILTER (WHERE a.side = 'buyer') AS last_buyer,
                max(a.at) FILTER (WHERE a.side = 'seller') AS last_seller
           FROM "Activity" a
          WHERE (o."lastActivityAt" > $1 OR o."lastBuyerActivityAt" > $1 OR o."lastSellerActivityAt" > $1)
            AND a."opportunityId" = o.id AND a.at <= $1
       ) act ON true
       LEFT JOIN LATERAL (
         SELECT max(s.at) AS last_forward FROM "StageChange" s
          WHERE o."lastForwardMoveAt" > $1
            AND s."opportunityId" = o.id AND s.direction = 'forward' AND s.at <= $1
       ) moved ON true
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS pushes FROM "CloseDateChange" c
          WHERE o."closeDatePushCount" > 0 AND c."opportunityId" = o.id AND c."isPush" AND c.at <= $1
       ) pushed ON true
       -- The stage then: the state the first move after asOf started from (an
       -- open deal that entered its stage by asOf made no move since).
       LEFT JOIN LATERAL (
         SELECT s."fromStageId" AS from_stage, s."fromStatus" AS from_status,
                s."toStageId" AS to_stage, s."toStatus" AS to_status, s.direction
           FROM "StageChange" s
          WHERE NOT (o.status = 'open' AND o."stageEnteredAt" <= $1)
            AND s."opportunityId" = o.id AND s.at > $1
          ORDER BY s.at, s.id LIMIT 1
       ) later_move ON true
       -- When it entered that stage: the last move at or before asOf.
       LEFT JOIN LATERAL (
         SELECT s.at, s."toStageId" AS to_stage, s."toStatus" AS to_status
           FROM "StageChange" s
          WHERE NOT (o.status = 'open' AND o."stageEnteredAt" <= $1)
            AND s."opportunityId" = o.id AND s.at <= $1
          ORDER BY s.at DESC, s.id DESC LIMIT 1
       ) last_move ON true
       -- The amount and expected close date then: what the first change after asOf changed from.
       LEFT JOIN LATERAL (
         SELECT c."fromAmount" AS amount FROM "AmountChange" c
          WHERE c."opportunityId" = o.id AND c.at > $1 ORDER BY c.at, c.id LIMIT 1
       ) amount_then ON true
       LEFT JOIN LATERAL (
         SELECT true AS changed, c."fromDate" AS close_date FROM "CloseDateChange" c
          WHERE c."opportunityId" = o.id AND c.at > $1 ORDER BY c.at, c.id LIMIT 1
       ) close_then ON true`
    : "";
  // The state on asOf: before the first later move (a "created" move after
  // asOf: the state it created); without one, today's — except that a deal
  // closed after asOf with no recorded move was open then, in its last stage.
  const laterState = `later_move.direction IS NOT NULL AND later_move.direction <> 'created'`;
  const stageThen = options.fromHistory
    ? `CASE WHEN ${laterState} THEN later_move.from_stage
            WHEN later_move.direction = 'created' THEN later_move.to_stage ELSE o."stageId" END`
    : `o."stageId"`;
  const statusThen = `CASE WHEN ${laterState} THEN later_move.from_status::text
            WHEN later_move.direction = 'created' THEN later_move.to_status::text
            WHEN o.status IN ('won', 'lost') THEN 'open' ELSE o.status::text END`;
  const stageEnteredThen = options.fromHistory
    ? `CASE WHEN o.status = 'open' AND o."stageEnteredAt" <= $1 THEN o."stageEnteredAt"
            WHEN last_move.to_status = 'open' AND last_move.to_stage = (${stageThen}) THEN last_move.at END`
    : `o."stageEnteredAt"`;
  const amountThen = options.fromHistory ? `coalesce(amount_then.amount, o.amount)` : "o.amount";
  const closeDateThen = options.fromHistory
    ? `CASE WHEN close_then.changed THEN close_then.close_date ELSE o."expectedCloseDate" END`
    : `o."expectedCloseDate"`;
  const asOfOrHistory = (rollup: string, fromHistory: string) =>
    options.fromHistory
      ? `CASE WHEN ${rollup} IS NULL OR ${rollup} <= $1 THEN ${rollup} ELSE ${fromHistory} END`
      : rollup;
  const activityGate = `(o."lastActivityAt" > $1 OR o."lastBuyerActivityAt" > $1 OR o."lastSellerActivityAt" > $1)`;
  const activityColumn = (rollup: string, fromHistory: string) =>
    options.fromHistory ? `CASE WHEN ${activityGate} THEN ${fromHistory} ELSE ${rollup} END` : rollup;
  const lastActivity = activityColumn(`o."lastActivityAt"`, "act.last_activity");
  const lastBuyer = activityColumn(`o."lastBuyerActivityAt"`, "act.last_buyer");
  const lastSeller = activityColumn(`o."lastSellerActivityAt"`, "act.last_seller");
  const lastForward = asOfOrHistory(`o."lastForwardMoveAt"`, "moved.last_forward");
  // No rollup says when the last push was: counted from history when there was one.
  const pushes = options.fromHistory ? "pushed.pushes" : `o."closeDatePushCount"`;

  const [rows, stages] = await Promise.all([
    columnRows<DealRow>(
      query,
      `SELECT ${DEAL_COLUMNS.join(", ")} FROM (
       SELECT o.id, o.name, o."ownerId" AS owner_id, ${teamThen} AS team_id, ${stageThen} AS stage_id,
              round(${amountThen} * 100)::int8 AS amount_cents, o.currency,
              ${epochMs('o."openedAt"')} AS opened_at, (${closeDateThen})::text AS expected_close,
              ${epochMs(lastActivity)} AS last_activity_at,
              ${epochMs(lastBuyer)} AS last_buyer_at,
              ${epochMs(lastSeller)} AS last_seller_at,
              ${epochMs(stageEnteredThen)} AS stage_entered_at,
              ${epochMs(lastForward)} AS last_forward_at,
              ${pushes} AS pushes,
              ${options.fromHistory ? statusThen : "'open'"} AS status_then
         FROM "Opportunity" o
         JOIN "User" u ON u.id = o."ownerId"
         ${history}
        WHERE ${filters.join(" AND ")}
       ) deals
       WHERE status_then = 'open'
       ORDER BY id`,
      params,
      DEAL_COLUMNS,
    ),
    query<{ id: number; name: string; order: number; max_days: number | null }>(
      `SELECT id, name, "order", "maxDaysInStage" AS max_days FROM "Stage"`,
    ),
  ]);
  if (rows.length === 0) return [];
  const stageById = new Map(stages.map((stage) => [stage.id, stage]));

  // One count per distinct window: usually one (no team set its own).
  const rowsByWindow = new Map<number, DealRow[]>();
  for (const row of rows) {
    const windowDays = options.oneSidedWindowDaysOf?.(row.team_id) ?? settings.oneSidedWindowDays;
    const sameWindow = rowsByWindow.get(windowDays);
    if (sameWindow) sameWindow.push(row);
    else rowsByWindow.set(windowDays, [row]);
  }
  const [countsByWindow, waivers] = await Promise.all([
    Promise.all(
      [...rowsByWindow].map(([windowDays, windowRows]) =>
        loadOneSidedCounts(query, windowRows, activityWindowStart(asOf, windowDays), asOf),
      ),
    ),
    loadWaivers(query, scope.dealIds, asOf),
  ]);
  const counts = new Map(countsByWindow.flatMap((byDeal) => [...byDeal]));

  return rows.map((row) => {
    const stage = stageById.get(row.stage_id);
    return {
      id: row.id,
      name: row.name,
      ownerId: row.owner_id,
      teamId: row.team_id,
      stageId: row.stage_id,
      stageName: stage?.name ?? "",
      stageOrder: stage?.order ?? 0,
      stageMaxDaysInStage: stage?.max_days ?? null,
      amountCents: Number(row.amount_cents),
      currency: row.currency,
      openedAt: ts(row.opened_at) as Date,
      expectedCloseDate: day(row.expected_close),
      lastActivityAt: ts(row.last_activity_at),
      lastBuyerActivityAt: ts(row.last_buyer_at),
      lastSellerActivityAt: ts(row.last_seller_at),
      stageEnteredAt: ts(row.stage_entered_at),
      lastForwardMoveAt: ts(row.last_forward_at),
      closeDatePushCount: Number(row.pushes),
      sellerActivitiesInWindow: counts.get(row.id)?.seller ?? 0,
      buyerActivitiesInWindow: counts.get(row.id)?.buyer ?? 0,
      // Counted deals only (recheck.ts: undefined = not loaded, judged again sooner).
      ...(counts.has(row.id) ? { oldestSellerActivityInWindowAt: ts(counts.get(row.id)?.oldest_seller) } : {}),
      waivers: waivers.get(row.id) ?? [],
    };
  });
}

/**
 * Seller and buyer activities in the one-sided window, counted only for the
 * deals the one-sided rule could flag: some seller activity at or after the
 * window start, and no buyer activity in the window by the rollups. (A
 * rollup after asOf hides what happened before it, so such deals are counted
 * too.) The others cannot be one-sided whatever their count, and counting
 * them would read the window's every activity: about half a million rows
 * for 100,000 deals, a second on PGlite.
 */
async function loadOneSidedCounts(
  query: Query,
  rows: readonly DealRow[],
  windowStart: Date,
  asOf: Date,
): Promise<Map<number, { seller: number; buyer: number; oldest_seller: number | null }>> {
  const fromMs = windowStart.getTime();
  const asOfMs = asOf.getTime();
  const candidates = rows
    .filter(
      (row) =>
        row.last_seller_at !== null &&
        row.last_seller_at >= fromMs &&
        !(row.last_buyer_at !== null && row.last_buyer_at >= fromMs && row.last_buyer_at <= asOfMs),
    )
    .map((row) => row.id);
  if (candidates.length === 0) return new Map();
  // With the counts, the oldest seller activity counted: the day it leaves the
  // window the count drops (when the verdict may change by time alone, recheck.ts).
  const counts = await columnRows<{ id: number; seller: number; buyer: number; oldest_seller: number | null }>(
    query,
    // LATERAL: a look-up per candidate in the (opportunityId, at) index. A
    // join lets the planner hash the whole window instead (5× slower).
    `SELECT d.id, c.seller, c.buyer, ${epochMs("c.oldest_seller")} AS oldest_seller
       FROM unnest($1::text::int[]) AS d(id)
       CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE a.side = 'seller')::int AS seller,
                count(*) FILTER (WHERE a.side = 'buyer')::int AS buyer,
                min(a.at) FILTER (WHERE a.side = 'seller') AS oldest_seller
           FROM "Activity" a
          WHERE a."opportunityId" = d.id AND a.at >= $2 AND a.at <= $3
       ) c`,
    [pgArray(candidates), windowStart, asOf],
    ["id", "seller", "buyer", "oldest_seller"],
  );
  return new Map(counts.map((row) => [row.id, row]));
}

/** Waivers that could still apply on asOf (later ones are filtered by the engine), by deal. */
async function loadWaivers(query: Query, dealIds: number[] | null, asOf: Date): Promise<Map<number, DealWaiver[]>> {
  const rows = await query<{
    id: number;
    kind: DealWaiver["kind"];
    until: string;
    reason: string;
    created_at: number;
    ended_at: number | null;
  }>(
    `SELECT w."opportunityId" AS id, w.kind, w.until::text AS until, w.reason,
            ${epochMs('w."createdAt"')} AS created_at, ${epochMs('w."endedAt"')} AS ended_at
       FROM "Waiver" w
      WHERE w.until >= ($1::timestamptz AT TIME ZONE 'UTC')::date - 1
        ${dealIds ? `AND w."opportunityId" IN (SELECT unnest($2::text::int[]))` : ""}`,
    dealIds ? [asOf, pgArray(dealIds)] : [asOf],
  );
  const byDeal = new Map<number, DealWaiver[]>();
  for (const row of rows) {
    const list = byDeal.get(row.id) ?? [];
    list.push({
      kind: row.kind,
      until: day(row.until) as Date,
      reason: row.reason,
      createdAt: ts(row.created_at) ?? undefined,
      endedAt: ts(row.ended_at),
    });
    byDeal.set(row.id, list);
  }
  return byDeal;
}

/**
 * Teams, deals won in the lookback window (the whole organisation: the
 * fallback needs it) counted for the team that won them, their stage stints,
 * and whether the organisation has any activity at all.
 */
export async function loadCycleInputs(
  query: Query,
  settings: RuleSettings,
  asOf: Date,
): Promise<{
  teams: TeamRef[];
  wonDeals: WonDealFacts[];
  wonStageStints: WonStageStint[];
  activitiesRecorded: boolean;
}> {
  // From the UTC midnight starting the lookback's first day: the engine keeps
  // deals won on that day (asOf's day − lookbackDays) and drops earlier ones.
  const since = activityWindowStart(asOf, settings.lookbackDays);
  const [teams, won, stints, activity] = await Promise.all([
    query<{ id: string; name: string }>(`SELECT id, name FROM "Team" ORDER BY name`),
    columnRows<{ team_id: string | null; opened_at: number; closed_at: number }>(
      query,
      `SELECT o."closedTeamId" AS team_id, ${epochMs('o."openedAt"')} AS opened_at, ${epochMs('o."closedAt"')} AS closed_at
         FROM "Opportunity" o
        WHERE o.status = 'won' AND o."closedAt" >= $1 AND o."closedAt" <= $2`,
      [since, asOf],
      ["team_id", "opened_at", "closed_at"],
    ),
    // Each stage a won deal passed through: from the move into it to the next move.
    // LATERAL: each won deal's moves looked up in the (opportunityId, at) index;
    // a join let the planner hash every stage change of the organisation
    // instead (526,000 rows read for 55,000 on the bench organisation).
    columnRows<{ deal_id: number; stage_id: number; entered_at: number; left_at: number; closed_at: number }>(
      query,
      `SELECT o.id AS deal_id, s.stage_id, ${epochMs("s.entered_at")} AS entered_at,
              ${epochMs("s.left_at")} AS left_at, ${epochMs('o."closedAt"')} AS closed_at
         FROM "Opportunity" o
         CROSS JOIN LATERAL (
           SELECT s."toStageId" AS stage_id, s."toStatus" AS to_status, s.at AS entered_at,
                  lead(s.at) OVER (ORDER BY s.at, s.id) AS left_at
             FROM "StageChange" s
            WHERE s."opportunityId" = o.id
         ) s
        WHERE o.status = 'won' AND o."closedAt" >= $1 AND o."closedAt" <= $2
          AND s.to_status = 'open' AND s.stage_id IS NOT NULL AND s.left_at IS NOT NULL`,
      [since, asOf],
      ["deal_id", "stage_id", "entered_at", "left_at", "closed_at"],
    ),
    query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM "Activity") AS any`),
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
    activitiesRecorded: Boolean(activity[0]?.any),
  };
}

/**
 * Active reps in scope with the last time each opened an opportunity (any
 * status) and their start: their first opened deal and the start date given
 * for them (never User.createdAt, the moment an import made the record).
 */
export async function loadReps(query: Query, scope: ReviewScope, asOf: Date): Promise<RepFacts[]> {
  const params: unknown[] = [asOf];
  let teamFilter = "";
  if (scope.teamId) {
    params.push(scope.teamId);
    teamFilter = `AND u."teamId" = $2`;
  }
  // Two look-ups per rep in the (ownerId, openedAt) index: max and min are
  // each a descent to one end of the rep's openings, where one pass over every
  // opportunity read 160,000 rows on the bench organisation.
  const rows = await columnRows<{
    id: string;
    name: string;
    team_id: string | null;
    last_opened: number | null;
    first_opened: number | null;
    start_date: string | null;
  }>(
    query,
    `SELECT u.id, u.name, u."teamId" AS team_id, u."startDate"::text AS start_date,
            ${epochMs(`(SELECT max(o."openedAt") FROM "Opportunity" o WHERE o."ownerId" = u.id AND o."openedAt" <= $1)`)} AS last_opened,
            ${epochMs(`(SELECT min(o."openedAt") FROM "Opportunity" o WHERE o."ownerId" = u.id)`)} AS first_opened
       FROM "User" u
      WHERE u.role = 'rep' AND u.active ${teamFilter}
      ORDER BY u.name`,
    params,
    ["id", "name", "team_id", "last_opened", "first_opened", "start_date"],
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    teamId: row.team_id,
    lastOpenedAt: ts(row.last_opened),
    firstOpenedAt: ts(row.first_opened),
    startDate: day(row.start_date),
  }));
}

/**
 * Per team, per sales-trap period: won value, open pipeline at the period's
 * end, new pipeline. `settingsOf` gives a team its own periods (a team may set
 * them); teams sharing periods are summed in one pass.
 */
export async function loadTeamPeriods(
  query: Query,
  scope: ReviewScope,
  settings: RuleSettings,
  asOf: Date,
  currency: string,
  settingsOf?: (teamId: string) => RuleSettings,
): Promise<TeamFacts[]> {
  const teams = await query<{ id: string; name: string }>(
    scope.teamId ? `SELECT id, name FROM "Team" WHERE id = $1` : `SELECT id, name FROM "Team" ORDER BY name`,
    scope.teamId ? [scope.teamId] : [],
  );
  if (teams.length === 0) return [];
  const teamsByPeriods = new Map<string, { windows: PeriodWindow[]; teamIds: Set<string> }>();
  for (const team of teams) {
    const own = settingsOf?.(team.id) ?? settings;
    const key = `${own.salesTrapPeriodDays}×${own.salesTrapTrailingPeriods}`;
    const group = teamsByPeriods.get(key);
    if (group) group.teamIds.add(team.id);
    else teamsByPeriods.set(key, { windows: salesTrapPeriods(asOf, own), teamIds: new Set([team.id]) });
  }
  const facts = new Map<string, TeamFacts>();
  for (const { windows, teamIds } of teamsByPeriods.values()) {
    const byTeam = await sumTeamPeriods(query, windows, asOf);
    for (const team of teams) {
      if (!teamIds.has(team.id)) continue;
      facts.set(team.id, {
        id: team.id,
        name: team.name,
        currency,
        periods: byTeam.get(team.id) ?? windows.map(() => ({ wonCents: 0, openPipelineCents: 0, newPipelineCents: 0 })),
      });
    }
  }
  return teams.flatMap((team) => facts.get(team.id) ?? []);
}

/**
 * The periods' sums for every team. What counts (nothing after asOf):
 * - won: deals won in the period, for the team that won them (closedTeamId);
 * - open pipeline at a period's end: deals open, won or lost, opened before
 *   that end and not closed by then (closed after asOf: not yet), for the
 *   owner's team; deals since returned to prospecting are left out (we do not
 *   know when they left);
 * - new pipeline: deals of any status opened in the period, owner's team.
 *
 * The periods are contiguous, so each deal is placed once by two numbers —
 * how many period edges it was opened at or after, and closed at or after
 * (width_bucket) — and each period's test compares small integers; summed
 * per rep, then per team. The (ownerId, openedAt) index's INCLUDE columns
 * hold all the pass needs, so on a vacuumed table it reads the index alone
 * (with many pages changed since the last VACUUM the planner reads the table).
 */
async function sumTeamPeriods(
  query: Query,
  windows: readonly PeriodWindow[],
  asOf: Date,
): Promise<Map<string, TeamPeriod[]>> {
  // edges[i] is period i's first UTC midnight; the last edge is the midnight
  // ending the last period (windows[i].until === windows[i + 1].from).
  const edges = [...windows.map((window) => window.from), windows[windows.length - 1]?.until as Date];
  // (SELECT $2…): the edges parsed once (an InitPlan); a bare cast is parsed again on every row.
  const bucket = (instant: string) => `width_bucket(${instant}, (SELECT $2::text::timestamptz[]))`;
  const params = [asOf, pgArray(edges.map((edge) => edge.toISOString()))];
  // Period i runs from edges[i] to edges[i + 1]: opened in it when opened_in = i + 1; open at
  // its end when opened before that end (opened_in <= i + 1) and not closed before it
  // (closed_in >= i + 2, or not closed by asOf).
  const perRep = windows.flatMap((_window, index) => [
    `sum(amount) FILTER (WHERE opened_in = ${index + 1}) AS created_${index}`,
    `sum(amount) FILTER (WHERE counts_open AND opened_in <= ${index + 1}
                          AND (closed_in IS NULL OR closed_in >= ${index + 2})) AS open_${index}`,
  ]);
  const perTeam = windows.flatMap((_window, index) =>
    ["created", "open"].map((sum) => `round(coalesce(sum(${sum}_${index}), 0) * 100)::int8 AS ${sum}_${index}`),
  );
  const pipelineColumns = ["team_id", ...windows.flatMap((_window, index) => [`created_${index}`, `open_${index}`])];
  const [pipeline, won] = await Promise.all([
    columnRows<Record<string, string | number>>(
      query,
      `WITH by_rep AS (
         SELECT rep_id, ${perRep.join(", ")}
           FROM (SELECT o."ownerId" AS rep_id, ${bucket('o."openedAt"')} AS opened_in,
                        ${bucket(`CASE WHEN o."closedAt" <= $1 THEN o."closedAt" END`)} AS closed_in,
                        o.status IN ('open', 'won', 'lost') AS counts_open, o.amount
                   FROM "Opportunity" o
                  WHERE o."openedAt" <= $1
                 -- OFFSET 0 keeps this a subquery: merged into the sums, each FILTER would place the deal again.
                 OFFSET 0) deals
          GROUP BY rep_id
       )
       SELECT u."teamId" AS team_id, ${perTeam.join(", ")}
         FROM by_rep r JOIN "User" u ON u.id = r.rep_id
        WHERE u."teamId" IS NOT NULL
        GROUP BY u."teamId"`,
      params,
      pipelineColumns,
    ),
    columnRows<{ team_id: string; closed_in: number; cents: number }>(
      query,
      `SELECT o."closedTeamId" AS team_id, ${bucket('o."closedAt"')} AS closed_in,
              round(sum(o.amount) * 100)::int8 AS cents
         FROM "Opportunity" o
        WHERE o.status = 'won' AND o."closedTeamId" IS NOT NULL AND o."openedAt" <= $1
          AND o."closedAt" >= $3 AND o."closedAt" <= $1
        GROUP BY 1, 2`,
      [...params, edges[0]],
      ["team_id", "closed_in", "cents"],
    ),
  ]);

  const byTeam = new Map<string, TeamPeriod[]>();
  const periodsOf = (teamId: string) => {
    let periods = byTeam.get(teamId);
    if (!periods) {
      periods = windows.map(() => ({ wonCents: 0, openPipelineCents: 0, newPipelineCents: 0 }));
      byTeam.set(teamId, periods);
    }
    return periods;
  };
  for (const row of pipeline) {
    periodsOf(String(row.team_id)).forEach((period, index) => {
      period.openPipelineCents = Number(row[`open_${index}`]);
      period.newPipelineCents = Number(row[`created_${index}`]);
    });
  }
  for (const row of won) {
    // Won in period i when edges[i] <= closedAt < edges[i + 1]: closed_in = i + 1.
    const wonPeriod = periodsOf(row.team_id)[row.closed_in - 1];
    if (wonPeriod) wonPeriod.wonCents += Number(row.cents);
  }
  return byTeam;
}
