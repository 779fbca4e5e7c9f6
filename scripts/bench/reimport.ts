// Re-import of every open deal, each one changed, through the real import
// (lib/import/run.ts, as `npm run import` runs it): the bench organisation's
// open deals are exported to a CSV as a CRM would export them, every deal is
// changed in it (amount +7 %, expected close date two weeks later, every
// fifth deal one stage further), and the file is read, planned against the
// database and applied in ONE transaction — deals, history rows, rollups,
// the re-evaluation of the changed deals' flags and the audit trail. The
// transaction is then rolled back, so the bench organisation stays as it was
// and every run measures the same import. (The organisation review that
// follows a committed import is the review the bench measures already.)
//
// In scripts/bench.ts:  console.log(await measureReimport());
// Alone:  npx tsx --conditions=react-server scripts/bench/reimport.ts  [PGLITE_DIR=data/bench]
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { db } from "@/lib/db";
import { prismaQuery } from "@/lib/db/bulk-sql";
import type { ApplyStep } from "@/lib/import/mutations";
import { applyImportIn, readImportFiles } from "@/lib/import/run";
import type { Mapping } from "@/lib/import/schema";

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

/** The export with every deal changed, one CSV per source (a re-import matches deals on source + id). */
function changedExport(deals: ExportedDeal[]): Map<string, string> {
  const files = new Map<string, string[]>();
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
    const lines = files.get(deal.source) ?? [HEADER];
    lines.push(line);
    files.set(deal.source, lines);
  });
  return new Map([...files].map(([source, lines]) => [source, `${lines.join("\n")}\n`]));
}

function mappingFor(source: string): Mapping {
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

class RollBackBench extends Error {}

/** Times a re-import of every open deal, changed; returns the line the bench prints. */
export async function measureReimport(options: { log?: (line: string) => void } = {}): Promise<string> {
  const log = options.log ?? (() => undefined);
  const deals = await exportOpenDeals();
  if (deals.length === 0) throw new Error("The bench organisation has no open deals with a CRM id to re-import.");
  const dir = await mkdtemp(path.join(os.tmpdir(), "bench-reimport-"));
  try {
    const sources = [];
    for (const [source, csv] of changedExport(deals)) {
      const file = path.join(dir, `${source}.csv`);
      await writeFile(file, csv);
      sources.push({
        options: {
          fileName: `${source}.csv`,
          kind: "deals" as const,
          preset: "generic" as const,
          mapping: mappingFor(source),
        },
        content: createReadStream(file, { highWaterMark: 256 * 1024 }),
      });
    }
    const started = performance.now();
    // Each step's wall-clock and CPU time (this process runs PGlite too, so CPU time is the
    // work done, steadier than wall-clock on a busy machine).
    const marks: string[] = [];
    let step: ApplyStep | "read" | "plan" = "read";
    let stepStarted = { wall: performance.now(), cpu: process.cpuUsage() };
    const mark = (next: ApplyStep | "plan" | "end") => {
      const cpu = process.cpuUsage(stepStarted.cpu);
      const wall = (performance.now() - stepStarted.wall) / 1000;
      marks.push(`${step} ${wall.toFixed(1)} s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`);
      if (next !== "end") step = next;
      stepStarted = { wall: performance.now(), cpu: process.cpuUsage() };
    };
    const cpuAtStart = process.cpuUsage();
    const files = await readImportFiles(sources);
    mark("plan");
    let updated = 0;
    try {
      await db.$transaction(
        async (tx) => {
          const result = await applyImportIn(
            tx,
            files,
            { skipRejected: false },
            { actorId: null, via: "command line" },
            (progress) => {
              if (progress.step !== step) mark(progress.step);
            },
          );
          mark("end");
          updated = result.files.reduce((sum, file) => sum + file.counts.updated, 0);
          throw new RollBackBench();
        },
        { timeout: 30 * 60_000, maxWait: 60_000 },
      );
    } catch (error) {
      if (!(error instanceof RollBackBench)) throw error;
    }
    const cpu = process.cpuUsage(cpuAtStart);
    log(`  re-import cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; steps: ${marks.join(" · ")}`);
    const seconds = (performance.now() - started) / 1000;
    if (updated !== deals.length) {
      throw new Error(
        `The re-import updated ${updated} of the ${deals.length} changed deals: the bench measures nothing.`,
      );
    }
    return `re-import of ${deals.length.toLocaleString("en-US")} changed deals: ${seconds.toFixed(1)} s`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? "")) {
  process.env.PGLITE_DIR ??= "data/bench";
  measureReimport({ log: console.log })
    .then((line) => console.log(line))
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
