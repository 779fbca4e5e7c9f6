// The raw SQL runner on a PostgreSQL server: queries started together inside
// one transaction take turns on its connection instead of overlapping
// (node-postgres warns that pg@9 will refuse that), and still all run.
import { describe, expect, it } from "vitest";
import { getConnection } from "@/lib/db";

describe.runIf(process.env.TEST_DATABASE_URL)("pgRunner on PostgreSQL", () => {
  it("runs a transaction's concurrent queries one after another, without node-postgres' warning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      const results = await getConnection().sql.transaction((tx) =>
        Promise.all([1, 2, 3, 4].map((n) => tx.query<{ n: number }>("SELECT $1::int AS n, pg_sleep(0.02)", [n]))),
      );
      expect(results.map((rows) => rows[0]?.n)).toEqual([1, 2, 3, 4]);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(warnings.filter((message) => message.includes("already executing"))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
