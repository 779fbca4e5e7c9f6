// The first administrator (finding 1: nobody could sign in to a database that
// was not seeded with the demo). The write against a real database — PGlite
// here, PostgreSQL with `scripts/with-postgres.sh` — and the command itself,
// spawned against a throwaway embedded database the way an admin runs it.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { verifyPassword } from "better-auth/crypto";
import { afterAll, describe, expect, it } from "vitest";
import { ActionRefused } from "@/lib/action-result";
import { getAuth } from "@/lib/auth/auth";
import { db } from "@/lib/db";
import { createOrPromoteAdmin } from "@/lib/users/first-admin";

async function signsIn(email: string, password: string): Promise<boolean> {
  const response = await getAuth().api.signInEmail({
    body: { email, password },
    asResponse: true,
    headers: new Headers(),
  });
  return response.ok;
}

describe("createOrPromoteAdmin", () => {
  it("creates an active admin who can sign in with ADMIN_PASSWORD, audited without the password", async () => {
    const password = "correct horse battery";
    const result = await createOrPromoteAdmin({ email: " Olga.First@Example.com ", name: "Olga First", password });
    expect(result).toMatchObject({ outcome: "created", generatedPassword: null });
    const user = await db.user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(user).toMatchObject({ email: "olga.first@example.com", name: "Olga First", role: "admin", active: true });
    expect(await signsIn("olga.first@example.com", password)).toBe(true);
    expect(await signsIn("olga.first@example.com", "wrong password!")).toBe(false);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { entityType: "user", entityId: result.userId } });
    expect(audit).toMatchObject({ action: "user.create", actorId: null });
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it("generates a password when none is given, and it works", async () => {
    const result = await createOrPromoteAdmin({ email: "gen@example.com", name: "Gen Erated" });
    expect(result.generatedPassword).toMatch(/^[\w-]{20}$/);
    const account = await db.authAccount.findFirstOrThrow({
      where: { userId: result.userId, providerId: "credential" },
    });
    expect(
      await verifyPassword({ hash: account.password as string, password: result.generatedPassword as string }),
    ).toBe(true);
  });

  it("promotes and reactivates an existing person, replacing their password", async () => {
    const rep = await db.user.create({
      data: { name: "Rita Rep", email: "rita@example.com", role: "rep", active: false },
    });
    const result = await createOrPromoteAdmin({
      email: "RITA@example.com",
      name: "ignored",
      password: "a new passphrase",
    });
    expect(result.outcome).toBe("promoted");
    expect(result.userId).toBe(rep.id);
    expect(await db.user.findUniqueOrThrow({ where: { id: rep.id } })).toMatchObject({
      name: "Rita Rep",
      role: "admin",
      active: true,
    });
    expect(await signsIn("rita@example.com", "a new passphrase")).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { entityId: rep.id, action: "user.update" } });
    expect(audit.before).toMatchObject({ role: "rep", active: false });
  });

  it("refuses a password under 10 characters and a bad email, writing nothing", async () => {
    const before = await db.user.count();
    await expect(
      createOrPromoteAdmin({ email: "short@example.com", name: "Short", password: "123456789" }),
    ).rejects.toThrow(/at least 10 characters/);
    await expect(
      createOrPromoteAdmin({ email: "not-an-email", name: "X", password: "long enough pass" }),
    ).rejects.toThrow(ActionRefused);
    expect(await db.user.count()).toBe(before);
  });
});

describe("npm run admin:create (spawned, embedded database)", () => {
  const ROOT = path.resolve(import.meta.dirname, "..", "..");
  const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function run(args: string[], extraEnv: Record<string, string | undefined>) {
    const env = { ...process.env, ...extraEnv };
    delete env.DATABASE_URL;
    for (const [key, value] of Object.entries(extraEnv)) if (value === undefined) delete env[key];
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(TSX, args, { cwd: ROOT, env, timeout: 300_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      });
    });
  }

  it("makes the first admin of a migrated empty database; the demo loader then leaves it alone", {
    timeout: 900_000,
  }, async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "admin-create-"));
    const env = { PGLITE_DIR: path.join(dir, "pglite"), ADMIN_PASSWORD: undefined };
    expect(await run(["scripts/migrate.ts"], env)).toMatchObject({ code: 0 });
    const command = ["--conditions=react-server", "scripts/admin-create.ts"];

    const short = await run([...command, "--email", "a@example.com", "--name", "A"], {
      ...env,
      ADMIN_PASSWORD: "short",
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/ADMIN_PASSWORD has 5 characters: use at least 10/);
    expect((await run([...command, "--name", "A"], env)).stderr).toMatch(/--email/);

    const created = await run([...command, "--email", "first@example.com", "--name", "First Admin"], env);
    expect(created.code).toBe(0);
    const printed = /password \(shown only now; store it safely\): (\S+)/.exec(created.stdout)?.[1];
    expect(printed).toBeDefined();

    // `npm run demo` loads the demo only into an empty database: this one has a person now.
    const seeded = await run(["prisma/seed/cli.ts", "--if-empty"], env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/leaving it as it is/);

    const pglite = await PGlite.create(env.PGLITE_DIR);
    try {
      const users = await pglite.query<{ email: string; role: string; active: boolean; password: string }>(
        `SELECT u.email, u.role, u.active, a.password FROM "User" u JOIN "AuthAccount" a ON a."userId" = u.id`,
      );
      expect(users.rows).toHaveLength(1);
      expect(users.rows[0]).toMatchObject({ email: "first@example.com", role: "admin", active: true });
      expect(await verifyPassword({ hash: users.rows[0]?.password as string, password: printed as string })).toBe(true);
      const audits = await pglite.query(`SELECT 1 FROM "AuditEvent" WHERE action = 'user.create'`);
      expect(audits.rows).toHaveLength(1);
    } finally {
      await pglite.close();
    }
  });
});
