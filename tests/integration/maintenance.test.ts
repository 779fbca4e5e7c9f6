// Table maintenance on the embedded database (lib/db/maintenance.ts): what
// autovacuum would do on a server, done after the writers commit. Runs on a
// real PGlite with the real migrations; on a PostgreSQL server the only
// thing to check is that it leaves the work to autovacuum.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Connection, db, getConnection, openConnection, useConnection } from "@/lib/db";
import { MAINTENANCE_STATISTICS_TARGET, maintainTables, maintenanceDue, readTableActivity } from "@/lib/db/maintenance";
import { runReviewAs } from "@/lib/reviews/run";
import { resetDatabase } from "../fixtures/reset-database";
import { AS_OF, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

// The database tests run on PGlite unless TEST_DATABASE_URL names a server.
const onPglite = !process.env.TEST_DATABASE_URL;
const DEALS = 3_000;

let org: SmallOrg;

beforeEach(async () => {
  await resetDatabase();
  org = await createSmallOrg();
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Many open deals in one statement, as an import writes them. */
async function createManyDeals(): Promise<void> {
  await getConnection().sql.query(
    `INSERT INTO "Opportunity" (source, "externalId", name, "ownerId", amount, "stageId", status, "openedAt", "stageEnteredAt", "updatedAt")
     SELECT 'bulk', 'bulk-' || g, 'Bulk deal ' || g, $1, 1000 + g, $2, 'open', $3::timestamptz, $3::timestamptz, $3::timestamptz
       FROM generate_series(1, ${DEALS}) g`,
    [org.people.ana.userId, org.stages.discovery, new Date(AS_OF.getTime() - 40 * 86_400_000).toISOString()],
  );
}

/**
 * Every deal rewritten in one transaction, as a re-import does: a new stage
 * (an indexed column, so no update stays within its page) and a new amount.
 */
async function rewriteEveryDeal(): Promise<void> {
  const { discovery, demo } = org.stages;
  await getConnection().sql.transaction((tx) =>
    tx.query(
      `UPDATE "Opportunity" SET "stageId" = CASE WHEN "stageId" = $1 THEN $2 ELSE $1 END, amount = amount + 1
        WHERE source = 'bulk'`,
      [discovery, demo],
    ),
  );
}

async function pages(table: string): Promise<number> {
  const [row] = await getConnection().sql.query<{ pages: number }>(
    `SELECT (pg_relation_size($1::regclass) / 8192)::int AS pages`,
    [`"${table}"`],
  );
  return Number(row?.pages);
}

async function activityOf(table: string) {
  const tables = await readTableActivity(getConnection());
  const found = tables.find((entry) => entry.table === table);
  if (!found) throw new Error(`No counters for ${table}`);
  return found;
}

describe("which tables autovacuum's rules pick", () => {
  const table = { table: "Flag", liveRows: 1_000, deadRows: 0, changedSinceAnalyze: 0, neverAnalyzed: false };

  it("vacuums past 50 + 20% dead rows, analyzes past 50 + 10% changed, and analyzes a table never analyzed", () => {
    expect(maintenanceDue([{ ...table, deadRows: 250 }])).toEqual({ vacuum: [], analyze: [] });
    expect(maintenanceDue([{ ...table, deadRows: 251 }])).toEqual({ vacuum: ["Flag"], analyze: [] });
    expect(maintenanceDue([{ ...table, changedSinceAnalyze: 150 }])).toEqual({ vacuum: [], analyze: [] });
    expect(maintenanceDue([{ ...table, changedSinceAnalyze: 151 }])).toEqual({ vacuum: [], analyze: ["Flag"] });
    expect(maintenanceDue([{ ...table, neverAnalyzed: true }])).toEqual({ vacuum: [], analyze: ["Flag"] });
  });
});

describe.runIf(onPglite)("on the embedded database (PGlite)", () => {
  it("keeps a table's pages bounded over 10 rounds of rewrites; without it they grow every round", async () => {
    await createManyDeals();
    await maintainTables(getConnection(), { force: true });
    const start = await pages("Opportunity");

    for (let round = 0; round < 10; round++) {
      await rewriteEveryDeal();
      const report = await maintainTables();
      expect(report.skipped).toBeUndefined();
      expect(report.vacuum).toContain("Opportunity");
    }
    const maintained = await pages("Opportunity");
    expect((await activityOf("Opportunity")).deadRows).toBe(0);
    // One round's new row versions need room beside the live ones: twice the pages at most.
    expect(maintained).toBeLessThanOrEqual(2 * start + 2);

    vi.stubEnv("PIPELINE_TABLE_MAINTENANCE", "off");
    for (let round = 0; round < 10; round++) {
      await rewriteEveryDeal();
      expect((await maintainTables()).skipped).toBe("switched off");
    }
    const unmaintained = await pages("Opportunity");
    expect((await activityOf("Opportunity")).deadRows).toBeGreaterThanOrEqual(10 * DEALS);
    expect(unmaintained).toBeGreaterThan(maintained + 8 * start);
  });

  it("a review cleans up after itself and the re-import before it, and analyzes the judgement state", async () => {
    await createManyDeals();
    await maintainTables(getConnection(), { force: true });
    await rewriteEveryDeal();
    expect((await activityOf("Opportunity")).deadRows).toBeGreaterThanOrEqual(DEALS);

    await runReviewAs(null, { asOf: AS_OF, now: AS_OF });

    expect((await activityOf("Opportunity")).deadRows).toBe(0);
    // VACUUM cannot run inside a transaction block: it ran, so it ran outside one.
    const [vacuumed] = await getConnection().sql.query<{ last_vacuum: Date | null }>(
      `SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'Opportunity'`,
    );
    expect(vacuumed?.last_vacuum).not.toBeNull();
    // The review stored a judgement per deal: the planner knows how many.
    const [judgements] = await getConnection().sql.query<{ reltuples: number; rows: number }>(
      `SELECT reltuples::float8 AS reltuples, (SELECT count(*)::int FROM "DealJudgement") AS rows
         FROM pg_class WHERE oid = '"DealJudgement"'::regclass`,
    );
    expect(Number(judgements?.rows)).toBeGreaterThanOrEqual(DEALS);
    expect(Number(judgements?.reltuples)).toBe(Number(judgements?.rows));
  });

  it("a failing maintenance is logged and never fails the review that asked for it", async () => {
    await createManyDeals();
    await rewriteEveryDeal();
    const real = getConnection();
    const broken: Connection = {
      ...real,
      sql: {
        ...real.sql,
        exec: (sql: string) =>
          sql.startsWith("VACUUM") || sql.startsWith("ANALYZE")
            ? Promise.reject(new Error("disk full"))
            : real.sql.exec(sql),
      },
    };
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    useConnection(broken);
    try {
      const { reviewId } = await runReviewAs(null, { asOf: AS_OF, now: AS_OF });
      expect(await db.review.count({ where: { id: reviewId } })).toBe(1);
    } finally {
      useConnection(real);
    }
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("Table maintenance"), expect.any(Error));
    expect((await activityOf("Opportunity")).deadRows).toBeGreaterThanOrEqual(DEALS);
  });

  it("waits for a write in progress, and a write that arrives during it goes through", async () => {
    await createManyDeals();
    await rewriteEveryDeal();
    const order: string[] = [];
    // A transaction open while maintenance is asked for: maintenance waits for it to commit.
    let commit: () => void = () => undefined;
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const writer = getConnection().sql.transaction(async (tx) => {
      await tx.query(`UPDATE "Opportunity" SET "nextStep" = 'call back' WHERE source = 'bulk'`);
      await committed;
      order.push("write committed");
    });
    const maintenance = maintainTables().then((report) => {
      order.push("maintenance done");
      return report;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    commit();
    // And a write that arrives while every table is being vacuumed.
    const forced = maintainTables(getConnection(), { force: true });
    const later = db.opportunity.updateMany({ where: { source: "bulk" }, data: { nextStep: "send proposal" } });

    const [report, , forcedReport, updated] = await Promise.all([maintenance, writer, forced, later]);
    expect(order).toEqual(["write committed", "maintenance done"]);
    expect(report.skipped).toBeUndefined();
    expect(report.vacuum).toContain("Opportunity");
    expect(forcedReport.skipped).toBeUndefined();
    expect(updated.count).toBe(DEALS);
    expect(await db.opportunity.count({ where: { nextStep: "send proposal" } })).toBe(DEALS);
  });
});

describe.runIf(onPglite)("its ANALYZE takes a coarse sample", () => {
  async function amountHistogram(): Promise<number> {
    const [row] = await getConnection().sql.query<{ bounds: number }>(
      `SELECT coalesce(array_length(histogram_bounds, 1), 0)::int AS bounds FROM pg_stats
        WHERE schemaname = current_schema() AND tablename = 'Opportunity' AND attname = 'amount'`,
    );
    return Number(row?.bounds);
  }

  it("statistics target 10 for the pass after a write; a forced pass and the session keep the default", async () => {
    await createManyDeals();
    await maintainTables(getConnection(), { force: true });
    // 3,000 distinct amounts: the default target keeps a histogram of 101 bounds.
    expect(await amountHistogram()).toBe(101);

    await rewriteEveryDeal();
    const report = await maintainTables();
    expect(report.vacuum).toContain("Opportunity");
    expect(await amountHistogram()).toBe(MAINTENANCE_STATISTICS_TARGET + 1);
    const [setting] = await getConnection().sql.query<{ default_statistics_target: string }>(
      `SHOW default_statistics_target`,
    );
    expect(setting?.default_statistics_target).toBe("100");
  });

  it("a failing ANALYZE leaves no transaction open behind it", async () => {
    await maintainTables();
    await createManyDeals();
    const real = getConnection();
    const failing: Connection = {
      ...real,
      sql: {
        ...real.sql,
        // The coarse ANALYZE's transaction, failing half-way as a real error would.
        exec: (sql: string) => real.sql.exec(sql.startsWith("BEGIN") ? "BEGIN; SELECT 1 / 0; COMMIT" : sql),
      },
    };
    const logged = vi.fn();
    const report = await maintainTables(failing, { log: logged });
    expect(report.skipped).toBe("failed");
    expect(logged).toHaveBeenCalledTimes(1);
    expect(await db.opportunity.count({ where: { source: "bulk" } })).toBe(DEALS);
  });
});

describe.runIf(onPglite)("after the embedded database is opened again", () => {
  it("vacuums the rows an earlier process left dead, though PGlite forgot its counters", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "maintenance-"));
    try {
      const earlier = new PGlite(dataDir);
      await earlier.exec(`CREATE TABLE "Deal" (id int PRIMARY KEY, amount int)`);
      await earlier.exec(`INSERT INTO "Deal" SELECT g, g FROM generate_series(1, 5000) g`);
      await earlier.exec(`UPDATE "Deal" SET amount = amount + 1`);
      await earlier.close();

      const reopened = openConnection({ kind: "pglite", dataDir }, new PGlite(dataDir));
      try {
        const [forgotten] = await readTableActivity(reopened);
        expect(forgotten).toMatchObject({ table: "Deal", deadRows: 0 });
        const first = await maintainTables(reopened);
        expect(first.vacuum).toEqual(["Deal"]);
        const [after] = await reopened.sql.query<{ last_vacuum: Date | null; reltuples: number }>(
          `SELECT s.last_vacuum, c.reltuples::float8 AS reltuples
             FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'Deal'`,
        );
        expect(after?.last_vacuum).not.toBeNull();
        expect(Number(after?.reltuples)).toBe(5000);
        // From then on the counters are this process's own: nothing to do.
        expect(await maintainTables(reopened)).toEqual({ vacuum: [], analyze: [] });
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe.runIf(!onPglite)("on a PostgreSQL server", () => {
  it("leaves vacuuming to the server's autovacuum", async () => {
    await createManyDeals();
    await rewriteEveryDeal();
    expect(await maintainTables()).toEqual({ vacuum: [], analyze: [], skipped: "server runs autovacuum" });
  });
});

/**
 * The columns migration *_display_only_statistics keeps out of ANALYZE: shown
 * or summed, never filtered, joined, grouped or sorted on (the migration says
 * where each is read). Sampling them was most of ANALYZE's time.
 */
const DISPLAY_ONLY: Record<string, string[]> = {
  Flag: ["explanation", "metrics"],
  RepFigures: ["openDays", "openDealsUpTo", "openCentsUpTo", "recentDays", "recentDealsUpTo", "recentCentsUpTo"],
  PipelineSnapshot: [
    "openCount",
    "openValue",
    "weightedValue",
    "staleCount",
    "staleValue",
    "newPipelineValue",
    "wonValue",
  ],
};
/** Columns of the same tables that reads filter and join on: they keep their statistics. */
const FILTERED: Record<string, string[]> = {
  Flag: ["opportunityId", "rule", "severity", "endedAt"],
  RepFigures: ["repId"],
  PipelineSnapshot: ["userId", "weekStart"],
};

async function statisticsTargets(table: string): Promise<Map<string, number>> {
  // PostgreSQL 17+ keeps the default as NULL, earlier versions as -1.
  const rows = await getConnection().sql.query<{ column: string; target: number }>(
    `SELECT attname::text AS "column", coalesce(attstattarget, -1)::int AS target
       FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [`"${table}"`],
  );
  return new Map(rows.map((row) => [row.column, Number(row.target)]));
}

async function columnsWithStatistics(table: string): Promise<string[]> {
  const rows = await getConnection().sql.query<{ column: string }>(
    `SELECT attname::text AS "column" FROM pg_stats WHERE schemaname = current_schema() AND tablename = $1`,
    [table],
  );
  return rows.map((row) => row.column);
}

describe("columns only ever displayed get no planner statistics", () => {
  it("have statistics target 0 after the migrations; the other columns keep the default", async () => {
    for (const [table, columns] of Object.entries(DISPLAY_ONLY)) {
      const targets = await statisticsTargets(table);
      for (const column of columns)
        expect({ table, column, target: targets.get(column) }).toEqual({ table, column, target: 0 });
      for (const column of FILTERED[table] ?? []) {
        expect({ table, column, target: targets.get(column) }).toEqual({ table, column, target: -1 });
      }
    }
  });

  it("their tables are still analyzed: statistics for the columns reads filter on, none for these", async () => {
    await createManyDeals();
    await runReviewAs(null, { asOf: AS_OF, now: AS_OF });
    const tables = Object.keys(DISPLAY_ONLY);
    for (const table of tables) {
      const [row] = await getConnection().sql.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM "${table}"`);
      expect({ table, rows: Number(row?.rows) > 0 }).toEqual({ table, rows: true });
    }
    if (onPglite) {
      const report = await maintainTables(getConnection(), { force: true });
      expect(report.skipped).toBeUndefined();
      expect(report.vacuum).toEqual(expect.arrayContaining(tables));
    } else {
      // A server's autovacuum runs the same ANALYZE.
      for (const table of tables) await getConnection().sql.exec(`ANALYZE "${table}"`);
    }
    for (const table of tables) {
      const analyzed = await columnsWithStatistics(table);
      expect({ table, analyzed }).toEqual({ table, analyzed: expect.arrayContaining(FILTERED[table] ?? []) });
      expect({ table, displayOnly: analyzed.filter((column) => DISPLAY_ONLY[table]?.includes(column)) }).toEqual({
        table,
        displayOnly: [],
      });
    }
  });
});
