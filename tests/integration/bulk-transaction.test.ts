// Bulk SQL inside a Prisma transaction (lib/db/bulk-transaction.ts): on
// PGlite the raw statements run on PGlite's own transaction — the same one
// Prisma's model calls run in, so each sees the other's uncommitted writes
// and a rollback undoes both — and never outlive it. Elsewhere (PostgreSQL,
// the client outside a transaction) the client is returned as it is.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { withBulkSql } from "@/lib/db/bulk-transaction";

// Decided from the run's settings: at import time the test's own connection is not open yet
// (getConnection() here would open the default PGlite even in a PostgreSQL run).
const onPglite = !process.env.TEST_DATABASE_URL;

class RollBack extends Error {}

describe("withBulkSql", () => {
  it.runIf(onPglite)("runs raw statements in the Prisma transaction itself, on PGlite's side", async () => {
    const before = await db.stage.count();
    await expect(
      db.$transaction(async (tx) => {
        const bulk = await withBulkSql(tx);
        expect(bulk).not.toBe(tx);
        // Numeric comes back as PGlite gives it (text), not as Prisma's Decimal: Prisma is not in the way.
        const [viaBulk] = await bulk.$queryRawUnsafe<{ n: unknown }[]>(`SELECT 1.50::numeric AS n`);
        const [viaPrisma] = await tx.$queryRawUnsafe<{ n: unknown }[]>(`SELECT 1.50::numeric AS n`);
        expect(viaBulk?.n).toBe("1.50");
        expect(typeof viaPrisma?.n).not.toBe("string");

        // Written through PGlite, seen by Prisma's model call in the same transaction…
        await bulk.$executeRawUnsafe(
          `INSERT INTO "Stage" (name, "order", probability) VALUES ($1, $2, $3)`,
          "Written in bulk",
          9_001,
          40,
        );
        expect(await tx.stage.findFirst({ where: { name: "Written in bulk" } })).not.toBeNull();
        // …and written by Prisma, seen through PGlite.
        await tx.stage.create({ data: { name: "Written by Prisma", order: 9_002, probability: 50 } });
        const seen = await bulk.$queryRawUnsafe<{ name: string }[]>(
          `SELECT name FROM "Stage" WHERE "order" >= 9001 ORDER BY "order"`,
        );
        expect(seen.map((row) => row.name)).toEqual(["Written in bulk", "Written by Prisma"]);
        // A second call finds the same transaction (and does not wrap twice).
        expect(await withBulkSql(bulk)).toBe(bulk);
        throw new RollBack();
      }),
    ).rejects.toBeInstanceOf(RollBack);
    // The rollback took both writes back.
    expect(await db.stage.count()).toBe(before);
  });

  it.runIf(onPglite)("refuses to run once its transaction has ended, instead of running outside it", async () => {
    const bulk = await db.$transaction(async (tx) => withBulkSql(tx));
    await expect(bulk.$queryRawUnsafe(`SELECT 1 AS one`)).rejects.toThrow(/closed/i);
  });

  it("leaves the client outside a transaction as it is", async () => {
    expect(await withBulkSql(db)).toBe(db);
  });

  it.runIf(!onPglite)("leaves a PostgreSQL transaction to Prisma", async () => {
    await db.$transaction(async (tx) => {
      expect(await withBulkSql(tx)).toBe(tx);
    });
  });
});
