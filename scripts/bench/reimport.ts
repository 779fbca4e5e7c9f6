// Re-import of every open deal, each one changed, through the real import
// (lib/import/run.ts, as `npm run import` and the Import page run it): the
// bench organisation's open deals are exported to a CSV as a CRM would export
// them, every deal is changed in it (amount +7 %, expected close date two
// weeks later, every fifth deal one stage further) and every fourth deal gets
// a new buyer call in an activities file; the files are read, planned against
// the database and applied in ONE committed transaction — deals, history
// rows, activities, rollups, the re-evaluation of the changed deals' flags,
// the per-rep figures, the audit trail and the data-quality report. (The
// organisation review the app runs after a committed import is the review the
// bench measures already.)
//
// The organisation is reviewed first when it has no current flags (the bench's
// daily reviews empty the Flag table), so the re-evaluation updates episodes
// as in an organisation that runs its daily review. Afterwards the bench takes
// the import back out (the rows it added deleted, the deals' columns and the
// flags restored from copies taken before, the figures recomputed), so the
// next run measures the same import on the same data.
//
// In scripts/bench.ts:  console.log(await measureReimport());
// Alone:  npx tsx --conditions=react-server scripts/bench/reimport.ts  [PGLITE_DIR=data/bench]
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { closeDb, db, type Transaction } from "@/lib/db";
import { prismaQuery } from "@/lib/db/bulk-sql";
import { withBulkSql } from "@/lib/db/bulk-transaction";
import type { ApplyStep } from "@/lib/import/mutations";
import { applyImportIn, readImportFiles } from "@/lib/import/run";
import type { Mapping } from "@/lib/import/schema";
import { refreshRepFigures } from "@/lib/figures/mutations";
import { currentFlagSql } from "@/lib/flags/current-flags";
import { runReviewAs } from "@/lib/reviews/run";

interface ExportedDeal {
  source: string;
  external_id: string;
  name: string;
  account: string | null;
  owner_email: string;
  stage: string;
  next_stage: string | null;
  amount: string;
  opened_at: string;
  expected_close: string | null;
}

const HEADER = "Deal ID,Deal name,Account,Owner email,Stage,Amount,Opened,Expected close,Status";
const quote = (value: string | null) =>
  value === null ? "" : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/** The open deals a CRM would export: those with a CRM id, with their owner's email and stage name. */
async function exportOpenDeals(): Promise<ExportedDeal[]> {
  // One text column per row: PGlite hands values to JavaScript slowly, one JSON document is fastest.
  const [row] = await prismaQuery(db)<{ deals: string | null }>(
    `SELECT json_agg(json_build_object(
         'source', o.source, 'external_id', o."externalId", 'name', o.name, 'account', a.name,
         'owner_email', u.email, 'stage', s.name, 'next_stage', nxt.name, 'amount', o.amount::text,
         'opened_at', to_char(o."openedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'expected_close', to_char(o."expectedCloseDate", 'YYYY-MM-DD')
       ) ORDER BY o.id)::text AS deals
       FROM "Opportunity" o
       JOIN "User" u ON u.id = o."ownerId"
       JOIN "Stage" s ON s.id = o."stageId"
       LEFT JOIN "Account" a ON a.id = o."accountId"
       LEFT JOIN LATERAL (
         SELECT s2.name FROM "Stage" s2 WHERE s2.active AND s2."order" > s."order" ORDER BY s2."order" LIMIT 1
       ) nxt ON true
      WHERE o.status = 'open' AND o."externalId" IS NOT NULL`,
  );
  return row?.deals ? (JSON.parse(row.deals) as ExportedDeal[]) : [];
}

/** Every fourth deal gets a new buyer call, dated an hour before the import. */
const withNewCall = (index: number) => index % 4 === 0;
const ACTIVITY_HEADER = "Activity ID,Deal ID,Date,Type,Side,Summary";

/**
 * The export with every deal changed, one deals CSV and one activities CSV
 * per source (a re-import matches deals on source + id).
 */
