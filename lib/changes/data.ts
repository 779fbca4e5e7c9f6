// Reads for "what changed": the deals of the viewer's scope that could have
// moved between `from` and `to`, with their history after `from`, handed to
// the pure movements code (./movements.ts). A fixed number of queries.
//
// Which deals: open now, closed or opened after `from`, or with a stage,
// amount or close-date change or a flag episode after `from`. Any other deal
// was in the same state, outside the pipeline, at both ends (its state is
// read back from its current row), so it cannot move a number.
import "server-only";
import { visibleUsersWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { columnRows, epochMs, pgArray, prismaQuery, type Query } from "@/lib/db/bulk-sql";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  computeChanges,
  type DealHistory,
  type DealStatus,
  emptyChanges,
  type FlagSeverity,
  type MovementKind,
  type PipelineChanges,
  type StageChangeHistory,
} from "./movements";
import { sinceLastMeeting } from "./window";

export interface TeamChanges {
  /** Null: reps without a team. */
  teamId: string | null;
  teamName: string;
  changes: PipelineChanges;
}

export interface RepChanges {
  repId: string;
  repName: string;
  teamId: string | null;
  teamName: string | null;
  changes: PipelineChanges;
}

export interface WhatChanged {
  from: Date;
  to: Date;
  /** The viewer's whole scope (narrowed by teamId / repId when given). */
  total: PipelineChanges;
  /** Teams by name, "No team" last. */
  teams: TeamChanges[];
  /** Active reps of the scope (also those with nothing changed) and any other owner of a deal that moved, by team then name. */
  reps: RepChanges[];
}

export interface ChangesWindow {
  from: Date;
  to: Date;
  teamId?: string;
  repId?: string;
}

const NO_TEAM = "No team";

/**
 * What changed in the viewer's scope between two instants: totals, per team
 * and per rep, each movement with its count, value and deals. A team or rep
 * outside the viewer's scope reads as empty, naming nothing.
 */
export async function getWhatChanged(
  viewer: Viewer,
  window: { from: Date; to: Date; teamId?: string; repId?: string },
  client: DbClient = db,
): Promise<WhatChanged> {
  if (!(window.from.getTime() < window.to.getTime()))
    throw new RangeError(
      `What changed needs a start before its end (from ${window.from.toISOString()}, to ${window.to.toISOString()}).`,
    );
  const people = await client.user.findMany({
    where: { AND: [visibleUsersWhere(viewer), ...peopleFilters(window)] },
    select: {
      id: true,
      name: true,
      role: true,
      active: true,
      teamId: true,
      team: { select: { name: true } },
    },
  });
  // An admin looking at everything needs no owner list (and none of 2,000 ids).
  const everyone = viewer.role === "admin" && !window.teamId && !window.repId;
  const deals =
    people.length === 0 ? [] : await loadDealHistories(prismaQuery(client), window, everyone ? null : people);
  const changes = computeChanges(deals, window);

  const teamNames = new Map(people.map((person) => [person.teamId ?? "", person.team?.name ?? NO_TEAM]));
  const teams: TeamChanges[] = [...changes.byTeam.entries()]
    .map(([teamId, teamChanges]) => ({
      teamId: teamId || null,
      teamName: teamNames.get(teamId) ?? NO_TEAM,
      changes: teamChanges,
    }))
    .sort(byTeamName);

  const reps: RepChanges[] = people
    .filter((person) => changes.byRep.has(person.id) || (person.role === "rep" && person.active))
    .map((person) => ({
      repId: person.id,
      repName: person.name,
      teamId: person.teamId,
      teamName: person.team?.name ?? null,
      changes: changes.byRep.get(person.id) ?? emptyChanges(),
    }))
    .sort((a, b) => byTeamName(a, b) || a.repName.localeCompare(b.repName));

  return { from: window.from, to: window.to, total: changes.total, teams, reps };
}

function peopleFilters(window: ChangesWindow): Prisma.UserWhereInput[] {
  const filters: Prisma.UserWhereInput[] = [];
  if (window.teamId) filters.push({ teamId: window.teamId });
  if (window.repId) filters.push({ id: window.repId });
  return filters;
}

function byTeamName(a: { teamName: string | null }, b: { teamName: string | null }): number {
  if ((a.teamName ?? NO_TEAM) === (b.teamName ?? NO_TEAM)) return 0;
  if (a.teamName === null || a.teamName === NO_TEAM) return 1;
  if (b.teamName === null || b.teamName === NO_TEAM) return -1;
  return a.teamName.localeCompare(b.teamName);
}

// ---------------------------------------------------------------------------
// The deals that could have moved, and their history after `from`.

interface DealRow {
  id: number;
  owner_id: string;
  team_id: string | null;
  status: DealStatus;
  amount_cents: number;
  opened_at: number | null;
  closed_at: number | null;
}

