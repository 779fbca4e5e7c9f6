// The one import, shared by the /import page and `npm run import`: read the
// files (streamed), plan them against the database, and either show the plan
// (preview) or write it in ONE transaction (apply) — planned again inside the
// transaction, so what is written is exactly what the data holds at that
// moment. Anything that goes wrong rolls the whole import back.
import "server-only";
import { ActionRefused } from "@/lib/action-result";
import { type Database, db, type DbClient, type Transaction } from "@/lib/db";
import { withBulkSql } from "@/lib/db/bulk-transaction";
import { maintainTables } from "@/lib/db/maintenance";
import { ownersOfDeals, refreshRepFigures } from "@/lib/figures/mutations";
import { reviewAfterImport } from "@/lib/schedule/after-import";
import { loadSnapshot } from "./data";
import type { CsvProgress, CsvSource } from "./csv";
import { type ApplyContext, type ApplyProgress, applyPlan } from "./mutations";
import { planImport, planSize } from "./plan";
import type { FileSummary } from "./plan-types";
import { type DataQuality, getDataQuality } from "./quality";
import { type ParsedFile, readImportFile } from "./read";
import type { BatchOptions, FileOptions } from "./schema";

export interface ImportSource {
  options: FileOptions;
  /** The file's bytes, streamed; read once. */
  content: CsvSource;
}

export interface ImportPreview {
  files: FileSummary[];
  /** Why apply would refuse, in plain words (the page's remedies); empty when it can go ahead. */
  blockers: string[];
  /** The same refusals with the command line's remedies (--skip-rejected, --mapping, --date-order, …). */
  commandLineBlockers: string[];
  rejectedRows: number;
  /** True when applying would change nothing in the database. */
  nothingToChange: boolean;
  asOf: {
    /** The organisation's fixed as-of day now (null: today). */
    current: string | null;
    /** The latest date in the files, to offer as the as-of day. */
    latestInFiles: string | null;
    /** The day the import will fix, if any. */
    willFix: string | null;
  };
  /** When the import's changes are dated (history rows). */
  changeAt: string;
  /**
   * The open deals' data quality as the database WOULD be after the import
   * (as it is now when nothing changes); null when the import is refused.
   */
  quality: DataQuality | null;
}

export interface ImportResult extends ImportPreview {
  applied: true;
  /** The open deals' data quality as the import left them. */
  quality: DataQuality;
}

/** Reads every file; `onProgress` gets each file's bytes and rows as they stream. */
export async function readImportFiles(
  sources: ImportSource[],
  onProgress?: (file: string, progress: CsvProgress) => void,
): Promise<ParsedFile[]> {
  const files: ParsedFile[] = [];
  for (const source of sources) {
    files.push(await readImportFile(source.content, source.options, (p) => onProgress?.(source.options.fileName, p)));
  }
  return files;
}

const endOfDay = (isoDay: string) => new Date(Date.parse(`${isoDay}T00:00:00.000Z`) + 86_400_000 - 1);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

interface Timing {
  now: Date;
  fixAsOf: Date | undefined;
  /** Flags are evaluated as of this after the import. */
  asOf: Date;
  changeAt: Date;
  current: string | null;
  latestInFiles: string | null;
  blocker: Refusal | null;
}

/** Why an import is refused, with the remedy in the words of where it was started. */
interface Refusal {
  page: string;
  commandLine: string;
}

async function timing(client: DbClient, files: ParsedFile[], options: BatchOptions, now: Date): Promise<Timing> {
  const settings = await client.orgSettings.findUnique({ where: { id: 1 }, select: { asOf: true } });
  const latest = files.reduce<Date | null>(
    (max, file) => (file.latestDate && (!max || file.latestDate > max) ? file.latestDate : max),
    null,
  );
  let blocker: Refusal | null = null;
  let fixAsOf: Date | undefined;
  if (options.asOf === "file") {
    if (latest) fixAsOf = endOfDay(dayOf(latest));
    else
      blocker = {
        page: "The files hold no dates to take the as-of date from: enter the date instead.",
        commandLine: "The files hold no dates to take the as-of date from: give it with --as-of YYYY-MM-DD instead.",
      };
  } else if (options.asOf) {
    fixAsOf = endOfDay(options.asOf);
    if (Number.isNaN(fixAsOf.getTime())) {
      blocker = {
        page: `${options.asOf} is not a real date.`,
        commandLine: `--as-of ${options.asOf} is not a real date.`,
      };
      fixAsOf = undefined;
    }
  }
  const fixed = fixAsOf ?? settings?.asOf ?? null;
  // A historical import dates its changes at the as-of date, so reviews of that date see them.
  const changeAt = fixed && fixed.getTime() < now.getTime() ? fixed : now;
  return {
    now,
    fixAsOf,
    asOf: fixed ?? now,
    changeAt,
    current: settings?.asOf ? dayOf(settings.asOf) : null,
    latestInFiles: latest ? dayOf(latest) : null,
    blocker,
  };
}

