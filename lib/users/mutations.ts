// Writes of the people page (admins only): add a person with a password,
// change their role and team, deactivate (never delete: their deals and
// history keep their name) or reactivate them, set a new password.
//
// Each write checks the role, runs in one transaction with its AuditEvent, and
// never puts a password or its hash in the audit trail. Passwords are hashed
// by better-auth (scrypt) before the transaction opens, so a slow hash never
// holds the database.
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { ActionRefused, FieldRefused } from "@/lib/action-result";
import { type AuditInput, recordAudits } from "@/lib/audit/mutations";
import { clearFailedSignIns } from "@/lib/auth/failed-sign-ins";
import { assertRole } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/auth/viewer";
import { db, type Transaction } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { CreateUserInput, ResetPasswordInput, RoleName, UpdateUserInput, UserRefInput } from "./schema";

export interface PeopleChangeContext {
  actor: Viewer;
  now: Date;
}

/** Interactive transactions on the embedded database can queue behind a review run. */
const TRANSACTION_OPTIONS = { timeout: 60_000, maxWait: 15_000 };

/** A field the person has to correct (shown next to it), not a refusal of the whole request. */
/** What the audit trail keeps of a person: names, not ids, so the diff reads on its own. No password. */
type PersonState = {
  name: string;
  email: string;
  role: RoleName;
  team: string | null;
  manages: string | null;
  active: boolean;
};

const personSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  active: true,
  teamId: true,
  team: { select: { id: true, name: true } },
  managedTeam: { select: { id: true, name: true } },
} satisfies Prisma.UserSelect;

type PersonRow = Prisma.UserGetPayload<{ select: typeof personSelect }>;

function stateOf(person: PersonRow): PersonState {
  return {
    name: person.name,
    email: person.email,
    role: person.role,
    team: person.team?.name ?? null,
    manages: person.managedTeam?.name ?? null,
    active: person.active,
  };
}

/** Only the keys that changed, on both sides, so the trail shows the change and nothing else. */
function changedKeys<T extends object>(before: T, after: T): { before: Partial<T>; after: Partial<T> } {
  const keys = (Object.keys(after) as (keyof T)[]).filter((key) => before[key] !== after[key]);
  return {
    before: Object.fromEntries(keys.map((key) => [key, before[key]])) as Partial<T>,
    after: Object.fromEntries(keys.map((key) => [key, after[key]])) as Partial<T>,
  };
}

const ADMINS_ONLY: Viewer["role"][] = ["admin"];

async function loadPerson(tx: Transaction, userId: string): Promise<PersonRow> {
  const person = await tx.user.findUnique({ where: { id: userId }, select: personSelect });
  if (!person) throw new ActionRefused("This person does not exist any more. Reload the page.", "not_found");
  return person;
}

async function loadTeam(tx: Transaction, teamId: string) {
  const team = await tx.team.findUnique({
    where: { id: teamId },
    select: { id: true, name: true, manager: { select: { id: true, name: true } } },
  });
  if (!team) throw new FieldRefused("teamId", "This team does not exist any more. Reload the page and pick another.");
  return team;
}

/**
 * Refuses to leave the organisation without an active admin. The active
 * admins are locked for the rest of the transaction, so two admins demoting
 * each other at the same moment cannot both succeed.
 */
async function assertAnotherActiveAdmin(tx: Transaction, person: PersonRow, what: string): Promise<void> {
  if (person.role !== "admin" || !person.active) return;
  const admins = await tx.$queryRaw<{ id: string }[]>(
    Prisma.sql`SELECT id FROM "User" WHERE role = 'admin' AND active = true ORDER BY id FOR UPDATE`,
  );
  if (!admins.some((admin) => admin.id !== person.id)) {
    throw new ActionRefused(
      `${person.name} is the last active administrator, so you cannot ${what}. Make someone else an administrator first.`,
      "invalid",
    );
  }
}

/** Makes the person the team's manager (or nobody's), recording who it replaced. */
async function setTeamManager(
  tx: Transaction,
  ctx: PeopleChangeContext,
  team: { id: string; name: string; manager: { id: string; name: string } | null },
  manager: { id: string; name: string } | null,
  audits: AuditInput[],
): Promise<void> {
  if ((team.manager?.id ?? null) === (manager?.id ?? null)) return;
  await tx.team.update({ where: { id: team.id }, data: { managerId: manager?.id ?? null } });
  audits.push({
    actorId: ctx.actor.userId,
    action: "team.manager.change",
    entityType: "team",
    entityId: team.id,
    before: { team: team.name, manager: team.manager?.name ?? null },
    after: { team: team.name, manager: manager?.name ?? null },
    at: ctx.now,
  });
}

