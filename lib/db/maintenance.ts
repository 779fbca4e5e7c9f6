// What autovacuum does on a PostgreSQL server, for the embedded database.
//
// PGlite has no autovacuum: every row a review, an import or a sync rewrites
// leaves a dead copy behind that nobody reclaims, and the planner's
// statistics are refreshed only where a writer ANALYZEs itself. On the bench
// organisation a few daily reviews left Opportunity at ~3.5× its size and
// DealJudgement never analyzed (planned at 516k–750k rows for 100k), and a
// whole-organisation scan reads every dead page: the repeat review slowed
// from 4.5 s on day 2 to 8.2 s on day 30.
//
// So, after a writer commits, `maintainTables` applies autovacuum's default
// rules to every table of the schema, from PGlite's own counters
// (pg_stat_user_tables — kept in single-user mode too, but flushed at most
// once a second, so they are flushed first):
// - VACUUM (ANALYZE) a table whose dead rows exceed 50 + 20% of its live rows;
// - ANALYZE a table whose rows changed since the last ANALYZE exceed 50 + 10%
//   of its live rows, or that has rows and was never analyzed.
// Its ANALYZE samples 3,000 rows (statistics target 10), as the writers' own
// do (lib/db/statistics.ts), not autovacuum's 30,000: ANALYZE's cost is
// reading its sample — up to a page per sampled row, so every page of a
// table under 30,000 pages (Activity, Opportunity, Flag) — whatever the
// columns, and it was most of this pass (ANALYZE Opportunity ~550 ms of CPU,
// Activity ~400, Flag ~450; ~50, ~50 and ~35 with the coarse sample). The
// plans here need row counts, NULL shares and how many distinct deals or
// reps, which 3,000 rows give. A forced pass (the bench's set-up) keeps the
// full sample.
//
// WHEN: right after the writer's transaction commits, as part of the action
// (a review, an import), and counted in its time. PGlite is one connection
// in the app's process: there is no idle time that belongs to nobody — work
// started "after the response" would still hold the database while the next
// request waits, invisibly, and a command (`npm run review`, `npm run
// import`) exits right after its write. Done in the action, its cost is
// visible where it is caused (the bench times it with the review) and
// bounded: a table is vacuumed only once enough of it is dead, which for a
// daily review of a 100k-deal organisation is every few days per table.
//
// HOW it stays out of the way: never inside a transaction (VACUUM cannot run
// in one), one table per statement through PGlite's own queue, so a write
// that arrives meanwhile waits for at most one table's VACUUM, not the whole
// pass; one pass at a time per process. A failure is logged and never fails
// the action that asked for it — the write has committed already.
//
// On a PostgreSQL server autovacuum does all this itself: nothing runs there.
// PIPELINE_TABLE_MAINTENANCE=off switches it off (for the bench's comparison
// only; a real organisation's tables then grow without bound).
import { type Connection, getConnection } from "@/lib/db";

/** One table's counters, as pg_stat_user_tables keeps them. */
export interface TableActivity {
  table: string;
  liveRows: number;
  deadRows: number;
  changedSinceAnalyze: number;
  /** Has rows but was never analyzed nor vacuumed: the planner guesses its size (counters can be lost on a crash). */
  neverAnalyzed: boolean;
}

export interface MaintenanceDue {
  vacuum: string[];
  analyze: string[];
}

export interface MaintenanceReport extends MaintenanceDue {
  /** Why nothing ran, when nothing could. */
  skipped?: "server runs autovacuum" | "switched off" | "failed";
}

/** What one pass runs: VACUUM (ANALYZE), VACUUM alone, ANALYZE alone, table by table. */
interface Plan {
  vacuumAnalyze: string[];
  vacuumOnly: string[];
  analyze: string[];
}

/** autovacuum's defaults (PostgreSQL docs, "The Autovacuum Daemon"). */
const VACUUM_BASE = 50;
const VACUUM_SHARE = 0.2;
const ANALYZE_BASE = 50;
const ANALYZE_SHARE = 0.1;
/** 3,000 sampled rows (300 × the target), as lib/db/statistics.ts: see the header. */
export const MAINTENANCE_STATISTICS_TARGET = 10;

/** Which tables autovacuum would vacuum (with ANALYZE) and which it would only analyze. */
export function maintenanceDue(tables: readonly TableActivity[]): MaintenanceDue {
  const vacuum: string[] = [];
  const analyze: string[] = [];
  for (const table of tables) {
    if (table.deadRows > VACUUM_BASE + VACUUM_SHARE * table.liveRows) vacuum.push(table.table);
    else if (table.changedSinceAnalyze > ANALYZE_BASE + ANALYZE_SHARE * table.liveRows || table.neverAnalyzed) {
      analyze.push(table.table);
    }
  }
  return { vacuum, analyze };
}

export function maintenanceSwitchedOff(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.PIPELINE_TABLE_MAINTENANCE?.trim().toLowerCase() === "off";
}

let previousPass: Promise<unknown> = Promise.resolve();
/**
 * The databases this process has maintained since it opened them. PGlite
 * starts its counters from zero each time it opens (they are not kept on
 * disk), so rows left dead by an earlier process — `npm run review` is one
 * process per review — show in no counter: the first pass of a process
 * VACUUMs every table. That is cheap where nothing changed: VACUUM skips the
 * pages its visibility map marks all-visible, and the pages written since
 * the last VACUUM are exactly the ones that may hold dead rows.
 */
