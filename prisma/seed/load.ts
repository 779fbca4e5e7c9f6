// Writes the demo organisation into the database, fast and all or nothing:
// one transaction that (optionally) empties the app's tables, runs the
// statements a StatementSource hands it, and commits — a failure leaves the
// database as it was.
//
// Speed, for the benchmark's 100,000 open deals and 2,000,000 activities:
// - deal history is generated and written in batches (never all in memory),
//   in a worker thread one batch ahead of the database (statement-sources.ts);
// - rows go in as multi-row INSERT … SELECT FROM unnest(…) (bulk-insert.ts);
// - ids are assigned by the generator, so child rows need no lookups, and
//   the sequences are moved past them at the end;
// - like pg_restore, the big tables' indexes, primary keys and foreign keys
//   are dropped for the load and rebuilt once at the end (building an index
//   in one pass is several times faster than maintaining it row by row). The
//   definitions are read from the catalog first, so whatever the migrations
//   define is exactly what is restored, and the rebuilt foreign keys check
//   every row.
import type { SqlRunner } from "../../lib/db/sql-runner";
import { refreshWeekTotals } from "../../lib/figures/week-totals";
import { quoteIdent } from "./bulk-insert";
import type { DemoSummary } from "./demo-statements";
import type { StatementSource } from "./statement-sources";

export interface LoadProgress {
  phase: "emptying" | "people" | "deals" | "indexes" | "done";
  dealsWritten: number;
  dealsTotal: number;
  rowsWritten: number;
}

export interface LoadOptions {
  /** Empty every app table first (all but _prisma_migrations). */
  reset: boolean;
  /** For progress: how many deals the source will write. */
  dealsTotal: number;
  onProgress?: (progress: LoadProgress) => void;
  /** Print where the time went (SEED_TIMINGS=1 in the CLI). */
  logTimings?: boolean;
  /**
   * Every person gets an email + password sign-in with this password hash
   * (made by better-auth, so the library verifies it). One hash for all:
   * the demo shares one password, and hashing is slow on purpose.
   */
  demoPasswordHash?: string;
}

export interface LoadResult {
  /** Rows written per table. */
  counts: Record<string, number>;
  summary: DemoSummary;
}

/** Tables whose indexes and keys are rebuilt after the load (the big ones). */
const BULK_TABLES = ["Opportunity", "StageChange", "Activity", "CloseDateChange", "AmountChange", "PipelineSnapshot"];

export async function loadDemoOrganisation(
  sql: SqlRunner,
  source: StatementSource,
  options: LoadOptions,
): Promise<LoadResult> {
  const counts: Record<string, number> = {};
  const timings = new Map<string, number>();
  const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings.set(what, (timings.get(what) ?? 0) + performance.now() - started);
    }
  };
  const progress: LoadProgress = { phase: "emptying", dealsWritten: 0, dealsTotal: options.dealsTotal, rowsWritten: 0 };
  const report = (phase: LoadProgress["phase"]) => {
    progress.phase = phase;
    options.onProgress?.({ ...progress });
  };

  let summary: DemoSummary | undefined;
  await sql.transaction(async (tx) => {
    if (options.reset) {
      report("emptying");
      await timed("emptying", () => emptyAppTables(tx));
    } else {
      await assertEmpty(tx);
    }
    // Larger sort memory makes the index rebuilds at the end single-pass.
    await tx.query("SET LOCAL maintenance_work_mem = '128MB'");
    const keys = await dropKeysAndIndexes(tx, BULK_TABLES);

    report("people");
    for (;;) {
      const next = await timed("waiting for the generator", () => source.next());
      if (next.done) {
        summary = next.value;
        break;
      }
      for (const statement of next.value.statements) {
        await timed(statement.table, () => tx.query(statement.sql, statement.params));
        counts[statement.table] = (counts[statement.table] ?? 0) + statement.rows;
        progress.rowsWritten += statement.rows;
      }
      progress.dealsWritten += next.value.deals;
      report(progress.dealsWritten > 0 ? "deals" : "people");
    }

    if (options.demoPasswordHash) {
      await timed("sign-in accounts", () => insertSignIns(tx, options.demoPasswordHash as string));
    }
    report("indexes");
    await timed("rebuilding keys and indexes", () => restoreKeysAndIndexes(tx, keys));
    await timed("moving sequences", () => moveSequencesPastIds(tx));
    // The trend's team totals of the generated snapshot history (a review keeps them after this).
    await timed("weekly team totals", () => refreshWeekTotals((sql, params) => tx.query(sql, params), "every week"));
  });
  // Fresh statistics, or the first queries plan against empty tables.
  await timed("analyze", () =>
    sql.exec(`ANALYZE ${["Team", "User", "Quota", "Account", ...BULK_TABLES].map(quoteIdent).join(", ")}`),
  );
  report("done");
  if (options.logTimings) {
    for (const [what, ms] of timings) console.log(`    ${what.padEnd(28)} ${(ms / 1000).toFixed(2)}s`);
  }
  if (!summary) throw new Error("The generator stopped before it finished.");
  return { counts, summary };
}

