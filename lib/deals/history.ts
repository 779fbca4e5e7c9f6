// The history rows behind every change to a deal, shared by the people-facing
// actions (lib/deals/mutations.ts) and the CSV import (lib/import), so an
// imported change looks exactly like one a person made. All functions take
// the open transaction; none of them commits.
import type { DbClient } from "@/lib/db";
import type { DealStatus, StageDirection } from "@/lib/generated/prisma/enums";

export interface StageMove {
  opportunityId: number;
  fromStageId: number | null;
  toStageId: number | null;
  fromStatus: DealStatus | null;
  toStatus: DealStatus;
  direction: StageDirection;
  at: Date;
  byId: string | null;
  reason?: string | null;
}

export async function recordStageMoves(client: DbClient, moves: StageMove[]): Promise<void> {
  if (moves.length === 0) return;
  await client.stageChange.createMany({
    data: moves.map((move) => ({ ...move, reason: move.reason ?? null })),
  });
}

/** forward / back between open stages, by stage order. */
export function directionBetween(fromOrder: number, toOrder: number): StageDirection {
  return toOrder >= fromOrder ? "forward" : "back";
}

export interface CloseDateEdit {
  opportunityId: number;
  fromDate: Date | null;
  toDate: Date | null;
  at: Date;
  byId: string | null;
}

/** A later expected close date than before is a push (a slip). */
export function isCloseDatePush(fromDate: Date | null, toDate: Date | null): boolean {
  return fromDate !== null && toDate !== null && toDate.getTime() > fromDate.getTime();
}

export async function recordCloseDateEdits(client: DbClient, edits: CloseDateEdit[]): Promise<void> {
  if (edits.length === 0) return;
  await client.closeDateChange.createMany({
    data: edits.map((edit) => ({ ...edit, isPush: isCloseDatePush(edit.fromDate, edit.toDate) })),
  });
}

export interface AmountEdit {
  opportunityId: number;
  fromAmount: string | null;
  toAmount: string;
  at: Date;
  byId: string | null;
}

export async function recordAmountEdits(client: DbClient, edits: AmountEdit[]): Promise<void> {
  if (edits.length === 0) return;
  await client.amountChange.createMany({ data: edits });
}

/**
 * Recomputes the rollup columns of the given deals from their history rows,
 * in one statement whatever the number of deals: last activity (any side,
 * buyer, seller), last forward move, close-date push count, and the time the
 * deal entered its current stage (the latest move into it; null when no
 * stage change records it — an import without stage history — rather than an
 * invented openedAt: stuck-in-stage then says "not judged"). The any-side last
 * activity is the later of the activities and the last-activity date a CRM's
 * deals export gave (crmLastActivityAt), so recomputing never wipes the file's
 * date; the buyer and seller rollups come from activities only (the file's
 * date says no side).
 */
/** Groups of rollup columns, by the history rows they are computed from. */
export type RollupPart = "activity" | "stage" | "pushes";
const ALL_ROLLUPS: readonly RollupPart[] = ["activity", "stage", "pushes"];

/** SQL expressions for the deal whose rollups are computed: its id and the columns they depend on. */
export interface RollupDeal {
  id: string;
  stageId: string;
  status: string;
  openedAt: string;
  crmLastActivityAt: string;
}

/** The deal's own columns, for an UPDATE of "Opportunity" AS o. */
const STORED_DEAL: RollupDeal = {
  id: "o.id",
  stageId: 'o."stageId"',
  status: "o.status",
  openedAt: 'o."openedAt"',
  crmLastActivityAt: 'o."crmLastActivityAt"',
};

/**
 * The SET assignments that recompute these rollup parts of `deal`, as
 * correlated subqueries — so an UPDATE that writes a deal's new values can
 * recompute its rollups in the same row version (the import: one write per
 * deal, not two). `deal` names the values the deal will have: an UPDATE's
 * subqueries see the row as it was.
 */
export function rollupAssignments(parts: readonly RollupPart[], deal: RollupDeal): string[] {
  const sets: string[] = [];
  if (parts.includes("activity")) {
    sets.push(
      `("lastActivityAt", "lastBuyerActivityAt", "lastSellerActivityAt") = (
         SELECT GREATEST(max(a.at), ${deal.crmLastActivityAt}), max(a.at) FILTER (WHERE a.side = 'buyer'),
                max(a.at) FILTER (WHERE a.side = 'seller')
           FROM "Activity" a WHERE a."opportunityId" = ${deal.id})`,
    );
  }
  if (parts.includes("stage")) {
    sets.push(
      `"lastForwardMoveAt" = (SELECT max(s.at) FROM "StageChange" s
                               WHERE s."opportunityId" = ${deal.id} AND s.direction = 'forward')`,
      `"stageEnteredAt" = (SELECT max(s.at) FROM "StageChange" s
                            WHERE s."opportunityId" = ${deal.id} AND s."toStageId" = ${deal.stageId}
                              AND s."toStatus" = ${deal.status} AND s.at >= ${deal.openedAt})`,
    );
  }
  if (parts.includes("pushes")) {
    sets.push(
      `"closeDatePushCount" = (SELECT count(*)::int FROM "CloseDateChange" c
                                WHERE c."opportunityId" = ${deal.id} AND c."isPush")`,
    );
  }
  return sets;
}

export async function refreshRollups(
  client: DbClient,
  opportunityIds: number[],
  /** Only these columns (an import knows which history it added); all by default. */
  parts: readonly RollupPart[] = ALL_ROLLUPS,
): Promise<void> {
  if (opportunityIds.length === 0 || parts.length === 0) return;
  await client.$executeRawUnsafe(
    `UPDATE "Opportunity" AS o SET ${rollupAssignments(parts, STORED_DEAL).join(", ")}
      WHERE o.id = ANY($1::int[])`,
    opportunityIds,
  );
}
