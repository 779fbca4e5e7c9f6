// Reads of the people page: everyone who can (or could) sign in, their role,
// team, whether they are active and when they last used the app. Admins only;
// anyone else is refused here too, not just by the page. A fixed number of
// queries whatever the number of people.
import "server-only";
import { assertRole } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { PeopleFilters, RoleName } from "./schema";

export interface TeamChoice {
  id: string;
  name: string;
  managerName: string | null;
}

export interface PersonRow {
  id: string;
  name: string;
  email: string;
  role: RoleName;
  team: { id: string; name: string } | null;
  /** The team they manage, if any. */
  manages: { id: string; name: string } | null;
  active: boolean;
  createdAt: Date;
  /** Latest activity of their sessions (better-auth refreshes it as they use the app); null with none open. */
  lastSignInAt: Date | null;
  hasPassword: boolean;
}

export interface PeoplePage {
  people: PersonRow[];
  teams: TeamChoice[];
  /** Across everyone, whatever the filters: the page's headline. */
  totals: { active: number; deactivated: number; activeAdmins: number };
}

const personSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  active: true,
  createdAt: true,
  team: { select: { id: true, name: true } },
  managedTeam: { select: { id: true, name: true } },
  _count: { select: { authAccounts: { where: { providerId: "credential", password: { not: null } } } } },
} satisfies Prisma.UserSelect;

type SelectedPerson = Prisma.UserGetPayload<{ select: typeof personSelect }>;

const MANAGERS_OF_PEOPLE: Viewer["role"][] = ["admin"];

function assertAdmin(viewer: Viewer): void {
  assertRole(viewer, MANAGERS_OF_PEOPLE, "manage people");
}

async function lastSignIns(client: DbClient, userIds: string[]): Promise<Map<string, Date>> {
  if (userIds.length === 0) return new Map();
  const rows = await client.session.groupBy({
    by: ["userId"],
    where: { userId: { in: userIds } },
    _max: { updatedAt: true },
  });
  return new Map(rows.flatMap((row) => (row._max.updatedAt ? [[row.userId, row._max.updatedAt] as const] : [])));
}

function toRow(person: SelectedPerson, signIns: Map<string, Date>): PersonRow {
  return {
    id: person.id,
    name: person.name,
    email: person.email,
    role: person.role,
    team: person.team,
    manages: person.managedTeam,
    active: person.active,
    createdAt: person.createdAt,
    lastSignInAt: signIns.get(person.id) ?? null,
    hasPassword: person._count.authAccounts > 0,
  };
}

export async function listTeamChoices(viewer: Viewer, client: DbClient = db): Promise<TeamChoice[]> {
  assertAdmin(viewer);
  const teams = await client.team.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, manager: { select: { name: true } } },
  });
  return teams.map((team) => ({ id: team.id, name: team.name, managerName: team.manager?.name ?? null }));
}

/** Everyone matching the filters: active first, then by name. */
export async function getPeoplePage(
  viewer: Viewer,
  filters: PeopleFilters,
  client: DbClient = db,
): Promise<PeoplePage> {
  assertAdmin(viewer);
  const where: Prisma.UserWhereInput = {
    ...(filters.team ? { teamId: filters.team === "none" ? null : filters.team } : {}),
    ...(filters.role ? { role: filters.role } : {}),
    ...(filters.status === "active" ? { active: true } : filters.status === "deactivated" ? { active: false } : {}),
  };
  const [people, teams, counts] = await Promise.all([
    client.user.findMany({ where, orderBy: [{ active: "desc" }, { name: "asc" }], select: personSelect }),
    listTeamChoices(viewer, client),
    client.user.groupBy({ by: ["active", "role"], _count: { _all: true } }),
  ]);
  const signIns = await lastSignIns(
    client,
    people.map((person) => person.id),
  );
  const sum = (match: (row: (typeof counts)[number]) => boolean) =>
    counts.filter(match).reduce((total, row) => total + row._count._all, 0);
  return {
    people: people.map((person) => toRow(person, signIns)),
    teams,
    totals: {
      active: sum((row) => row.active),
      deactivated: sum((row) => !row.active),
      activeAdmins: sum((row) => row.active && row.role === "admin"),
    },
  };
}

/** One person, for their page; null when there is no such person. */
export async function getPerson(viewer: Viewer, userId: string, client: DbClient = db): Promise<PersonRow | null> {
  assertAdmin(viewer);
  const person = await client.user.findUnique({ where: { id: userId }, select: personSelect });
  if (!person) return null;
  return toRow(person, await lastSignIns(client, [person.id]));
}

/** Whether the viewer may open the people page (the same rule the reads and actions enforce). */
export function canManagePeople(viewer: Viewer): boolean {
  return MANAGERS_OF_PEOPLE.includes(viewer.role);
}
