// Shared by the import tests: read fixture files the way the page and the
// command line do (streamed), preview and apply them, and count what the
// database holds so "writes nothing" can be checked exactly.
import { createReadStream, readFileSync } from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";
import { applyImport, type ImportSource, previewImport, readImportFiles } from "@/lib/import/run";
import { type BatchOptions, type FileOptions, type Mapping, mappingSchema } from "@/lib/import/schema";

export const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "import");

export function fixture(fileName: string, options: Partial<FileOptions> = {}): ImportSource {
  return { options: { fileName, ...options }, content: createReadStream(path.join(FIXTURES, fileName)) };
}

export function text(fileName: string, content: string, options: Partial<FileOptions> = {}): ImportSource {
  return { options: { fileName, ...options }, content: [Buffer.from(content)] };
}

export async function preview(sources: ImportSource[], options: Partial<BatchOptions> = {}, now?: Date) {
  const files = await readImportFiles(sources);
  return previewImport(files, { skipRejected: false, ...options }, undefined, now);
}

export async function apply(
  sources: ImportSource[],
  options: Partial<BatchOptions> = {},
  how: {
    actorId?: string | null;
    onProgress?: Parameters<typeof applyImport>[3];
    /** When the import runs (history rows of changes are dated then, unless the as-of date is fixed earlier). */
    now?: Date;
  } = {},
) {
  const files = await readImportFiles(sources);
  return applyImport(
    files,
    { skipRejected: false, ...options },
    { actorId: how.actorId ?? null, via: "page" },
    how.onProgress,
    how.now,
  );
}

/** Row counts of every table an import writes, and a fingerprint of the deals. */
export async function databaseState() {
  const [counts] = await db.$queryRawUnsafe<Record<string, number>[]>(
    `SELECT (SELECT count(*)::int FROM "Opportunity") AS deals,
            (SELECT count(*)::int FROM "Account") AS accounts,
            (SELECT count(*)::int FROM "User") AS people,
            (SELECT count(*)::int FROM "Team") AS teams,
            (SELECT count(*)::int FROM "Stage") AS stages,
            (SELECT count(*)::int FROM "StageChange") AS stage_changes,
            (SELECT count(*)::int FROM "CloseDateChange") AS close_date_changes,
            (SELECT count(*)::int FROM "AmountChange") AS amount_changes,
            (SELECT count(*)::int FROM "Activity") AS activities,
            (SELECT count(*)::int FROM "Flag") AS flags,
            (SELECT count(*)::int FROM "AuditEvent") AS audit_events,
            (SELECT md5(coalesce(string_agg(concat_ws('|', id, name, "ownerId", amount, "stageId", status, version,
                    "openedAt", "expectedCloseDate", "closedAt", "stageEnteredAt", "lastActivityAt"), ',' ORDER BY id), ''))
               FROM "Opportunity") AS deals_hash,
            (SELECT "asOf"::text FROM "OrgSettings" WHERE id = 1) AS as_of`,
  );
  return counts as Record<string, number | string | null>;
}

export async function dealByExternalId(source: string, externalId: string) {
  return db.opportunity.findUniqueOrThrow({
    where: { source_externalId: { source, externalId } },
    include: { stage: true, owner: true, account: true },
  });
}

/** A mapping file of the fixtures, read as the command line reads --mapping. */
export function mappingFixture(fileName: string): Mapping {
  return mappingSchema.parse(JSON.parse(readFileSync(path.join(FIXTURES, fileName), "utf8")));
}

const dayText = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

/** A deal's history rows in date order, with stage names and days, as the deal page tells it. */
export async function dealHistory(dealId: number) {
  const [stages, moves, closeDates, amounts] = await Promise.all([
    db.stage.findMany({ select: { id: true, name: true } }),
    db.stageChange.findMany({ where: { opportunityId: dealId }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
    db.closeDateChange.findMany({ where: { opportunityId: dealId }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
    db.amountChange.findMany({ where: { opportunityId: dealId }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
  ]);
  const name = (id: number | null) => (id === null ? null : (stages.find((stage) => stage.id === id)?.name ?? null));
  return {
    moves: moves.map((move) => ({
      from: name(move.fromStageId),
      to: name(move.toStageId),
      toStatus: move.toStatus,
      direction: move.direction,
      at: move.at.toISOString(),
      byImport: move.byId === null,
    })),
    closeDates: closeDates.map((change) => ({
      from: dayText(change.fromDate),
      to: dayText(change.toDate),
      isPush: change.isPush,
      at: change.at.toISOString(),
    })),
    amounts: amounts.map((change) => ({
      from: change.fromAmount?.toFixed(2) ?? null,
      to: change.toAmount.toFixed(2),
      at: change.at.toISOString(),
    })),
  };
}

/** The deal's activities, oldest first. */
export async function dealActivities(dealId: number) {
  const rows = await db.activity.findMany({
    where: { opportunityId: dealId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => ({ type: row.type, side: row.side, at: row.at.toISOString(), summary: row.summary }));
}