/** One email + password account per person, the way better-auth stores its own ("credential"). */
async function insertSignIns(tx: SqlRunner, passwordHash: string) {
  await tx.query(
    `INSERT INTO "AuthAccount" (id, "accountId", "providerId", "userId", password, "createdAt", "updatedAt")
     SELECT gen_random_uuid()::text, u.id, 'credential', u.id, $1, now(), now() FROM "User" u`,
    [passwordHash],
  );
}

/** Opportunities and people already in the database (the CLI's --if-empty and refusal). */
export async function countExisting(sql: SqlRunner): Promise<{ opportunities: number; users: number }> {
  const [row] = await sql.query<{ opportunities: string | number; users: string | number }>(
    `SELECT (SELECT count(*) FROM "Opportunity") AS opportunities, (SELECT count(*) FROM "User") AS users`,
  );
  return { opportunities: Number(row?.opportunities ?? 0), users: Number(row?.users ?? 0) };
}

async function assertEmpty(tx: SqlRunner) {
  const existing = await countExisting(tx);
  if (existing.opportunities > 0 || existing.users > 0) {
    throw new Error(
      `The database already has ${existing.opportunities} opportunities and ${existing.users} people. ` +
        "Load the demo with --reset to replace everything, or --if-empty to leave it as it is.",
    );
  }
}

async function appTables(tx: SqlRunner): Promise<string[]> {
  const rows = await tx.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables
      WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'
      ORDER BY tablename`,
  );
  return rows.map((row) => row.name);
}

async function emptyAppTables(tx: SqlRunner) {
  const tables = await appTables(tx);
  if (tables.length > 0) await tx.exec(`TRUNCATE ${tables.map(quoteIdent).join(", ")} RESTART IDENTITY CASCADE`);
}

// ---------------------------------------------------------------- keys and indexes

interface SavedKeys {
  /** Primary keys and unique constraints: [table, name, definition]. */
  constraints: Array<[string, string, string]>;
  /** Indexes not backing a constraint: full CREATE INDEX statements. */
  indexes: string[];
  /** Foreign keys from or to the tables: [table, name, definition]. */
  foreignKeys: Array<[string, string, string]>;
}

async function dropKeysAndIndexes(tx: SqlRunner, tables: string[]): Promise<SavedKeys> {
  const inSchema = `(SELECT oid FROM pg_namespace WHERE nspname = current_schema())`;
  const foreignKeys = await tx.query<{ table_name: string; name: string; definition: string }>(
    `SELECT src.relname AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c
       JOIN pg_class src ON src.oid = c.conrelid
       JOIN pg_class dst ON dst.oid = c.confrelid
      WHERE c.contype = 'f' AND src.relnamespace = ${inSchema}
        AND (src.relname = ANY($1::text[]) OR dst.relname = ANY($1::text[]))
      ORDER BY src.relname, c.conname`,
    [tables],
  );
  const constraints = await tx.query<{ table_name: string; name: string; definition: string }>(
    `SELECT t.relname AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.contype IN ('p', 'u') AND t.relnamespace = ${inSchema} AND t.relname = ANY($1::text[])
      ORDER BY t.relname, c.conname`,
    [tables],
  );
  const indexes = await tx.query<{ name: string; definition: string }>(
    `SELECT ix.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_class ix ON ix.oid = i.indexrelid
      WHERE t.relnamespace = ${inSchema} AND t.relname = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY ix.relname`,
    [tables],
  );
  const statements = [
    ...foreignKeys.map((fk) => `ALTER TABLE ${quoteIdent(fk.table_name)} DROP CONSTRAINT ${quoteIdent(fk.name)}`),
    ...constraints.map((c) => `ALTER TABLE ${quoteIdent(c.table_name)} DROP CONSTRAINT ${quoteIdent(c.name)}`),
    ...indexes.map((ix) => `DROP INDEX ${quoteIdent(ix.name)}`),
  ];
  if (statements.length > 0) await tx.exec(statements.join(";\n"));
  return {
    constraints: constraints.map((c) => [c.table_name, c.name, c.definition]),
    indexes: indexes.map((ix) => ix.definition),
    foreignKeys: foreignKeys.map((fk) => [fk.table_name, fk.name, fk.definition]),
  };
}

async function restoreKeysAndIndexes(tx: SqlRunner, keys: SavedKeys) {
  const add = ([table, name, definition]: [string, string, string]) =>
    `ALTER TABLE ${quoteIdent(table)} ADD CONSTRAINT ${quoteIdent(name)} ${definition}`;
  // Keys first (foreign keys need the referenced primary keys), then indexes, then foreign keys.
  for (const statement of [...keys.constraints.map(add), ...keys.indexes, ...keys.foreignKeys.map(add)]) {
    const t = performance.now();
    await tx.exec(statement);
    if (process.env.SEED_TIMINGS)
      console.log(`      ${((performance.now() - t) / 1000).toFixed(2)}s ${statement.slice(0, 110)}`);
  }
}

/** Serial ids were given by the generator: the next id the app creates must come after them. */
async function moveSequencesPastIds(tx: SqlRunner) {
  const serials = await tx.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  for (const { table_name, column_name } of serials) {
    const table = quoteIdent(table_name);
    const column = quoteIdent(column_name);
    await tx.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(max(${column}), 0) + 1, false) FROM ${table}`,
      [table, column_name],
    );
  }
}
