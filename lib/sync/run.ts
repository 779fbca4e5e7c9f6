// One sync of one CRM, page by page: read a page of changes, turn it into
// the import's files, and write it with the import core in ONE transaction
// together with the cursor that says the page is done. A failure — the CRM's
// or ours — rolls back that page only; the pages before it stay, and the
// next run resumes at the page that failed. Every run leaves a SyncRun row:
// pages, counts, the records the import rejected (with why), the error that
// stopped it and how long it took.
import "server-only";
import { db } from "@/lib/db";
import { maintainTables } from "@/lib/db/maintenance";
import { type ImportResult, applyImportIn, readImportFiles } from "@/lib/import/run";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  environmentCredentials,
  MISSING_CREDENTIALS,
  type ReaderOptions,
  readerFor,
  savedCredentials,
  SyncRefused,
} from "./credentials";
import { getConnectionRow, knownDealIds } from "./data";
import {
  ensureEnvironmentConnection,
  ensureStages,
  finishRun,
  markSynced,
  recordRunProgress,
  saveCursor,
  startRun,
} from "./mutations";
import { type Crm, CRM_LABELS, type CrmReader } from "./records";
import { ownersFile, pageFiles } from "./to-import";

export interface KindCounts {
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
}

export interface SyncCounts {
  owners: KindCounts;
  deals: KindCounts;
  history: KindCounts;
  activities: KindCounts;
  /** Deals deleted in the CRM and closed here as lost. */
  deletedClosed: number;
  newStages: string[];
}

export interface SyncProgress {
  page: number;
  counts: SyncCounts;
  /** "waiting 10 s for HubSpot's rate limit" and the like. */
  message?: string;
}

export interface SyncOutcome {
  runId: number;
  crm: Crm;
  ok: boolean;
  pages: number;
  counts: SyncCounts;
  /** Rejected records (id and reason), notes and the error that stopped the run. */
  errors: string[];
  durationMs: number;
}

export interface SyncOptions {
  via: "page" | "command line" | "schedule";
  actorId?: string | null;
  onProgress?: (progress: SyncProgress) => void;
  /** Test hooks: how the reader waits and where it reads its environment. */
  reader?: ReaderOptions;
  /** Start again from the beginning instead of the saved cursor. */
  full?: boolean;
}

/** A page and its cursor are one transaction; a slow embedded database may take a while for 100 deals. */
const PAGE_TRANSACTION = { timeout: 10 * 60_000, maxWait: 60_000 };
/** A run that has not finished in this long is taken as crashed: another may start. */
const STUCK_AFTER_MS = 60 * 60_000;
const MAX_ERRORS_KEPT = 500;

const emptyKind = (): KindCounts => ({ new: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0 });
export const emptyCounts = (): SyncCounts => ({
  owners: emptyKind(),
  deals: emptyKind(),
  history: emptyKind(),
  activities: emptyKind(),
  deletedClosed: 0,
  newStages: [],
});

const KIND_KEY = { people: "owners", deals: "deals", "stage-history": "history", activities: "activities" } as const;

function addResult(counts: SyncCounts, errors: string[], result: ImportResult, crm: Crm) {
  for (const file of result.files) {
    const target = counts[KIND_KEY[file.kind]];
    target.new += file.counts.new;
    target.updated += file.counts.updated;
    target.unchanged += file.counts.unchanged;
    target.rejected += file.counts.rejected;
    target.skipped += file.counts.skipped;
    for (const rejection of file.rejected) {
      if (errors.length < MAX_ERRORS_KEPT) {
        errors.push(
          `${CRM_LABELS[crm]} ${file.kind === "people" ? "owner" : file.kind === "stage-history" ? "history of deal" : file.kind.slice(0, -1)} ${rejection.id ?? "(no id)"} was not imported: ${rejection.reason}`,
        );
      }
    }
  }
}

/** The reader with the saved connection's credentials, or the environment's. */
async function connect(
  crm: Crm,
  options: SyncOptions,
): Promise<{ connectionId: number; cursor: unknown; reader: CrmReader }> {
  const row = await getConnectionRow(crm);
  const saved = row ? savedCredentials(crm, row) : null;
  const credentials = saved ?? environmentCredentials(crm, options.reader?.source);
  if (!credentials) throw new SyncRefused(MISSING_CREDENTIALS[crm]);
  const connection = row ?? (await ensureEnvironmentConnection(db, crm));
  return {
    connectionId: connection.id,
    cursor: options.full ? null : (connection.cursor ?? null),
    reader: readerFor(credentials, options.reader),
  };
}