async function withTransaction<T>(work: (tx: Transaction, audits: AuditInput[]) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    const audits: AuditInput[] = [];
    const result = await work(tx, audits);
    await recordAudits(tx, audits);
    return result;
  }, TRANSACTION_OPTIONS);
}

function isUniqueEmailViolation(error: unknown): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === "P2002" &&
    JSON.stringify(error.meta ?? {}).includes("email")
  );
}

function emailTaken(owner: { name: string; active: boolean }): FieldRefused {
  return new FieldRefused(
    "email",
    owner.active
      ? `${owner.name} already signs in with this email. Each person needs their own address.`
      : `${owner.name} (deactivated) has this email. Reactivate them instead of adding them again.`,
  );
}

/** Adds a person who can sign in at once with the password the admin set. */
export async function createUser(ctx: PeopleChangeContext, input: CreateUserInput): Promise<{ userId: string }> {
  assertRole(ctx.actor, ADMINS_ONLY, "add people");
  const passwordHash = await hashPassword(input.password);
  try {
    return await withTransaction(async (tx, audits) => {
      const sameEmail = await tx.user.findFirst({
        where: { email: { equals: input.email, mode: "insensitive" } },
        select: { name: true, active: true },
      });
      if (sameEmail) throw emailTaken(sameEmail);
      const team = input.teamId ? await loadTeam(tx, input.teamId) : null;

      const user = await tx.user.create({
        data: { name: input.name, email: input.email, role: input.role, teamId: team?.id ?? null, active: true },
        select: { id: true, name: true },
      });
      await tx.authAccount.create({
        data: {
          id: randomUUID(),
          accountId: user.id,
          providerId: "credential",
          userId: user.id,
          password: passwordHash,
        },
      });
      if (input.managesTeam && team) await setTeamManager(tx, ctx, team, user, audits);

      const after: PersonState = {
        name: input.name,
        email: input.email,
        role: input.role,
        team: team?.name ?? null,
        manages: input.managesTeam && team ? team.name : null,
        active: true,
      };
      audits.unshift({
        actorId: ctx.actor.userId,
        action: "user.create",
        entityType: "user",
        entityId: user.id,
        before: null,
        after: { ...after },
        at: ctx.now,
      });
      return { userId: user.id };
    });
  } catch (error) {
    // Two admins adding the same address at once: the unique index decides.
    if (isUniqueEmailViolation(error))
      throw new FieldRefused("email", "Someone already signs in with this email. Each person needs their own address.");
    throw error;
  }
}

/** Role, team and whether they manage it. Takes effect on their next page: the viewer is read per request. */
export async function updateUser(
  ctx: PeopleChangeContext,
  input: UpdateUserInput,
): Promise<{ userId: string; name: string; changed: (keyof PersonState)[] }> {
  assertRole(ctx.actor, ADMINS_ONLY, "change people's roles and teams");
  return withTransaction(async (tx, audits) => {
    const person = await loadPerson(tx, input.userId);
    if (input.role !== "admin") await assertAnotherActiveAdmin(tx, person, "take away their administrator role");
    const team = input.teamId ? await loadTeam(tx, input.teamId) : null;
    const newlyManaged = input.managesTeam && team ? team : null;
    if (newlyManaged && !person.active) {
      throw new FieldRefused(
        "managesTeam",
        `${person.name} is deactivated: reactivate them before they manage a team.`,
      );
    }

    // The team they managed loses its manager when they stop managing it.
    if (person.managedTeam && person.managedTeam.id !== newlyManaged?.id) {
      await setTeamManager(
        tx,
        ctx,
        { ...person.managedTeam, manager: { id: person.id, name: person.name } },
        null,
        audits,
      );
    }
    if (newlyManaged) await setTeamManager(tx, ctx, newlyManaged, { id: person.id, name: person.name }, audits);
    if (person.role !== input.role || person.teamId !== (team?.id ?? null)) {
      await tx.user.update({ where: { id: person.id }, data: { role: input.role, teamId: team?.id ?? null } });
    }

    const before = stateOf(person);
    const after: PersonState = {
      ...before,
      role: input.role,
      team: team?.name ?? null,
      manages: newlyManaged?.name ?? null,
    };
    const diff = changedKeys(before, after);
    const changed = Object.keys(diff.after) as (keyof PersonState)[];
    if (changed.length === 0) {
      throw new ActionRefused("Nothing changed: this is already their role and team.", "invalid");
    }
    audits.unshift({
      actorId: ctx.actor.userId,
      action: "user.update",
      entityType: "user",
      entityId: person.id,
      before: diff.before,
      after: diff.after,
      at: ctx.now,
    });
    return { userId: person.id, name: person.name, changed };
  });
}