async function summarise(client: DbClient, files: ParsedFile[], options: BatchOptions, time: Timing, lock: boolean) {
  const snapshot = await loadSnapshot(client, files, { lock });
  const plan = planImport(files, snapshot, { changeAt: time.changeAt, newRepTeam: options.newRepTeam || null });
  const refusals: Refusal[] = [];
  if (time.blocker) refusals.push(time.blocker);
  if (
    options.newRepTeam &&
    !snapshot.teams.some((t) => t.name.toLowerCase() === options.newRepTeam?.trim().toLowerCase())
  ) {
    if (!plan.newTeams.some((t) => t.name.toLowerCase() === options.newRepTeam?.trim().toLowerCase())) {
      refusals.push({
        page: `There is no team called “${options.newRepTeam}” for new reps: pick an existing team.`,
        commandLine: `There is no team called “${options.newRepTeam}” for new reps: give an existing team's name with --new-rep-team, or leave it out.`,
      });
    }
  }
  for (const file of plan.files) {
    if (file.missingColumns.length) {
      const labels = file.missingColumns.map((column) => column.label).join(", ");
      refusals.push({
        page: `${file.fileName}: choose the column for ${labels}.`,
        commandLine: `${file.fileName}: no column for ${labels}. Name the columns in a mapping file passed with --mapping (npm run import -- --write-mapping ${file.fileName}.mapping.json ${file.fileName} writes a starter; --help shows the format).`,
      });
    }
    if (file.dateOrder.status === "question") {
      refusals.push({
        page: `${file.fileName}: choose how the file writes dates.`,
        commandLine: `${file.fileName}: its dates could be month/day or day/month: run again with --date-order us or --date-order eu.`,
      });
    }
  }
  const rejectedRows = plan.files.reduce((sum, file) => sum + file.rejected.length, 0);
  if (rejectedRows > 0 && !options.skipRejected) {
    const them = rejectedRows === 1 ? "it" : "them";
    const rows = `${rejectedRows} ${rejectedRows === 1 ? "row is" : "rows are"} rejected (listed with the reason).`;
    refusals.push({
      page: `${rows} Fix ${them} in the file and upload it again, or choose to import the rest without ${them}.`,
      commandLine: `${rows} Fix ${them} in the file and run the command again, or add --skip-rejected to import the rest without ${them}.`,
    });
  }
  const blockers = refusals.map((refusal) => refusal.page);
  const preview: ImportPreview = {
    files: plan.files,
    blockers,
    commandLineBlockers: refusals.map((refusal) => refusal.commandLine),
    rejectedRows,
    // A refused import changes nothing either, but saying so would hide the refusal.
    nothingToChange:
      refusals.length === 0 && planSize(plan) === 0 && (!time.fixAsOf || dayOf(time.fixAsOf) === time.current),
    asOf: {
      current: time.current,
      latestInFiles: time.latestInFiles,
      willFix: time.fixAsOf ? dayOf(time.fixAsOf) : null,
    },
    changeAt: time.changeAt.toISOString(),
    quality: null,
  };
  return { plan, preview, snapshot };
}

/** Up to this many rows in all, the preview applies the files and rolls back to report the data quality. */
export const TRIAL_APPLY_MAX_ROWS = 20_000;

/** Thrown inside the preview's transaction to roll the trial apply back. */
class RollBackPreview extends Error {
  constructor(readonly result: ImportResult) {
    super("The preview's trial import is rolled back.");
  }
}

/**
 * What the import would do. Writes nothing: the import is applied inside a
 * transaction that is always rolled back, so the data-quality report describes
 * the database exactly as the import would leave it (the same code path as the
 * real apply, not an estimate). That costs one apply's time, so files of more
 * than TRIAL_APPLY_MAX_ROWS rows get the plan alone (quality null): the report
 * then comes with the import's result instead of doubling a large import.
 */
