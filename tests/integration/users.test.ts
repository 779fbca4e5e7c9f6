// The people page against a real database: an admin adds a person whose
// password better-auth can verify, changes roles and teams, deactivates
// (signed out at once, history kept) and reactivates; the last active admin is
// protected; anyone else is refused with nothing written; a taken email is a
// field error; and no password or hash ever reaches the audit trail.
import { randomUUID } from "node:crypto";
import { FieldRefused } from "@/lib/action-result";
import { verifyPassword } from "better-auth/crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { ActionRefused } from "@/lib/action-result";
import { getAuth } from "@/lib/auth/auth";
import type { Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import {
  createUserAction,
  deactivateUserAction,
  reactivateUserAction,
  resetPasswordAction,
  updateUserAction,
} from "@/lib/users/actions";
import { getPeoplePage, getPerson } from "@/lib/users/data";
import {
  createUser,
  deactivateUser,
  type PeopleChangeContext,
  reactivateUser,
  resetPassword,
  updateUser,
} from "@/lib/users/mutations";
import { createUserSchema, updateUserSchema } from "@/lib/users/schema";
import { resetDatabase } from "../fixtures/reset-database";
import { signInAs, signOut } from "../fixtures/sign-in";
import { createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
/** Every password a test sets, to prove none reaches the audit trail. */
const passwordsUsed: string[] = [];

// Every case starts from the same fresh organisation (nobody added, moved or
// deactivated by another case), so each stands alone in any order.
beforeEach(async () => {
  await resetDatabase();
  org = await createSmallOrg();
  // Server actions act as the signed-in person (a real better-auth session): the admin, unless a test says otherwise.
  await signInAs(org.people.admin);
});

/** A session cookie for someone, without changing who the actions act as. */
async function sessionCookie(email: string, password: string): Promise<string> {
  const response = await getAuth().api.signInEmail({
    body: { email, password },
    asResponse: true,
    headers: new Headers(),
  });
  expect(response.ok).toBe(true);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

async function viewerOf(cookie: string) {
  const session = await getAuth().api.getSession({ headers: new Headers({ cookie }) });
  return session?.user.email ?? null;
}

const asAdmin = (): PeopleChangeContext => ({ actor: org.people.admin, now: new Date() });

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

function newPassword(): string {
  const password = `pw-${randomUUID()}`;
  passwordsUsed.push(password);
  return password;
}

async function counts() {
  const [users, accounts, audits, sessions, teams] = await Promise.all([
    db.user.findMany({ orderBy: { id: "asc" }, select: { id: true, role: true, teamId: true, active: true } }),
    db.authAccount.findMany({ orderBy: { id: "asc" }, select: { id: true, password: true } }),
    db.auditEvent.count(),
    db.session.count(),
    db.team.findMany({ orderBy: { id: "asc" }, select: { id: true, managerId: true } }),
  ]);
  return { users, accounts, audits, sessions, teams };
}

async function openSession(userId: string) {
  await db.session.create({
    data: { id: randomUUID(), token: randomUUID(), userId, expiresAt: new Date(Date.now() + 86_400_000) },
  });
}

describe("adding a person", () => {
  it("stores the password hashed by better-auth, in the same transaction as the person", async () => {
    const password = newPassword();
    const input = createUserSchema.parse({
      name: "Nora New",
      email: "  Nora.New@Test.Example ",
      role: "rep",
      teamId: org.teams.central,
      password,
    });
    const { userId } = await createUser(asAdmin(), input);

    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user).toMatchObject({ name: "Nora New", email: "nora.new@test.example", role: "rep", active: true });
    expect(user.teamId).toBe(org.teams.central);
    const [account] = await db.authAccount.findMany({ where: { userId } });
    expect(account).toMatchObject({ providerId: "credential", accountId: userId, userId });
    expect(account?.password).toBeTruthy();
    expect(account?.password).not.toContain(password);
    expect(await verifyPassword({ hash: account?.password ?? "", password })).toBe(true);
    expect(await verifyPassword({ hash: account?.password ?? "", password: `${password}x` })).toBe(false);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { entityType: "user", entityId: userId } });
    expect(audit).toMatchObject({ action: "user.create", actorId: org.people.admin.userId, before: null });
    expect(audit.after).toEqual({
      name: "Nora New",
      email: "nora.new@test.example",
      role: "rep",
      team: "Central",
      manages: null,
      active: true,
    });
  });

  it("signs in through better-auth with that password, and only that one", async () => {
    const password = newPassword();
    await createUser(
      asAdmin(),
      createUserSchema.parse({
        name: "Sam Signin",
        email: "sam@test.example",
        role: "rep",
        teamId: org.teams.west,
        password,
      }),
    );
    const signIn = (attempt: string) =>
      getAuth().api.signInEmail({ body: { email: "sam@test.example", password: attempt }, headers: new Headers() });
    const session = await signIn(password);
    expect(session.user.email).toBe("sam@test.example");
    await expect(signIn(`${password}!`)).rejects.toThrow();
  });

  it("through the action: a clear message, and the person is listed on the people page", async () => {
    const result = await createUserAction(
      null,
      form({ name: "Olga Other", email: "olga@test.example", role: "admin", teamId: "", password: newPassword() }),
    );
    expect(result).toMatchObject({ ok: true });
    expect(result.message).toMatch(/sign in now/);
    const page = await getPeoplePage(org.people.admin, { status: "all", role: "admin" });
    const olga = page.people.find((person) => person.email === "olga@test.example");
    expect(olga).toMatchObject({ role: "admin", team: null, active: true, hasPassword: true, lastSignInAt: null });
  });

  it("refuses a taken email as an error on the email field, whatever its case", async () => {
    const before = await counts();
    const result = await createUserAction(
      null,
      form({
        name: "Ana Again",
        email: "ANA.REP@test.example",
        role: "rep",
        teamId: org.teams.central,
        password: newPassword(),
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors?.email?.[0]).toMatch(/Ana Rep already signs in with this email/);
    expect(await counts()).toEqual(before);
  });

  it("points to a deactivated person with the same email instead of adding them twice", async () => {
    const { userId } = await createUser(
      asAdmin(),
      createUserSchema.parse({
        name: "Gone Gary",
        email: "gary@test.example",
        role: "rep",
        teamId: org.teams.west,
        password: newPassword(),
      }),
    );
    await deactivateUser(asAdmin(), { userId });
    const attempt = createUser(
      asAdmin(),
      createUserSchema.parse({
        name: "Gary",
        email: "gary@test.example",
        role: "rep",
        teamId: org.teams.west,
        password: newPassword(),
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(FieldRefused);
    await expect(attempt).rejects.toThrow(/Gone Gary \(deactivated\) has this email\. Reactivate them/);
  });

  it("validates every field with a message next to it", async () => {
    const result = await createUserAction(
      null,
      form({ name: " ", email: "not-an-email", role: "rep", teamId: "", password: "short", managesTeam: "on" }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual([
      "email",
      "managesTeam",
      "name",
      "password",
      "teamId",
    ]);
    expect(result.fieldErrors?.password?.[0]).toBe("Use at least 10 characters.");
  });

  it("can make the new person the manager of their team, replacing the previous one (both audited)", async () => {
    const { userId } = await createUser(
      asAdmin(),
      createUserSchema.parse({
        name: "Mia Manager",
        email: "mia@test.example",
        role: "manager",
        teamId: org.teams.west,
        managesTeam: "on",
        password: newPassword(),
      }),
    );
    const west = await db.team.findUniqueOrThrow({ where: { id: org.teams.west } });
    expect(west.managerId).toBe(userId);
    const teamAudit = await db.auditEvent.findFirstOrThrow({ where: { entityType: "team", entityId: org.teams.west } });
    expect(teamAudit).toMatchObject({
      action: "team.manager.change",
      before: { team: "West", manager: "Walt Manager" },
      after: { team: "West", manager: "Mia Manager" },
    });
    // Give West back to Walt for the other tests.
    await updateUser(
      asAdmin(),
      updateUserSchema.parse({
        userId: org.people.westManager.userId,
        role: "manager",
        teamId: org.teams.west,
        managesTeam: true,
      }),
    );
    expect((await db.team.findUniqueOrThrow({ where: { id: org.teams.west } })).managerId).toBe(
      org.people.westManager.userId,
    );
  });
});

describe("changing a role or team", () => {
  it("moves a rep to another team as a manager; the audit keeps only what changed", async () => {
    const { userId } = await createUser(
      asAdmin(),
      createUserSchema.parse({
        name: "Rita Rep",
        email: "rita@test.example",
        role: "rep",
        teamId: org.teams.central,
        password: newPassword(),
      }),
    );
    const result = await updateUserAction(null, form({ userId, role: "manager", teamId: org.teams.west }));
    expect(result).toMatchObject({ ok: true });
    expect(await db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({
      role: "manager",
      teamId: org.teams.west,
    });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { entityId: userId, action: "user.update" } });
    expect(audit.before).toEqual({ role: "rep", team: "Central" });
    expect(audit.after).toEqual({ role: "manager", team: "West" });
  });

  it("says so when nothing changed, and writes nothing", async () => {
    const before = await counts();
    const result = await updateUserAction(
      null,
      form({ userId: org.people.ben.userId, role: "rep", teamId: org.teams.central }),
    );
    expect(result).toMatchObject({ ok: false, message: "Nothing changed: this is already their role and team." });
    expect(await counts()).toEqual(before);
  });

  it("a manager who stops managing leaves the team without a manager (audited)", async () => {
    const { userId } = await createUser(
      asAdmin(),
      createUserSchema.parse({
        name: "Tess Temp",
        email: "tess@test.example",
        role: "manager",
        teamId: org.teams.central,
        managesTeam: "on",
        password: newPassword(),
      }),
    );
    await updateUser(asAdmin(), updateUserSchema.parse({ userId, role: "rep", teamId: org.teams.central }));
    expect((await db.team.findUniqueOrThrow({ where: { id: org.teams.central } })).managerId).toBeNull();
    const audit = await db.auditEvent.findFirstOrThrow({ where: { entityId: userId, action: "user.update" } });
    expect(audit.before).toEqual({ role: "manager", manages: "Central" });
    expect(audit.after).toEqual({ role: "rep", manages: null });
    // Carla manages Central again.
    await updateUser(
      asAdmin(),
      updateUserSchema.parse({
        userId: org.people.centralManager.userId,
        role: "manager",
        teamId: org.teams.central,
        managesTeam: true,
      }),
    );
  });
});

describe("deactivating and reactivating", () => {
  const benPassword = `pw-ben-${randomUUID()}`;
  beforeEach(async () => {
    passwordsUsed.push(benPassword);
    await resetPassword(asAdmin(), { userId: org.people.ben.userId, password: benPassword });
  });

  it("signs them out at once, keeps their deals and history under their name, and can be undone", async () => {
    const password = newPassword();
    const { userId } = await createUser(
      asAdmin(),
      createUserSchema.parse({
        name: "Dan Departing",
        email: "dan@test.example",
        role: "rep",
        teamId: org.teams.central,
        password,
      }),
    );
    const dan: Viewer = { userId, name: "Dan Departing", role: "rep", teamId: org.teams.central };
    const deal = await createDeal(org, { owner: dan, amount: 12_000, openedDaysAgo: 40, name: "Dan's deal" });
    // Dan is signed in on two devices; Ben on one.
    const danLaptop = await sessionCookie("dan@test.example", password);
    await sessionCookie("dan@test.example", password);
    const benPhone = await sessionCookie("ben.rep@test.example", benPassword);
    expect(await viewerOf(danLaptop)).toBe("dan@test.example");
    expect((await getPerson(org.people.admin, userId))?.lastSignInAt).toBeInstanceOf(Date);

    const result = await deactivateUserAction(null, form({ userId }));
    expect(result).toMatchObject({ ok: true });
    expect(result.message).toMatch(/Dan Departing is deactivated and can no longer sign in \(signed out now\)/);
    expect(await db.session.count({ where: { userId } })).toBe(0);
    expect(await viewerOf(danLaptop)).toBeNull();
    expect(await viewerOf(benPhone)).toBe("ben.rep@test.example");
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user).toMatchObject({ active: false, name: "Dan Departing" });
    const kept = await db.opportunity.findUniqueOrThrow({
      where: { id: deal.id },
      select: { owner: { select: { name: true } } },
    });
    expect(kept.owner.name).toBe("Dan Departing");
    // Their password stays, so reactivating lets them back in with it.
    const account = await db.authAccount.findFirstOrThrow({ where: { userId } });
    expect(await verifyPassword({ hash: account.password ?? "", password })).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { entityId: userId, action: "user.deactivate" } });
    expect(audit.before).toEqual({ active: true, manages: null });
    expect(audit.after).toEqual({ active: false, manages: null, sessionsEnded: 2 });

    const page = await getPeoplePage(org.people.admin, { status: "deactivated" });
    expect(page.people.map((person) => person.name)).toContain("Dan Departing");

    const again = await deactivateUserAction(null, form({ userId }));
    expect(again).toMatchObject({ ok: false, message: "Dan Departing is already deactivated." });

    const back = await reactivateUserAction(null, form({ userId }));
    expect(back).toMatchObject({
      ok: true,
      message: "Dan Departing is active again and can sign in with their password.",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).active).toBe(true);
  });

  it("a deactivated manager stops managing their team", async () => {
    const { userId } = await createUser(
      asAdmin(),
      createUserSchema.parse({
        name: "Max Manager",
        email: "max@test.example",
        role: "manager",
        teamId: org.teams.central,
        managesTeam: "on",
        password: newPassword(),
      }),
    );
    const result = await deactivateUser(asAdmin(), { userId });
    expect(result.managed).toBe("Central");
    expect((await db.team.findUniqueOrThrow({ where: { id: org.teams.central } })).managerId).toBeNull();
    await updateUser(
      asAdmin(),
      updateUserSchema.parse({
        userId: org.people.centralManager.userId,
        role: "manager",
        teamId: org.teams.central,
        managesTeam: true,
      }),
    );
  });
});

describe("the last active administrator", () => {
  it("cannot be deactivated or lose the admin role; once another admin exists, they can", async () => {
    // Deactivate every admin but Ada, so she is the last one.
    const others = await db.user.findMany({
      where: { role: "admin", active: true, NOT: { id: org.people.admin.userId } },
    });
    for (const other of others) await deactivateUser(asAdmin(), { userId: other.id });
    const before = await counts();

    const deactivate = await deactivateUserAction(null, form({ userId: org.people.admin.userId }));
    expect(deactivate).toMatchObject({ ok: false });
    expect(deactivate.message).toBe(
      "Ada Admin is the last active administrator, so you cannot deactivate them. Make someone else an administrator first.",
    );
    const demote = await updateUserAction(
      null,
      form({ userId: org.people.admin.userId, role: "manager", teamId: org.teams.central }),
    );
    expect(demote.message).toMatch(
      /Ada Admin is the last active administrator, so you cannot take away their administrator role/,
    );
    expect(await counts()).toEqual(before);

    // With a second admin, Ada can step down; the second admin is then the last one.
    const { userId: secondAdmin } = await createUser(
      asAdmin(),
      createUserSchema.parse({
        name: "Zoe Admin",
        email: "zoe@test.example",
        role: "admin",
        teamId: "",
        password: newPassword(),
      }),
    );
    const stepDown = await deactivateUserAction(null, form({ userId: org.people.admin.userId }));
    expect(stepDown).toMatchObject({ ok: true });
    // Her own session ended with it: she is signed out.
    const afterwards = await reactivateUserAction(null, form({ userId: org.people.admin.userId }));
    expect(afterwards.message).toMatch(/You are signed out/);
    const zoe: PeopleChangeContext = {
      actor: { userId: secondAdmin, name: "Zoe Admin", role: "admin", teamId: null },
      now: new Date(),
    };
    await expect(deactivateUser(zoe, { userId: secondAdmin })).rejects.toThrow(
      /Zoe Admin is the last active administrator/,
    );
    await reactivateUser(zoe, { userId: org.people.admin.userId });
    await signInAs(org.people.admin);
  });
});

describe("setting a new password", () => {
  it("replaces the hash, ends their sessions, and works for someone who had none", async () => {
    await openSession(org.people.wes.userId);
    const password = newPassword();
    const result = await resetPasswordAction(null, form({ userId: org.people.wes.userId, password }));
    expect(result).toMatchObject({ ok: true });
    // Wes came from the fixture without a password: the credential is created.
    const account = await db.authAccount.findFirstOrThrow({
      where: { userId: org.people.wes.userId, providerId: "credential" },
    });
    expect(await verifyPassword({ hash: account.password ?? "", password })).toBe(true);
    expect(await db.session.count({ where: { userId: org.people.wes.userId } })).toBe(0);

    const second = newPassword();
    await resetPassword(asAdmin(), { userId: org.people.wes.userId, password: second });
    const updated = await db.authAccount.findMany({ where: { userId: org.people.wes.userId } });
    expect(updated).toHaveLength(1);
    expect(await verifyPassword({ hash: updated[0]?.password ?? "", password: second })).toBe(true);
    expect(await verifyPassword({ hash: updated[0]?.password ?? "", password })).toBe(false);

    const audits = await db.auditEvent.findMany({
      where: { entityId: org.people.wes.userId, action: "user.password_reset" },
      orderBy: { id: "asc" },
    });
    expect(audits.map((audit) => audit.before)).toEqual([{ signIn: "no password" }, { signIn: "password" }]);
  });

  it("refuses a short password next to the field", async () => {
    const result = await resetPasswordAction(null, form({ userId: org.people.wes.userId, password: "123456789" }));
    expect(result).toMatchObject({ ok: false, fieldErrors: { password: ["Use at least 10 characters."] } });
  });
});

describe("anyone but an admin", () => {
  it.each([
    ["a manager", () => org.people.centralManager],
    ["a rep", () => org.people.ana],
  ])("%s is refused every change, with nothing written", async (_who, viewer) => {
    await signInAs(viewer());
    const before = await counts();
    const target = org.people.ben.userId;
    const results = await Promise.all([
      createUserAction(
        null,
        form({ name: "Sneaky", email: "sneaky@test.example", role: "admin", teamId: "", password: "a-long-password" }),
      ),
      updateUserAction(null, form({ userId: target, role: "admin", teamId: "" })),
      deactivateUserAction(null, form({ userId: target })),
      reactivateUserAction(null, form({ userId: target })),
      resetPasswordAction(null, form({ userId: target, password: "a-long-password" })),
    ]);
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/^Only administrators can /);
      expect(result).not.toHaveProperty("fieldErrors.email");
    }
    // Invalid input gets the same refusal, not validation messages.
    const invalid = await createUserAction(null, form({}));
    expect(invalid).toMatchObject({ ok: false });
    expect(invalid).not.toHaveProperty("fieldErrors.name");
    expect(await counts()).toEqual(before);

    // The mutations refuse by themselves too, and so do the reads.
    const ctx = { actor: viewer(), now: new Date() };
    await expect(deactivateUser(ctx, { userId: target })).rejects.toBeInstanceOf(ActionRefused);
    await expect(resetPassword(ctx, { userId: target, password: "a-long-password" })).rejects.toBeInstanceOf(
      ActionRefused,
    );
    await expect(getPeoplePage(viewer(), { status: "all" })).rejects.toBeInstanceOf(ActionRefused);
    await expect(getPerson(viewer(), target)).rejects.toBeInstanceOf(ActionRefused);
    expect(await counts()).toEqual(before);
  });
});

describe("signed out", () => {
  it("every action is refused with nothing written", async () => {
    signOut();
    const before = await counts();
    const result = await createUserAction(
      null,
      form({ name: "Ghost", email: "ghost@test.example", role: "admin", teamId: "", password: "a-long-password" }),
    );
    expect(result).toMatchObject({ ok: false });
    expect(result.message).toMatch(/You are signed out/);
    const reset = await resetPasswordAction(null, form({ userId: org.people.ben.userId, password: "a-long-password" }));
    expect(reset.message).toMatch(/You are signed out/);
    expect(await counts()).toEqual(before);
    await signInAs(org.people.admin);
  });
});

describe("the audit trail of people changes", () => {
  it("never holds a password or its hash", async () => {
    // Every kind of people change, each with the passwords it sets.
    const { userId } = await createUser(
      asAdmin(),
      createUserSchema.parse({
        name: "Audrey Audit",
        email: "audrey.audit@test.example",
        role: "rep",
        teamId: org.teams.central,
        password: newPassword(),
      }),
    );
    await updateUser(asAdmin(), updateUserSchema.parse({ userId, role: "rep", teamId: org.teams.west }));
    await deactivateUser(asAdmin(), { userId });
    await reactivateUser(asAdmin(), { userId });
    const { ana, ben, wes, centralManager } = org.people;
    for (const person of [userId, ana.userId, ben.userId, wes.userId, centralManager.userId]) {
      await resetPassword(asAdmin(), { userId: person, password: newPassword() });
    }
    const hashes = (await db.authAccount.findMany({ select: { password: true } })).flatMap((row) => row.password ?? []);
    expect(hashes.length).toBeGreaterThan(5);
    const events = await db.auditEvent.findMany({ where: { entityType: "user" } });
    expect(new Set(events.map((event) => event.action))).toEqual(
      new Set(["user.create", "user.update", "user.deactivate", "user.reactivate", "user.password_reset"]),
    );
    const secrets = [...passwordsUsed, ...hashes];
    for (const event of await db.auditEvent.findMany()) {
      const text = JSON.stringify([event.before, event.after]);
      expect(text).not.toMatch(/"password\w*"\s*:/i);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