/**
 * Deactivated people cannot sign in, and their sessions end now (they are
 * signed out on their next click). Their deals, decisions and history keep
 * their name. A manager stops managing their team.
 */
export async function deactivateUser(
  ctx: PeopleChangeContext,
  input: UserRefInput,
): Promise<{ userId: string; name: string; sessionsEnded: number; managed: string | null }> {
  assertRole(ctx.actor, ADMINS_ONLY, "deactivate people");
  return withTransaction(async (tx, audits) => {
    const person = await loadPerson(tx, input.userId);
    if (!person.active) throw new ActionRefused(`${person.name} is already deactivated.`, "conflict");
    await assertAnotherActiveAdmin(tx, person, "deactivate them");

    await tx.user.update({ where: { id: person.id }, data: { active: false } });
    const { count: sessionsEnded } = await tx.session.deleteMany({ where: { userId: person.id } });
    if (person.managedTeam) {
      await setTeamManager(
        tx,
        ctx,
        { ...person.managedTeam, manager: { id: person.id, name: person.name } },
        null,
        audits,
      );
    }
    audits.unshift({
      actorId: ctx.actor.userId,
      action: "user.deactivate",
      entityType: "user",
      entityId: person.id,
      before: { active: true, manages: person.managedTeam?.name ?? null },
      after: { active: false, manages: null, sessionsEnded },
      at: ctx.now,
    });
    return { userId: person.id, name: person.name, sessionsEnded, managed: person.managedTeam?.name ?? null };
  });
}

/** They can sign in again with their password; managing a team is given back on the role form. */
export async function reactivateUser(
  ctx: PeopleChangeContext,
  input: UserRefInput,
): Promise<{ userId: string; name: string; hasPassword: boolean }> {
  assertRole(ctx.actor, ADMINS_ONLY, "reactivate people");
  return withTransaction(async (tx, audits) => {
    const person = await loadPerson(tx, input.userId);
    if (person.active) throw new ActionRefused(`${person.name} is already active.`, "conflict");
    await tx.user.update({ where: { id: person.id }, data: { active: true } });
    const credentials = await tx.authAccount.count({
      where: { userId: person.id, providerId: "credential", password: { not: null } },
    });
    audits.push({
      actorId: ctx.actor.userId,
      action: "user.reactivate",
      entityType: "user",
      entityId: person.id,
      before: { active: false },
      after: { active: true },
      at: ctx.now,
    });
    return { userId: person.id, name: person.name, hasPassword: credentials > 0 };
  });
}

/**
 * A new password set by an admin (a forgotten one, or a first one for a person
 * imported without). Their open sessions end: whoever had the old one is out.
 */
export async function resetPassword(
  ctx: PeopleChangeContext,
  input: ResetPasswordInput,
): Promise<{ userId: string; name: string; sessionsEnded: number; firstPassword: boolean }> {
  assertRole(ctx.actor, ADMINS_ONLY, "set people's passwords");
  const passwordHash = await hashPassword(input.password);
  return withTransaction(async (tx, audits) => {
    const person = await loadPerson(tx, input.userId);
    const credential = await tx.authAccount.findFirst({
      where: { userId: person.id, providerId: "credential" },
      select: { id: true, password: true },
    });
    if (credential) {
      await tx.authAccount.update({ where: { id: credential.id }, data: { password: passwordHash } });
    } else {
      await tx.authAccount.create({
        data: {
          id: randomUUID(),
          accountId: person.id,
          providerId: "credential",
          userId: person.id,
          password: passwordHash,
        },
      });
    }
    // Their own session included when an admin resets their own password: sign in again with the new one.
    const { count: sessionsEnded } = await tx.session.deleteMany({ where: { userId: person.id } });
    // A person locked out by wrong passwords signs in with the new one at once.
    await clearFailedSignIns(person.email, tx);
    const firstPassword = !credential?.password;
    audits.push({
      actorId: ctx.actor.userId,
      action: "user.password_reset",
      entityType: "user",
      entityId: person.id,
      // Never the password nor its hash: only that it changed.
      before: { signIn: firstPassword ? "no password" : "password" },
      after: { signIn: "new password set by an administrator", sessionsEnded },
      at: ctx.now,
    });
    return { userId: person.id, name: person.name, sessionsEnded, firstPassword };
  });
}
