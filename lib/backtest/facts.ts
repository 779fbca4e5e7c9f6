// The back-test's one read: every deal closed (won or lost) in the window
// [asOf − windowDays, asOf) with the history the replay needs — its stage
// moves and its activities (when, which side) — plus every deal won before
// asOf and their stage stints, so the replay can rebuild the average cycle and
// the stage medians as they stood on each day of each deal's life.
//
// One query per table, read column by column (json_agg per column: STACK.md,
// PGlite hands values to JavaScript slowly one by one). Nothing is written.
import "server-only";
import { columnRows, epochMs, type Query } from "@/lib/db/bulk-sql";
import { MS_PER_DAY } from "@/lib/rules/days";
import type { RuleSettings } from "@/lib/rules/settings";
import type { TeamRef, WonDealFacts, WonStageStint } from "@/lib/rules/statistics";
import type { BacktestFacts, ClosedDealHistory, StageRef } from "./replay";

export interface BacktestWindow {
  asOf: Date;
  windowDays: number;
  /** Only deals closed by this team (the owner's team when they closed); null: the organisation. */
  teamId: string | null;
}

/** The first instant of the window: deals closed at or after it, and before asOf, are replayed. */
export function windowStart(window: Pick<BacktestWindow, "asOf" | "windowDays">): Date {
  return new Date(window.asOf.getTime() - window.windowDays * MS_PER_DAY);
}

const ts = (value: number | null): Date | null => (value === null ? null : new Date(value));

/**
 * A read as one JSON array per column, left as arrays (columnRows without
 * the row objects): for the hundred thousand activities of ten thousand
 * closed deals the objects cost more than the query.
 */
async function columnArrays<Column extends string>(
  query: Query,
  sql: string,
  params: unknown[],
  columns: readonly Column[],
): Promise<Record<Column, unknown[]>> {
  const [result] = await query<Record<string, string | null>>(
    `SELECT ${columns.map((column) => `json_agg(t."${column}")::text AS "${column}"`).join(", ")} FROM (${sql}) t`,
    params,
  );
  return Object.fromEntries(
    columns.map((column) => [column, JSON.parse(result?.[column] ?? "[]") as unknown[]]),
  ) as Record<Column, unknown[]>;
}

