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

export async function refreshRollups(
  client: DbClient,
  opportunityIds: number[],
  /** Only these columns (an import knows which history it added); all by default. */
  parts: readonly RollupPart[] = ALL_ROLLUPS,
): Promise<void> {
  if (opportunityIds.length === 0 || parts.length === 0) return;
  const sets: string[] = [];
  const columns: string[] = [];
  if (parts.includes("activity")) {
    sets.push(
      `"lastActivityAt" = GREATEST(r.last_any, o."crmLastActivityAt")`,
      `"lastBuyerActivityAt" = r.last_buyer`,
      `"lastSellerActivityAt" = r.last_seller`,
    );
    columns.push(
      `(SELECT max(a.at) FROM "Activity" a WHERE a."opportunityId" = o2.id) AS last_any`,
      `(SELECT max(a.at) FROM "Activity" a WHERE a."opportunityId" = o2.id AND a.side = 'buyer') AS last_buyer`,
      `(SELECT max(a.at) FROM "Activity" a WHERE a."opportunityId" = o2.id AND a.side = 'seller') AS last_seller`,
    );
  }
  if (parts.includes("stage")) {
    sets.push(`"lastForwardMoveAt" = r.last_forward`, `"stageEnteredAt" = r.entered_stage`);
    columns.push(
      `(SELECT max(s.at) FROM "StageChange" s WHERE s."opportunityId" = o2.id AND s.direction = 'forward') AS last_forward`,
      `(SELECT max(s.at) FROM "StageChange" s
          WHERE s."opportunityId" = o2.id AND s."toStageId" = o2."stageId" AND s."toStatus" = o2.status
            AND s.at >= o2."openedAt") AS entered_stage`,
    );
  }
  if (parts.includes("pushes")) {
    sets.push(`"closeDatePushCount" = r.pushes`);
    columns.push(
      `(SELECT count(*)::int FROM "CloseDateChange" c WHERE c."opportunityId" = o2.id AND c."isPush") AS pushes`,
    );
  }
  await client.$executeRawUnsafe(
    `UPDATE "Opportunity" AS o SET ${sets.join(", ")}
     FROM (SELECT o2.id, ${columns.join(", ")} FROM "Opportunity" o2 WHERE o2.id = ANY($1::int[])) AS r
     WHERE o.id = r.id`,
    opportunityIds,
  );
}