function changedExport(
  deals: ExportedDeal[],
  runId: string,
  callAt: Date,
): Map<string, { deals: string; activities: string }> {
  const files = new Map<string, { deals: string[]; activities: string[] }>();
  deals.forEach((deal, index) => {
    const cents = Math.round(Number(deal.amount) * 107);
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
    const close = deal.expected_close
      ? new Date(Date.parse(`${deal.expected_close}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10)
      : "";
    const stage = index % 5 === 0 && deal.next_stage ? deal.next_stage : deal.stage;
    const line = [
      deal.external_id,
      deal.name,
      deal.account,
      deal.owner_email,
      stage,
      amount,
      deal.opened_at,
      close,
      "open",
    ]
      .map(quote)
      .join(",");
    const file = files.get(deal.source) ?? { deals: [HEADER], activities: [ACTIVITY_HEADER] };
    file.deals.push(line);
    if (withNewCall(index)) {
      file.activities.push(
        [
          `bench-${runId}-${deal.external_id}`,
          deal.external_id,
          callAt.toISOString(),
          "call",
          "buyer",
          "Call about the new terms",
        ]
          .map(quote)
          .join(","),
      );
    }
    files.set(deal.source, file);
  });
  return new Map(
    [...files].map(([source, file]) => [
      source,
      { deals: `${file.deals.join("\n")}\n`, activities: `${file.activities.join("\n")}\n` },
    ]),
  );
}

function dealsMapping(source: string): Mapping {
  return {
    kind: "deals",
    preset: "generic",
    source,
    columns: {
      externalId: "Deal ID",
      name: "Deal name",
      account: "Account",
      owner: "Owner email",
      ownerEmail: "Owner email",
      stage: "Stage",
      amount: "Amount",
      openedAt: "Opened",
      expectedCloseDate: "Expected close",
      status: "Status",
    },
  };
}

function activitiesMapping(source: string): Mapping {
  return {
    kind: "activities",
    preset: "generic",
    source,
    columns: {
      externalId: "Activity ID",
      dealId: "Deal ID",
      at: "Date",
      type: "Type",
      side: "Side",
      summary: "Summary",
    },
  };
}

/** CPU seconds (user + system) since `since`: this process runs PGlite too, so it is the work done. */
const cpuSince = (since: NodeJS.CpuUsage) => {
  const cpu = process.cpuUsage(since);
  return (cpu.user + cpu.system) / 1e6;
};

/** What a statement writes or reads, for the per-statement totals: `UPDATE "Opportunity"`, `ANALYZE`, … */
function statementLabel(sql: string): string {
  const text = sql.replace(/\s+/g, " ").trim();
  const verb = text.split(" ", 1)[0]?.toUpperCase() ?? "";
  if (verb === "ANALYZE" || verb === "SET") return text.slice(0, 40);
  const write = text.match(/(INSERT INTO|UPDATE|DELETE FROM) ("\w+")/i);
  if (write) return `${write[1]?.toUpperCase()} ${write[2]}`;
  const read = text.match(/(FROM|JOIN) ("\w+")/i);
  return `${verb} ${read?.[2] ?? ""}`.trim();
}

interface StatementTotal {
  count: number;
  wall: number;
  cpu: number;
}

/** The transaction, with every raw statement's wall-clock and CPU time added up by step and label. */
function timedStatements(tx: Transaction, totals: Map<string, StatementTotal>, currentStep: () => string): Transaction {
  return new Proxy(tx, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== "$queryRawUnsafe" && property !== "$executeRawUnsafe") return value;
      return async (sql: string, ...params: unknown[]) => {
        const explain = process.env.BENCH_EXPLAIN;
        if (explain && new RegExp(explain).test(sql)) {
          // Diagnosis (BENCH_EXPLAIN=<regex>): the plan with its real row counts, then undone.
          const run = (text: string, ...args: unknown[]) =>
            (value as (sql: string, ...params: unknown[]) => Promise<unknown>).call(target, text, ...args);
          await run("SAVEPOINT bench_explain");
          const plan = (await target.$queryRawUnsafe(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, ...params)) as {
            "QUERY PLAN": string;
          }[];
          console.log(plan.map((row) => row["QUERY PLAN"]).join("\n"));
          await target.$executeRawUnsafe("ROLLBACK TO SAVEPOINT bench_explain");
        }
        const cpu = process.cpuUsage();
        const wall = performance.now();
        try {
          return await (value as (sql: string, ...params: unknown[]) => Promise<unknown>).call(target, sql, ...params);
        } finally {
          const label = `${currentStep()}: ${statementLabel(sql)}`;
          const total = totals.get(label) ?? { count: 0, wall: 0, cpu: 0 };
          total.count += 1;
          total.wall += (performance.now() - wall) / 1000;
          total.cpu += cpuSince(cpu);
          totals.set(label, total);
        }
      };
    },
  });
}

/** The tables the import writes, copied or counted before it so the bench can take it back out. */
const ADDED_ROWS = ["StageChange", "CloseDateChange", "AmountChange", "Activity", "AuditEvent"] as const;
const DEAL_COLUMNS = [
  "amount",
  "stageId",
  "expectedCloseDate",
  "version",
  "updatedAt",
  "lastActivityAt",
  "lastBuyerActivityAt",
  "lastSellerActivityAt",
  "lastForwardMoveAt",
  "stageEnteredAt",
  "closeDatePushCount",
].map((column) => `"${column}"`);

type Undo = Record<(typeof ADDED_ROWS)[number], number>;

async function keepForUndo(): Promise<Undo> {
  const query = prismaQuery(db);
  await query(`DROP TABLE IF EXISTS "_BenchReimportDeals", "_BenchReimportFlags"`);
  await query(
    `CREATE TABLE "_BenchReimportDeals" AS SELECT id, ${DEAL_COLUMNS.join(", ")} FROM "Opportunity"
      WHERE status = 'open' AND "externalId" IS NOT NULL`,
  );
  await query(`CREATE TABLE "_BenchReimportFlags" AS SELECT * FROM "Flag"`);
  const [row] = await query<Undo>(
    `SELECT ${ADDED_ROWS.map((table) => `(SELECT coalesce(max(id), 0) FROM "${table}")::int AS "${table}"`).join(", ")}`,
  );
  if (!row) throw new Error("Could not read the tables' last ids.");
  return row;
}

/** Puts the organisation back as it was before the import (see the header). */
async function takeBack(undo: Undo): Promise<void> {
  await db.$transaction(
    async (tx) => {
      const query = prismaQuery(tx);
      for (const table of ADDED_ROWS) await query(`DELETE FROM "${table}" WHERE id > $1`, [undo[table]]);
      await query(
        `UPDATE "Opportunity" o SET ${DEAL_COLUMNS.map((column) => `${column} = b.${column}`).join(", ")}
           FROM "_BenchReimportDeals" b WHERE o.id = b.id`,
      );
      await query(`TRUNCATE "Flag"`);
      await query(`INSERT INTO "Flag" SELECT * FROM "_BenchReimportFlags"`);
      await refreshRepFigures(tx, "everyone");
      await query(`DROP TABLE "_BenchReimportDeals", "_BenchReimportFlags"`);
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
}

class RollBackFloor extends Error {}

/**
 * The floor: what the data's trip in costs before any import logic — the rows
 * the import left (the changed deals' new versions, the history rows,
 * activities and audit events it added, the changed deals' current flags),
 * read back as JSON documents of 20,000 rows and inserted into empty copies
 * of their tables with the same indexes (no foreign keys), rolled back. Only
 * the inserts are timed.
 */
async function writeFloor(undo: Undo): Promise<{ rows: number; wall: number; cpu: number; tables: string[] }> {
  const changedDeals = `SELECT id FROM "_BenchReimportDeals"`;
  const written: [string, string][] = [
    ["Opportunity", `id IN (${changedDeals})`],
    ...ADDED_ROWS.map((table): [string, string] => [table, `id > ${undo[table]}`]),
    ["Flag", `"endedAt" IS NULL AND "opportunityId" IN (${changedDeals})`],
  ];
  const documents: { table: string; parts: { doc: string; rows: number }[] }[] = [];
  for (const [table, where] of written) {
    const parts = await prismaQuery(db)<{ doc: string; rows: number }>(
      `SELECT json_agg(t)::text AS doc, count(*)::int AS rows
         FROM (SELECT *, (row_number() OVER (ORDER BY id) - 1) / 20000 AS part FROM "${table}" WHERE ${where}) t
        GROUP BY part ORDER BY part`,
    );
    documents.push({ table, parts });
  }
  const floor = { rows: 0, wall: 0, cpu: 0, tables: [] as string[] };
  try {
    await db.$transaction(
      async (tx) => {
        // The same way in as the import's statements (lib/db/bulk-transaction.ts).
        const query = prismaQuery(await withBulkSql(tx));
        for (const { table, parts } of documents) {
          const scratch = `BenchFloor${table}`;
          await query(`CREATE TEMP TABLE "${scratch}" (LIKE "${table}" INCLUDING DEFAULTS INCLUDING INDEXES)`);
          const cpu = process.cpuUsage();
          const wall = performance.now();
          for (const part of parts) {
            await query(
              `INSERT INTO "${scratch}" SELECT * FROM json_populate_recordset(NULL::"${scratch}", $1::text::json)`,
              [part.doc],
            );
            floor.rows += part.rows;
          }
          const tableCpu = cpuSince(cpu);
          const rows = parts.reduce((sum, part) => sum + part.rows, 0);
          floor.wall += (performance.now() - wall) / 1000;
          floor.cpu += tableCpu;
          floor.tables.push(`${table} ${rows.toLocaleString("en-US")} rows cpu ${tableCpu.toFixed(1)} s`);
        }
        throw new RollBackFloor();
      },
      { timeout: 30 * 60_000, maxWait: 60_000 },
    );
  } catch (error) {
    if (!(error instanceof RollBackFloor)) throw error;
  }
  return floor;
}

/** Times a re-import of every open deal, changed; returns the line the bench prints. */
export async function measureReimport(options: { log?: (line: string) => void } = {}): Promise<string> {
  const log = options.log ?? (() => undefined);
  const [flags] = await prismaQuery(db)<{ current: number }>(
    `SELECT count(*)::int AS current FROM "Flag" f WHERE ${currentFlagSql("f")}`,
  );
  if (!flags?.current) {
    log("  re-import: reviewing the organisation first (no current flags to re-evaluate)");
    await runReviewAs(null);
  }
  const deals = await exportOpenDeals();
  if (deals.length === 0) throw new Error("The bench organisation has no open deals with a CRM id to re-import.");
  const dir = await mkdtemp(path.join(os.tmpdir(), "bench-reimport-"));
  const undo = await keepForUndo();
  try {
    const sources = [];
    const runId = Date.now().toString(36);
    const exported = changedExport(deals, runId, new Date(Date.now() - 3_600_000));
    for (const [source, csv] of exported) {
      for (const kind of ["deals", "activities"] as const) {
        const file = path.join(dir, `${source}-${kind}.csv`);
        await writeFile(file, csv[kind]);
        sources.push({
          options: {
            fileName: `${source}-${kind}.csv`,
            kind,
            preset: "generic" as const,
            mapping: kind === "deals" ? dealsMapping(source) : activitiesMapping(source),
          },
          content: createReadStream(file, { highWaterMark: 256 * 1024 }),
        });
      }
    }
    const calls = deals.filter((_, index) => withNewCall(index)).length;
    const started = performance.now();
    // Each step's wall-clock and CPU time (this process runs PGlite too, so CPU time is the
    // work done, steadier than wall-clock on a busy machine).
    const marks: string[] = [];
    let step: ApplyStep | "read" | "plan" | "figures and quality" | "commit" = "read";
    let stepStarted = { wall: performance.now(), cpu: process.cpuUsage() };
    const mark = (next: typeof step | "end") => {
      const wall = (performance.now() - stepStarted.wall) / 1000;
      marks.push(`${step} ${wall.toFixed(1)} s (cpu ${cpuSince(stepStarted.cpu).toFixed(1)} s)`);
      if (next !== "end") step = next;
      stepStarted = { wall: performance.now(), cpu: process.cpuUsage() };
    };
    const cpuAtStart = process.cpuUsage();
    const files = await readImportFiles(sources);
    mark("plan");
    const statements = new Map<string, StatementTotal>();
    const result = await db.$transaction(
      async (tx) => {
        // The import's own bulk statements (as applyImportIn would make them), timed one by one.
        const imported = await applyImportIn(
          timedStatements(await withBulkSql(tx), statements, () => step),
          files,
          { skipRejected: false },
          { actorId: null, via: "command line" },
          (progress) => {
            if (progress.step !== step) mark(progress.step);
            // The figures and the data-quality report follow the audit trail's last progress.
            if (progress.step === "audit" && progress.done === progress.total) mark("figures and quality");
          },
        );
        mark("commit");
        return imported;
      },
      { timeout: 30 * 60_000, maxWait: 60_000 },
    );
    mark("end");
    const seconds = (performance.now() - started) / 1000;
    const importCpu = cpuSince(cpuAtStart);
    log(`  re-import cpu ${importCpu.toFixed(1)} s; steps: ${marks.join(" · ")}`);
    log(
      `  statements (count, wall, cpu): ${[...statements]
        .sort(([, a], [, b]) => b.cpu - a.cpu)
        .map(([label, t]) => `${label} ×${t.count} ${t.wall.toFixed(1)} s (cpu ${t.cpu.toFixed(1)} s)`)
        .join(" · ")}`,
    );
    const floor = await writeFloor(undo);
    log(
      `  write floor: the import's ${floor.rows.toLocaleString("en-US")} rows into empty copies of their tables ` +
        `${floor.wall.toFixed(1)} s (cpu ${floor.cpu.toFixed(1)} s) — ${((100 * floor.cpu) / importCpu || 0).toFixed(0)} % of the import's cpu (${floor.tables.join(" · ")})`,
    );
    const count = (kind: string, key: "updated" | "new") =>
      result.files.filter((file) => file.kind === kind).reduce((sum, file) => sum + file.counts[key], 0);
    if (count("deals", "updated") !== deals.length || count("activities", "new") !== calls) {
      throw new Error(
        `The re-import updated ${count("deals", "updated")} of the ${deals.length} changed deals and added ` +
          `${count("activities", "new")} of the ${calls} new calls: the bench would measure something else.`,
      );
    }
    return `re-import of ${deals.length.toLocaleString("en-US")} changed deals: ${seconds.toFixed(1)} s`;
  } finally {
    await takeBack(undo);
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? "")) {
  process.env.PGLITE_DIR ??= "data/bench";
  measureReimport({ log: console.log })
    .then((line) => console.log(line))
    // Closed before exiting, so PGlite writes its checkpoint and the next run opens the directory cleanly.
    .then(() => closeDb())
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