const DEAL_COLUMNS = ["id", "owner_id", "team_id", "status", "amount_cents", "opened_at", "closed_at"] as const;

/** Deal ids per statement, so no parameter grows without bound. */
const DEALS_PER_QUERY = 20_000;

async function loadDealHistories(
  query: Query,
  window: ChangesWindow,
  owners: { id: string }[] | null,
): Promise<DealHistory[]> {
  const from = window.from.toISOString();
  const to = window.to.toISOString();
  const params: unknown[] = [from, to];
  let ownerFilter = "";
  if (owners) {
    params.push(pgArray(owners.map((owner) => owner.id)));
    ownerFilter = `AND o."ownerId" IN (SELECT unnest($3::text::text[]))`;
  }
  const rows = await columnRows<DealRow>(
    query,
    `SELECT o.id, o."ownerId" AS owner_id, u."teamId" AS team_id, o.status::text AS status,
            round(o.amount * 100)::int8 AS amount_cents,
            ${epochMs('o."openedAt"')} AS opened_at, ${epochMs('o."closedAt"')} AS closed_at
       FROM "Opportunity" o
       JOIN "User" u ON u.id = o."ownerId"
      WHERE (o.status = 'open' OR o."closedAt" > $1::timestamptz OR o."openedAt" > $1::timestamptz
             OR EXISTS (SELECT 1 FROM "StageChange" s WHERE s."opportunityId" = o.id AND s.at > $1::timestamptz)
             OR EXISTS (SELECT 1 FROM "AmountChange" a WHERE a."opportunityId" = o.id AND a.at > $1::timestamptz)
             OR EXISTS (SELECT 1 FROM "CloseDateChange" c WHERE c."opportunityId" = o.id
                         AND c.at > $1::timestamptz AND c.at <= $2::timestamptz)
             OR EXISTS (SELECT 1 FROM "Flag" f WHERE f."opportunityId" = o.id AND ${flagOverlapsWindow("f")}))
        ${ownerFilter}
      ORDER BY o.id`,
    params,
    DEAL_COLUMNS,
  );
  if (rows.length === 0) return [];

  const deals = new Map<number, DealHistory>();
  for (const row of rows) {
    deals.set(row.id, {
      id: row.id,
      ownerId: row.owner_id,
      teamId: row.team_id,
      status: row.status,
      amountCents: Number(row.amount_cents),
      openedAt: row.opened_at === null ? null : new Date(row.opened_at),
      closedAt: row.closed_at === null ? null : new Date(row.closed_at),
      stageChanges: [],
      amountChanges: [],
      closeDateChanges: [],
      flags: [],
    });
  }
  const dealOf = (id: number) => deals.get(id) as DealHistory;

  for (let start = 0; start < rows.length; start += DEALS_PER_QUERY) {
    const ids = pgArray(rows.slice(start, start + DEALS_PER_QUERY).map((row) => row.id));
    const [stageChanges, amountChanges, closeDateChanges, flags] = await Promise.all([
      columnRows<{
        deal_id: number;
        at: number;
        from_status: DealStatus | null;
        to_status: DealStatus;
        direction: string;
      }>(
        query,
        `SELECT s."opportunityId" AS deal_id, ${epochMs("s.at")} AS at, s."fromStatus"::text AS from_status,
                s."toStatus"::text AS to_status, s.direction::text AS direction
           FROM "StageChange" s
          WHERE s."opportunityId" IN (SELECT unnest($2::text::int[])) AND s.at > $1::timestamptz
          ORDER BY s.at, s.id`,
        [from, ids],
        ["deal_id", "at", "from_status", "to_status", "direction"],
      ),
      columnRows<{ deal_id: number; at: number; from_cents: number | null; to_cents: number }>(
        query,
        `SELECT a."opportunityId" AS deal_id, ${epochMs("a.at")} AS at,
                round(a."fromAmount" * 100)::int8 AS from_cents, round(a."toAmount" * 100)::int8 AS to_cents
           FROM "AmountChange" a
          WHERE a."opportunityId" IN (SELECT unnest($2::text::int[])) AND a.at > $1::timestamptz
          ORDER BY a.at, a.id`,
        [from, ids],
        ["deal_id", "at", "from_cents", "to_cents"],
      ),
      columnRows<{ deal_id: number; at: number; from_date: string | null; to_date: string | null; is_push: boolean }>(
        query,
        `SELECT c."opportunityId" AS deal_id, ${epochMs("c.at")} AS at, c."fromDate"::text AS from_date,
                c."toDate"::text AS to_date, c."isPush" AS is_push
           FROM "CloseDateChange" c
          WHERE c."opportunityId" IN (SELECT unnest($3::text::int[]))
            AND c.at > $1::timestamptz AND c.at <= $2::timestamptz
          ORDER BY c.at, c.id`,
        [from, to, ids],
        ["deal_id", "at", "from_date", "to_date", "is_push"],
      ),
      columnRows<{ deal_id: number; started_at: number; ended_at: number | null; severity: FlagSeverity }>(
        query,
        `SELECT f."opportunityId" AS deal_id, ${epochMs('f."startedAt"')} AS started_at,
                ${epochMs('f."endedAt"')} AS ended_at, f.severity::text AS severity
           FROM "Flag" f
          WHERE f."opportunityId" IN (SELECT unnest($3::text::int[])) AND ${flagOverlapsWindow("f")}`,
        [from, to, ids],
        ["deal_id", "started_at", "ended_at", "severity"],
      ),
    ]);
    for (const row of stageChanges)
      dealOf(row.deal_id).stageChanges.push({
        at: new Date(row.at),
        fromStatus: row.from_status,
        toStatus: row.to_status,
        direction: row.direction as StageChangeHistory["direction"],
      });
    for (const row of amountChanges)
      dealOf(row.deal_id).amountChanges.push({
        at: new Date(row.at),
        fromCents: row.from_cents === null ? null : Number(row.from_cents),
        toCents: Number(row.to_cents),
      });
    for (const row of closeDateChanges)
      dealOf(row.deal_id).closeDateChanges.push({
        at: new Date(row.at),
        fromDate: row.from_date ? new Date(`${row.from_date}T00:00:00Z`) : null,
        toDate: row.to_date ? new Date(`${row.to_date}T00:00:00Z`) : null,
        isPush: row.is_push,
      });
    for (const row of flags)
      dealOf(row.deal_id).flags.push({
        startedAt: new Date(row.started_at),
        endedAt: row.ended_at === null ? null : new Date(row.ended_at),
        severity: row.severity,
      });
  }
  return [...deals.values()];
}