export async function loadBacktestFacts(
  query: Query,
  settings: RuleSettings,
  window: BacktestWindow,
): Promise<BacktestFacts> {
  const from = windowStart(window);
  const params: unknown[] = [from, window.asOf];
  let teamFilter = "";
  if (window.teamId) {
    params.push(window.teamId);
    teamFilter = `AND o."closedTeamId" = $3`;
  }
  // The deals replayed. A deal whose opened date is unknown has no age to
  // judge: it is counted (datesUnknown), not replayed.
  const closedIn = `o.status IN ('won', 'lost') AND o."closedAt" >= $1 AND o."closedAt" < $2 ${teamFilter}`;

  const [deals, undated, moves, activities, teams, stages, anyActivity] = await Promise.all([
    columnRows<{
      id: number;
      team_id: string | null;
      stage_id: number;
      won: boolean;
      amount_cents: number;
      opened_at: number;
      closed_at: number;
    }>(
      query,
      `SELECT o.id, o."closedTeamId" AS team_id, o."stageId" AS stage_id, o.status = 'won' AS won,
              round(o.amount * 100)::int8 AS amount_cents,
              ${epochMs('o."openedAt"')} AS opened_at, ${epochMs('o."closedAt"')} AS closed_at
         FROM "Opportunity" o
        WHERE ${closedIn} AND o."openedAt" IS NOT NULL
        ORDER BY o.id`,
      params,
      ["id", "team_id", "stage_id", "won", "amount_cents", "opened_at", "closed_at"],
    ),
    query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "Opportunity" o WHERE ${closedIn} AND o."openedAt" IS NULL`,
      params,
    ),
    // Moves into an open stage (where the deal then sat) and forward moves
    // (progress); the close itself is not part of the deal's open life.
    columnRows<{ deal_id: number; at: number; stage_id: number | null; open: boolean; forward: boolean }>(
      query,
      `SELECT s."opportunityId" AS deal_id, ${epochMs("s.at")} AS at, s."toStageId" AS stage_id,
              s."toStatus" = 'open' AS open, s.direction = 'forward' AS forward
         FROM "StageChange" s JOIN "Opportunity" o ON o.id = s."opportunityId"
        WHERE ${closedIn} AND s.at < o."closedAt"
        ORDER BY s."opportunityId", s.at, s.id`,
      params,
      ["deal_id", "at", "stage_id", "open", "forward"],
    ),
    // The biggest read (about ten activities a deal): columns as arrays, no
    // row objects, no sort in SQL — each deal's few are sorted below.
    columnArrays(
      query,
      `SELECT a."opportunityId" AS deal_id, ${epochMs("a.at")} AS at, a.side = 'buyer' AS buyer
         FROM "Activity" a JOIN "Opportunity" o ON o.id = a."opportunityId"
        WHERE ${closedIn} AND a.at < o."closedAt"`,
      params,
      ["deal_id", "at", "buyer"] as const,
    ),
    query<TeamRef>(`SELECT id, name FROM "Team" ORDER BY name`),
    query<StageRef>(`SELECT id, name, "order", "maxDaysInStage" AS "maxDaysInStage" FROM "Stage" ORDER BY "order"`),
    query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM "Activity") AS any`),
  ]);

  // The yardsticks: deals won before asOf, as far back as the earliest day
  // any replayed deal was open minus the lookback (older wins never count).
  let earliestOpenedMs = from.getTime();
  for (const deal of deals) if (deal.opened_at < earliestOpenedMs) earliestOpenedMs = deal.opened_at;
  const wonSince = new Date(earliestOpenedMs - (settings.lookbackDays + 1) * MS_PER_DAY);
  const wonIn = `o.status = 'won' AND o."closedAt" >= $1 AND o."closedAt" < $2 AND o."openedAt" IS NOT NULL`;
  const [won, stints] = await Promise.all([
    columnRows<{ team_id: string | null; opened_at: number; closed_at: number }>(
      query,
      `SELECT o."closedTeamId" AS team_id, ${epochMs('o."openedAt"')} AS opened_at, ${epochMs('o."closedAt"')} AS closed_at
         FROM "Opportunity" o WHERE ${wonIn}`,
      [wonSince, window.asOf],
      ["team_id", "opened_at", "closed_at"],
    ),
    // Each stage a won deal passed through: from the move into it to the next
    // move (as lib/reviews/facts.ts loadCycleInputs reads them).
    columnRows<{ deal_id: number; stage_id: number; entered_at: number; left_at: number; closed_at: number }>(
      query,
      `SELECT deal_id, stage_id, entered_at, left_at, closed_at FROM (
         SELECT s."opportunityId" AS deal_id, s."toStageId" AS stage_id, s."toStatus" AS to_status,
                ${epochMs("s.at")} AS entered_at,
                ${epochMs('lead(s.at) OVER (PARTITION BY s."opportunityId" ORDER BY s.at, s.id)')} AS left_at,
                ${epochMs('o."closedAt"')} AS closed_at
           FROM "StageChange" s JOIN "Opportunity" o ON o.id = s."opportunityId"
          WHERE ${wonIn}
       ) t
       WHERE to_status = 'open' AND stage_id IS NOT NULL AND left_at IS NOT NULL`,
      [wonSince, window.asOf],
      ["deal_id", "stage_id", "entered_at", "left_at", "closed_at"],
    ),
  ]);

  const byDeal = new Map<number, ClosedDealHistory>();
  const closedDeals: ClosedDealHistory[] = deals.map((row) => {
    const deal: ClosedDealHistory = {
      id: row.id,
      teamId: row.team_id,
      lastStageId: row.stage_id,
      won: row.won,
      amountCents: Number(row.amount_cents),
      openedAt: new Date(row.opened_at),
      closedAt: new Date(row.closed_at),
      stageMoves: [],
      activities: [],
    };
    byDeal.set(row.id, deal);
    return deal;
  });
  for (const move of moves) {
    byDeal.get(move.deal_id)?.stageMoves.push({
      at: new Date(move.at),
      stageId: move.open ? move.stage_id : null,
      forward: move.forward,
    });
  }
  const activityDeals = activities.deal_id as number[];
  const activityTimes = activities.at as number[];
  const activityBuyer = activities.buyer as boolean[];
  for (let index = 0; index < activityDeals.length; index++) {
    byDeal
      .get(activityDeals[index] as number)
      ?.activities.push({ at: new Date(activityTimes[index] as number), buyer: activityBuyer[index] as boolean });
  }
  for (const deal of closedDeals) deal.activities.sort((a, b) => a.at.getTime() - b.at.getTime());

  const wonDeals: WonDealFacts[] = won.map((row) => ({
    teamId: row.team_id,
    openedAt: new Date(row.opened_at),
    closedAt: new Date(row.closed_at),
  }));
  const wonStageStints: WonStageStint[] = stints.map((row) => ({
    dealId: row.deal_id,
    stageId: row.stage_id,
    enteredAt: ts(row.entered_at) as Date,
    leftAt: ts(row.left_at) as Date,
    closedAt: ts(row.closed_at) as Date,
  }));

  return {
    closedDeals,
    datesUnknown: Number(undated[0]?.count ?? 0),
    teams,
    stages: stages.map((stage) => ({ ...stage, maxDaysInStage: stage.maxDaysInStage ?? null })),
    wonDeals,
    wonStageStints,
    activitiesRecorded: Boolean(anyActivity[0]?.any),
  };
}
