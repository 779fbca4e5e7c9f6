// The planner's statistics after bulk writes. PGlite has no autovacuum, so
// nothing refreshes them on the embedded database: a Flag table never
// analyzed was planned as a sequential scan of every flag ever written for a
// rep page's 111 deals (150 ms at 300,000 flags, and growing). A PostgreSQL
// server's autovacuum would do the same; on either, this is cheap next to the
// write that triggered it.
import type { Query } from "./bulk-sql";

/**
 * ANALYZE the tables when they were never analyzed, or when `written` rows
 * are more than a tenth of what the statistics last counted (autovacuum's
 * own default rule). `columns`: only those the queries filter and join on;
 * statistics of long text take most of ANALYZE's time and help no plan.
 */
export async function analyzeWhenGrown(
  query: Query,
  tables: readonly { table: string; columns?: readonly string[] }[],
  written: number,
): Promise<void> {
  const [row] = await query<{ tuples: number }>(
    `SELECT min(reltuples)::float8 AS tuples FROM pg_class
      WHERE oid = ANY(ARRAY[${tables.map(({ table }) => `'"${table}"'::regclass`).join(", ")}])`,
  );
  const tuples = Number(row?.tuples ?? -1);
  if (tuples >= 0 && written <= 50 + 0.1 * tuples) return;
  const targets = tables.map(({ table, columns }) =>
    columns ? `"${table}" (${columns.map((column) => `"${column}"`).join(", ")})` : `"${table}"`,
  );
  // A coarse sample (3,000 rows instead of 30,000) is plenty for these plans
  // — row counts, NULL shares, how many distinct deals — and ten times
  // quicker. SET LOCAL ends with the transaction.
  await query(`SET LOCAL default_statistics_target = 10`);
  await query(`ANALYZE ${targets.join(", ")}`);
}

/** The flag columns reads filter and join on (see lib/flags/current-flags.ts). */
export const FLAG_STATISTICS = {
  table: "Flag",
  columns: ["id", "reviewId", "opportunityId", "userId", "teamId", "rule", "severity", "startedAt", "endedAt"],
} as const;