const maintainedSinceOpen = new WeakSet<object>();

/**
 * After a write transaction has committed: vacuum and analyze the tables
 * that need it (see the header). Never throws; never call it inside a
 * transaction on the same database (it would wait for that transaction).
 */
export function maintainTables(
  connection: Connection = getConnection(),
  options: { force?: boolean; log?: (message: string, error: unknown) => void } = {},
): Promise<MaintenanceReport> {
  const pass = previousPass.then(() => maintainNow(connection, options));
  previousPass = pass;
  return pass;
}

async function maintainNow(
  connection: Connection,
  options: { force?: boolean; log?: (message: string, error: unknown) => void },
): Promise<MaintenanceReport> {
  if (connection.target.kind === "postgres") return { vacuum: [], analyze: [], skipped: "server runs autovacuum" };
  if (!options.force && maintenanceSwitchedOff()) return { vacuum: [], analyze: [], skipped: "switched off" };
  const done: MaintenanceDue = { vacuum: [], analyze: [] };
  try {
    const tables = await readTableActivity(connection);
    const database = connection.pglite ?? connection;
    const due = maintenanceDue(tables);
    const plan: Plan =
      options.force || !maintainedSinceOpen.has(database)
        ? firstPass(tables, options.force === true)
        : { vacuumAnalyze: due.vacuum, vacuumOnly: [], analyze: due.analyze };
    // Statement by statement, outside any transaction: PGlite queues other
    // work between them.
    const analyze = async (table: string) => {
      if (options.force) return connection.sql.exec(`ANALYZE "${table}"`);
      try {
        // SET LOCAL: the coarse sample ends with this transaction.
        await connection.sql.exec(
          `BEGIN; SET LOCAL default_statistics_target = ${MAINTENANCE_STATISTICS_TARGET}; ANALYZE "${table}"; COMMIT`,
        );
      } catch (error) {
        // A failed ANALYZE leaves its transaction open and aborted: close it, or every later statement fails.
        await connection.sql.exec("ROLLBACK").catch(() => undefined);
        throw error;
      }
    };
    for (const table of plan.vacuumAnalyze) {
      // VACUUM (ANALYZE) in two statements: the ANALYZE can take the coarse
      // sample only inside a transaction, where VACUUM cannot run.
      await connection.sql.exec(`VACUUM "${table}"`);
      await analyze(table);
      done.vacuum.push(table);
    }
    for (const table of plan.vacuumOnly) {
      await connection.sql.exec(`VACUUM "${table}"`);
      done.vacuum.push(table);
    }
    for (const table of plan.analyze) {
      await analyze(table);
      done.analyze.push(table);
    }
    maintainedSinceOpen.add(database);
    return done;
  } catch (error) {
    (options.log ?? console.error)("Table maintenance (VACUUM/ANALYZE) failed; the change itself was saved.", error);
    return { ...done, skipped: "failed" };
  }
}

/**
 * The first pass since the database opened: every table VACUUMed — with
 * ANALYZE only where the counters ask for one, so the pass costs little
 * where nothing changed. A forced pass (the bench's setup) analyzes all.
 */
function firstPass(tables: readonly TableActivity[], force: boolean): Plan {
  const due = maintenanceDue(tables);
  const analyzeToo = new Set(force ? tables.map((table) => table.table) : [...due.vacuum, ...due.analyze]);
  return {
    vacuumAnalyze: tables.filter((table) => analyzeToo.has(table.table)).map((table) => table.table),
    vacuumOnly: tables.filter((table) => !analyzeToo.has(table.table)).map((table) => table.table),
    analyze: [],
  };
}

/** The counters of every table of the app's schema, flushed first (PGlite flushes them at most once a second). */
export async function readTableActivity(connection: Connection): Promise<TableActivity[]> {
  await connection.sql.query(`SELECT pg_stat_force_next_flush()`);
  const rows = await connection.sql.query<{
    table: string;
    live: number;
    dead: number;
    changed: number;
    never_analyzed: boolean;
  }>(
    `SELECT s.relname::text AS "table", s.n_live_tup::float8 AS live, s.n_dead_tup::float8 AS dead,
            s.n_mod_since_analyze::float8 AS changed,
            (c.reltuples < 0 AND pg_relation_size(c.oid) > 0) AS never_analyzed
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname = current_schema() AND s.relname <> '_prisma_migrations'
      ORDER BY s.relname`,
  );
  return rows.map((row) => ({
    table: row.table,
    liveRows: Number(row.live),
    deadRows: Number(row.dead),
    changedSinceAnalyze: Number(row.changed),
    neverAnalyzed: Boolean(row.never_analyzed),
  }));
}

/** Each table's size in 8 kB pages, as on disk now (the bench prints them before and after). */
export async function tablePages(connection: Connection, tables: readonly string[]): Promise<Map<string, number>> {
  const rows = await connection.sql.query<{ table: string; pages: number }>(
    `SELECT t AS "table", (pg_relation_size(format('%I', t)::regclass) / 8192)::int AS pages
       FROM unnest($1::text[]) AS t`,
    [tables],
  );
  return new Map(rows.map((row) => [row.table, Number(row.pages)]));
}
