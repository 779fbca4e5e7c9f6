// Reads of the audit trail: every change by a person, newest first, with who
// made it, what it was about and its before → after. Scoped by the viewer:
// admins see everything; managers see the changes made by the people of their
// team, the changes about their team's deals, people and quotas, and every
// organisation-wide settings change (it affects them too); reps are refused.
//
// One query for a page of events with the actor's, deal's and person's names
// joined (no query per row), one for the total, one for the people to filter by.
// Instants come back as epoch milliseconds: the PGlite adapter shifts
// timestamptz values in raw query results by the local time zone.
import "server-only";
import { z } from "zod";
import { assertRole } from "@/lib/auth/permissions";
import { visibleTeamsWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

export const AUDIT_PAGE_SIZE = 50;

/** Kinds of change people filter by, each a group of AuditEvent.entityType values. */
export const AUDIT_KINDS = {
  deals: { label: "Deals", entityTypes: ["opportunity"] },
  reviews: { label: "Reviews", entityTypes: ["review"] },
  settings: { label: "Settings, stages and quotas", entityTypes: ["settings", "stage", "quota"] },
  people: { label: "People and teams", entityTypes: ["user", "team"] },
  imports: { label: "Imports", entityTypes: ["import"] },
} as const;
export type AuditKind = keyof typeof AUDIT_KINDS;

const READERS: Viewer["role"][] = ["admin", "manager"];

export function canReadAuditTrail(viewer: Viewer): boolean {
  return READERS.includes(viewer.role);
}

export interface AuditFilters {
  /** A deal's id ("123" or "#123") or part of its name. */
  deal?: string;
  /** Who made the change (a user id). */
  person?: string;
  /** First and last day included (UTC calendar days, "YYYY-MM-DD"). */
  from?: string;
  to?: string;
  kind?: AuditKind;
  page: number;
}

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => {
    const date = new Date(`${value}T00:00:00.000Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  })
  .optional()
  .catch(undefined);

const filtersSchema = z.object({
  deal: z.string().trim().min(1).max(200).optional().catch(undefined),
  person: z.string().trim().min(1).max(100).optional().catch(undefined),
  from: day,
  to: day,
  kind: z
    .enum(Object.keys(AUDIT_KINDS) as [AuditKind, ...AuditKind[]])
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The filters from the URL. A value that makes no sense (a date that is not
 * one, an unknown kind) is dropped and named in `ignored`, so the page can say
 * so instead of failing.
 */
export function parseAuditFilters(params: SearchParams): { filters: AuditFilters; ignored: string[] } {
  const first = (key: string) => {
    const value = params[key];
    const text = Array.isArray(value) ? value[0] : value;
    return text?.trim() ? text.trim() : undefined;
  };
  const raw = {
    deal: first("deal"),
    person: first("person"),
    from: first("from"),
    to: first("to"),
    kind: first("kind"),
    page: first("page"),
  };
  const filters = filtersSchema.parse(raw) as AuditFilters;
  const ignored = (["from", "to", "kind"] as const).filter((key) => raw[key] !== undefined && !filters[key]);
  if (filters.from && filters.to && filters.from > filters.to) {
    [filters.from, filters.to] = [filters.to, filters.from];
  }
  return { filters, ignored };
}

export interface AuditEntry {
  id: number;
  at: Date;
  /** Null for changes made by an import or the system. */
  actor: { id: string; name: string } | null;
  action: string;
  entityType: string;
  entityId: string;
  /** The deal the change was about, when it still exists. */
  deal: { id: number; name: string } | null;
  /** The person the change was about (people page changes). */
  subject: { id: string; name: string } | null;
  before: unknown;
  after: unknown;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
  page: number;
  pageCount: number;
  /** Everyone who made a change the viewer may see, for the person filter. */
  people: { id: string; name: string }[];
  /** Team ids the viewer may see → names, so a diff can show a team's name. */
  teamNames: Record<string, string>;
  /** "the whole organisation" / "the Central team". */
  scope: string;
}

/** The people whose changes (and whose deals' and accounts' changes) the viewer sees; null = everyone. */
function scopePeople(viewer: Viewer): Prisma.Sql | null {
  if (viewer.role === "admin") return null;
  return viewer.teamId
    ? Prisma.sql`SELECT id FROM "User" WHERE "teamId" = ${viewer.teamId}`
    : Prisma.sql`SELECT ${viewer.userId}::text`;
}

function scopeCondition(viewer: Viewer): Prisma.Sql {
  const people = scopePeople(viewer);
  if (!people) return Prisma.sql`TRUE`;
  // Organisation-wide settings (thresholds, stages, the as-of date) change what
  // every team sees, so every manager sees those changes; a quota change is
  // seen by the team of the rep it is for.
  return Prisma.sql`(
    e."actorId" IN (${people})
    OR (e."entityType" = 'opportunity'
        AND e."entityId" IN (SELECT o.id::text FROM "Opportunity" o WHERE o."ownerId" IN (${people})))
    OR (e."entityType" = 'user' AND e."entityId" IN (${people}))
    OR e."entityType" IN ('settings', 'stage')
    OR (e."entityType" = 'quota'
        AND e."entityId" IN (SELECT q.id::text FROM "Quota" q WHERE q."userId" IN (${people})))
  )`;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (match) => `\\${match}`);

function filterConditions(filters: AuditFilters): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filters.deal) {
    const id = /^#?(\d{1,9})$/.exec(filters.deal)?.[1];
    conditions.push(
      id
        ? Prisma.sql`(e."entityType" = 'opportunity' AND e."entityId" = ${String(Number(id))})`
        : Prisma.sql`(e."entityType" = 'opportunity' AND e."entityId" IN (
            SELECT o.id::text FROM "Opportunity" o WHERE o.name ILIKE ${`%${escapeLike(filters.deal)}%`}))`,
    );
  }
  if (filters.person) conditions.push(Prisma.sql`e."actorId" = ${filters.person}`);
  // Instants go in as epoch seconds, not ISO text: any valid calendar day then
  // works, including 0000-01-01 and the day after 9999-12-31 ("+010000-…" as
  // ISO text is not a timestamp PostgreSQL reads).
  if (filters.from) {
    conditions.push(Prisma.sql`e.at >= to_timestamp(${Date.parse(`${filters.from}T00:00:00.000Z`) / 1000}::float8)`);
  }
  if (filters.to) {
    const next = Date.parse(`${filters.to}T00:00:00.000Z`) + 86_400_000;
    conditions.push(Prisma.sql`e.at < to_timestamp(${next / 1000}::float8)`);
  }
  if (filters.kind) {
    const types = AUDIT_KINDS[filters.kind].entityTypes as readonly string[];
    conditions.push(Prisma.sql`e."entityType" IN (${Prisma.join(types)})`);
  }
  return conditions;
}

interface EntryRow {
  id: number;
  at_ms: number;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  dealId: number | null;
  dealName: string | null;
  subjectName: string | null;
}

export async function getAuditPage(viewer: Viewer, filters: AuditFilters, client: DbClient = db): Promise<AuditPage> {
  assertRole(viewer, READERS, "read the audit trail");
  const scoped = scopeCondition(viewer);
  const where = Prisma.join([scoped, ...filterConditions(filters)], " AND ");

  const [countRows, actors, teams] = await Promise.all([
    client.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM "AuditEvent" e WHERE ${where}`,
    client.$queryRaw<{ id: string; name: string }[]>`
      SELECT u.id, u.name FROM "User" u
      WHERE u.id IN (SELECT DISTINCT e."actorId" FROM "AuditEvent" e WHERE e."actorId" IS NOT NULL AND ${scoped})
      ORDER BY u.name, u.id`,
    client.team.findMany({ where: visibleTeamsWhere(viewer), select: { id: true, name: true } }),
  ]);
  const total = countRows[0]?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(filters.page, pageCount);

  const rows =
    total === 0
      ? []
      : await client.$queryRaw<EntryRow[]>`
          WITH page AS (
            SELECT e.id, e.at, e."actorId", e.action, e."entityType", e."entityId", e.before, e.after
            FROM "AuditEvent" e
            WHERE ${where}
            ORDER BY e.at DESC, e.id DESC
            LIMIT ${AUDIT_PAGE_SIZE} OFFSET ${(page - 1) * AUDIT_PAGE_SIZE}
          )
          SELECT p.id, (extract(epoch FROM p.at) * 1000)::float8 AS at_ms, p."actorId", a.name AS "actorName",
                 p.action, p."entityType", p."entityId", p.before, p.after,
                 o.id AS "dealId", o.name AS "dealName", s.name AS "subjectName"
          FROM page p
          LEFT JOIN "User" a ON a.id = p."actorId"
          LEFT JOIN "Opportunity" o ON p."entityType" = 'opportunity' AND o.id::text = p."entityId"
          LEFT JOIN "User" s ON p."entityType" = 'user' AND s.id = p."entityId"
          ORDER BY p.at DESC, p.id DESC`;

  return {
    entries: rows.map((row) => ({
      id: Number(row.id),
      at: new Date(row.at_ms),
      actor: row.actorId ? { id: row.actorId, name: row.actorName ?? "Unknown person" } : null,
      action: row.action,
      entityType: row.entityType,
      entityId: row.entityId,
      deal: row.dealId !== null && row.dealName !== null ? { id: Number(row.dealId), name: row.dealName } : null,
      subject: row.entityType === "user" && row.subjectName ? { id: row.entityId, name: row.subjectName } : null,
      before: row.before,
      after: row.after,
    })),
    total,
    page,
    pageCount,
    people: actors,
    teamNames: Object.fromEntries(teams.map((team) => [team.id, team.name])),
    scope: viewer.role === "admin" ? "the whole organisation" : scopeLabel(teams, viewer),
  };
}

function scopeLabel(teams: { id: string; name: string }[], viewer: Viewer): string {
  const team = teams.find((candidate) => candidate.id === viewer.teamId);
  return team ? `the ${team.name} team` : "your own changes and deals";
}
