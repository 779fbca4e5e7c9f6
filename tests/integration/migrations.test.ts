import { describe, expect, it } from "vitest";
import { getConnection } from "@/lib/db";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";

describe("migrator", () => {
  it("records every migration in Prisma's table with Prisma's checksum", async () => {
    const migrations = await readMigrations();
    const rows = await getConnection().sql.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(migrations.map((m) => m.name));
    expect(rows.map((row) => row.checksum)).toEqual(migrations.map((m) => m.checksum));
  });

  it("applies nothing the second time", async () => {
    const result = await applyMigrations(getConnection().sql, await readMigrations());
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toBeGreaterThan(0);
  });

  it("refuses a migration that was edited after it was applied", async () => {
    const [first, ...rest] = await readMigrations();
    if (!first) throw new Error("no migrations found");
    const edited = { ...first, checksum: "0".repeat(64) };
    await expect(applyMigrations(getConnection().sql, [edited, ...rest])).rejects.toThrow(
      /was changed after it was applied/,
    );
  });

  it("rolls back a failing migration entirely and does not record it", async () => {
    const migrations = await readMigrations();
    const broken = {
      name: "99999999999999_broken",
      sql: `CREATE TABLE "half_done" (id int); SELECT * FROM "no_such_table";`,
      checksum: "f".repeat(64),
    };
    await expect(applyMigrations(getConnection().sql, [...migrations, broken])).rejects.toThrow();
    const tables = await getConnection().sql.query(
      `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`,
    );
    expect(tables).toHaveLength(0);
    const recorded = await getConnection().sql.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [
      broken.name,
    ]);
    expect(recorded).toHaveLength(0);
  });

  it("lets Prisma read and write the migrated schema", async () => {
    const settings = await getConnection().prisma.orgSettings.upsert({
      where: { id: 1 },
      create: { name: "Test org" },
      update: {},
    });
    expect(settings.currency).toBe("USD");
  });
});

describe("test database", () => {
  it("is the server the run asked for (PostgreSQL when TEST_DATABASE_URL is set, else PGlite)", async () => {
    const [row] = await getConnection().sql.query<{ version: string }>("SELECT version() AS version");
    const expected = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
    expect(getConnection().target.kind).toBe(expected);
    if (expected === "pglite") expect(row?.version).toMatch(/emscripten|wasm/i);
    else expect(row?.version).not.toMatch(/emscripten|wasm/i);
  });
});