/** Syncs one CRM. Never throws for the CRM's failures: they end the run as "failed", with the reason. */
export async function runSync(crm: Crm, options: SyncOptions): Promise<SyncOutcome> {
  const started = new Date();
  const { connectionId, cursor, reader } = await connect(crm, options);
  const running = await db.syncRun.findFirst({
    where: { connectionId, status: "running", startedAt: { gt: new Date(started.getTime() - STUCK_AFTER_MS) } },
  });
  if (running) {
    throw new SyncRefused(
      `A ${CRM_LABELS[crm]} sync is already running (started ${running.startedAt.toISOString()}): wait for it to finish.`,
    );
  }
  const run = await startRun(db, connectionId, options.via, started);
  const counts = emptyCounts();
  const errors: string[] = [];
  let pages = 0;
  let ok = true;
  const actorId = options.actorId ?? null;
  const report = (message?: string) => options.onProgress?.({ page: pages, counts, message });
  try {
    const setup = await reader.setup();
    // Owners, teams and stages first, in their own transaction: every page refers to them.
    const owners = ownersFile(crm, setup.owners);
    const ownerFiles = owners ? await readImportFiles([owners]) : [];
    await db.$transaction(async (tx) => {
      counts.newStages = await ensureStages(tx, crm, setup.stages, actorId);
      if (ownerFiles.length) {
        addResult(
          counts,
          errors,
          await applyImportIn(tx, ownerFiles, { skipRejected: true }, { actorId, via: "CRM sync" }),
          crm,
        );
      }
    }, PAGE_TRANSACTION);
    report();

    for await (const page of reader.pages(cursor, setup)) {
      if (page.deletedOnly) {
        const known = await knownDealIds(
          db,
          crm,
          page.deals.map((deal) => deal.externalId),
        );
        page.deals = page.deals.filter((deal) => known.has(deal.externalId));
      }
      const files = await readImportFiles(pageFiles(crm, page, reader.dealFields, setup.stages));
      await db.$transaction(async (tx) => {
        if (files.length) {
          const result = await applyImportIn(tx, files, { skipRejected: true }, { actorId, via: "CRM sync" });
          addResult(counts, errors, result, crm);
          if (page.deletedOnly)
            counts.deletedClosed += result.files.find((file) => file.kind === "deals")?.counts.updated ?? 0;
        }
        await saveCursor(tx, connectionId, page.cursor);
      }, PAGE_TRANSACTION);
      // Each committed page may have rewritten many deals: reclaimed on the
      // embedded database as autovacuum would (lib/db/maintenance.ts).
      await maintainTables();
      pages++;
      errors.push(...page.notes.slice(0, Math.max(0, MAX_ERRORS_KEPT - errors.length)));
      await recordRunProgress(db, run.id, { pages, counts: counts as unknown as Prisma.InputJsonValue, errors });
      report();
    }
    await markSynced(db, connectionId, new Date());
  } catch (error) {
    ok = false;
    const message = error instanceof Error ? error.message : String(error);
    errors.push(`The sync stopped after ${pages} ${pages === 1 ? "page" : "pages"}: ${message}`);
  }
  const finishedAt = new Date();
  const durationMs = finishedAt.getTime() - started.getTime();
  await finishRun(db, run.id, {
    status: ok ? "succeeded" : "failed",
    pages,
    counts: counts as unknown as Prisma.InputJsonValue,
    errors,
    finishedAt,
    durationMs,
  });
  return { runId: run.id, crm, ok, pages, counts, errors, durationMs };
}

/** Reads one deal with the given credentials (the "test connection" button). */
export async function testConnection(reader: CrmReader): Promise<string> {
  return reader.testConnection();
}

/** How long after the last sync a daily connection is due again (a little under a day, so a daily job never skips). */
const DAILY_MS = 20 * 60 * 60_000;

/**
 * For the daily scheduler: syncs every connection that has credentials (saved,
 * or in the environment), is on the daily schedule and last synced 20 hours
 * ago or more. One CRM's failure does not stop the others.
 */
export async function runDueSyncs(
  now: Date = new Date(),
  options: Omit<SyncOptions, "via"> = {},
): Promise<SyncOutcome[]> {
  const rows = await db.crmConnection.findMany();
  const outcomes: SyncOutcome[] = [];
  for (const row of rows) {
    const crm = row.crm as Crm;
    if (!row.daily) continue;
    if (row.lastSyncedAt && now.getTime() - row.lastSyncedAt.getTime() < DAILY_MS) continue;
    if (!row.secret && !environmentCredentials(crm, options.reader?.source)) continue;
    try {
      outcomes.push(await runSync(crm, { ...options, via: "schedule" }));
    } catch (error) {
      if (!(error instanceof SyncRefused)) throw error;
    }
  }
  return outcomes;
}