export async function previewImport(
  files: ParsedFile[],
  options: BatchOptions,
  client: Database = db,
  now: Date = new Date(),
): Promise<ImportPreview> {
  const rows = files.reduce((sum, file) => sum + file.rows.length, 0);
  if (rows > TRIAL_APPLY_MAX_ROWS) {
    const time = await timing(client, files, options, now);
    return { ...(await summarise(client, files, options, time, false)).preview, quality: null };
  }
  try {
    await client.$transaction(async (tx) => {
      throw new RollBackPreview(
        await applyImportIn(tx, files, options, { actorId: null, via: "page" }, undefined, now),
      );
    }, TRANSACTION);
  } catch (error) {
    if (error instanceof RollBackPreview) return withoutApplied(error.result);
    if (error instanceof ImportRefused) return error.preview;
    throw error;
  }
  throw new Error("The preview's trial import was not rolled back.");
}

function withoutApplied({ applied: _applied, ...preview }: ImportResult): ImportPreview {
  return preview;
}

/** Refused before anything was written: the preview's blockers. */
export class ImportRefused extends ActionRefused {
  constructor(readonly preview: ImportPreview) {
    super(preview.blockers.join(" "), "invalid");
  }
}

/** Big imports on the embedded database take a while; a person's action may wait for them. */
const TRANSACTION = { timeout: 15 * 60_000, maxWait: 60_000 };

/**
 * Writes the import in one transaction: all of it or, on any error, none of
 * it. Throws ImportRefused when the preview has blockers.
 */
export async function applyImport(
  files: ParsedFile[],
  options: BatchOptions,
  who: { actorId: string | null; via: ApplyContext["via"] },
  onProgress?: (progress: ApplyProgress) => void | Promise<void>,
  now: Date = new Date(),
): Promise<ImportResult> {
  const result = await db.$transaction((tx) => applyImportIn(tx, files, options, who, onProgress, now), TRANSACTION);
  // A re-import rewrites deals, activities and history rows: reclaimed here
  // on the embedded database (lib/db/maintenance.ts), before the review reads them.
  if (!result.nothingToChange) await maintainTables();
  // An import that changed something is followed by an organisation review.
  if (!result.nothingToChange) await reviewAfterImport(now);
  return result;
}

/**
 * The same import inside the caller's transaction, for a caller that writes
 * more in it: the CRM sync (lib/sync) commits each page together with the
 * cursor that says the page is done.
 */
export async function applyImportIn(
  tx: Transaction,
  files: ParsedFile[],
  options: BatchOptions,
  who: { actorId: string | null; via: ApplyContext["via"] },
  onProgress?: (progress: ApplyProgress) => void | Promise<void>,
  now: Date = new Date(),
): Promise<ImportResult> {
  // The bulk statements below skip Prisma's query compiler on PGlite (lib/db/bulk-transaction.ts).
  tx = await withBulkSql(tx);
  const time = await timing(tx, files, options, now);
  const { plan, preview, snapshot } = await summarise(tx, files, options, time, true);
  if (preview.blockers.length) throw new ImportRefused(preview);
  // Figures of every rep the import touches: a deal that changes owner counts for both.
  // The owners before: the snapshot's (read in this transaction, locked), the database's
  // for the few deals it does not hold (those an updated activity leaves).
  const snapshotOwners = new Map([...snapshot.deals.values()].map((deal) => [deal.id, deal.ownerId]));
  const ownersBefore = new Set<string>();
  const notInSnapshot: number[] = [];
  for (const id of [
    ...plan.dealUpdates.map((deal) => deal.id),
    ...plan.touched.flatMap((ref) => ("id" in ref ? [ref.id] : [])),
  ]) {
    const owner = snapshotOwners.get(id);
    if (owner === undefined) notInSnapshot.push(id);
    else ownersBefore.add(owner);
  }
  const repsTouched = new Set([
    ...ownersBefore,
    ...(await ownersOfDeals(tx, notInSnapshot)),
    ...plan.dealUpdates.map((deal) => deal.ownerId),
    ...plan.newDeals.map((deal) => deal.ownerId),
  ]);
  await applyPlan(
    tx,
    plan,
    {
      actorId: who.actorId,
      now,
      asOf: time.asOf,
      fixAsOf: time.fixAsOf,
      fileNames: files.map((file) => file.fileName),
      via: who.via,
    },
    onProgress,
  );
  await refreshRepFigures(tx, [...repsTouched]);
  return { ...preview, applied: true as const, quality: await getDataQuality(tx) };
}
