// Shared by the import tests: read fixture files the way the page and the
// command line do (streamed), preview and apply them, and count what the
// database holds so "writes nothing" can be checked exactly.
import { createReadStream } from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";
import { applyImport, type ImportSource, previewImport, readImportFiles } from "@/lib/import/run";
import type { BatchOptions, FileOptions } from "@/lib/import/schema";

export const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "import");

export function fixture(fileName: string, options: Partial<FileOptions> = {}): ImportSource {
  return { options: { fileName, ...options }, content: createReadStream(path.join(FIXTURES, fileName)) };
}

export function text(fileName: string, content: string, options: Partial<FileOptions> = {}): ImportSource {
  return { options: { fileName, ...options }, content: [Buffer.from(content)] };
}

export async function preview(sources: ImportSource[], options: Partial<BatchOptions> = {}) {
  const files = await readImportFiles(sources);
  return previewImport(files, { skipRejected: false, ...options });
}

export async function apply(
  sources: ImportSource[],
  options: Partial<BatchOptions> = {},
  actorId: string | null = null,
  onProgress?: Parameters<typeof applyImport>[3],
) {
  const files = await readImportFiles(sources);
  return applyImport(files, { skipRejected: false, ...options }, { actorId, via: "page" }, onProgress);
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