/**
 * A flag episode that may decide "flagged at from" or "flagged at to" (flagged
 * at t: startedAt <= t and (endedAt is null or endedAt > t)): started by `to`
 * and not ended by `from`. $1 = from, $2 = to.
 */
function flagOverlapsWindow(alias: string): string {
  return `${alias}."startedAt" <= $2::timestamptz AND (${alias}."endedAt" IS NULL OR ${alias}."endedAt" > $1::timestamptz)`;
}

// ---------------------------------------------------------------------------
// Meeting mode's window.

/**
 * Since the previous meeting: the latest review over the viewer's meeting
 * scope (their team's, or an organisation-wide one), other than the current
 * one, with a decision recorded against it; its as-of instant starts the
 * window. Without one: the last 7 days.
 */
export async function getMeetingChangesWindow(
  viewer: Viewer,
  asOf: Date,
  currentReviewId: number | null,
  client: DbClient = db,
): Promise<{ from: Date; to: Date; previousMeeting: { reviewId: number; asOf: Date } | null }> {
  const scope: Prisma.ReviewWhereInput =
    viewer.role === "admin"
      ? {}
      : viewer.teamId
        ? { OR: [{ teamId: viewer.teamId }, { teamId: null }] }
        : { teamId: null };
  const previous = await client.review.findFirst({
    where: {
      AND: [
        scope,
        { asOf: { lt: asOf } },
        { decisions: { some: {} } },
        ...(currentReviewId === null ? [] : [{ id: { not: currentReviewId } }]),
      ],
    },
    orderBy: { id: "desc" },
    select: { id: true, asOf: true },
  });
  const window = sinceLastMeeting(asOf, previous?.asOf ?? null);
  return { ...window, previousMeeting: previous ? { reviewId: previous.id, asOf: previous.asOf } : null };
}

// ---------------------------------------------------------------------------
// The deals behind one number (/changes).

export interface ChangedDeal {
  id: number;
  name: string;
  accountName: string | null;
  ownerName: string;
  stageName: string;
  status: DealStatus;
  /** This deal's part of the movement's value (cents). */
  valueCents: number;
}

/** The deals behind one movement of the viewer's scope, in the order of the movement's deal ids. */
export async function listChangedDeals(
  viewer: Viewer,
  window: ChangesWindow & { movement: MovementKind },
  client: DbClient = db,
): Promise<{ changes: WhatChanged; deals: ChangedDeal[] }> {
  const changes = await getWhatChanged(viewer, window, client);
  const movement = changes.total.movements[window.movement];
  const rows = await client.opportunity.findMany({
    where: { id: { in: movement.dealIds } },
    select: {
      id: true,
      name: true,
      status: true,
      account: { select: { name: true } },
      owner: { select: { name: true } },
      stage: { select: { name: true } },
    },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const deals = movement.dealIds.flatMap((id, index) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        id,
        name: row.name,
        accountName: row.account?.name ?? null,
        ownerName: row.owner.name,
        stageName: row.stage.name,
        status: row.status,
        valueCents: movement.dealValuesCents[index] ?? 0,
      },
    ];
  });
  return { changes, deals };
}
