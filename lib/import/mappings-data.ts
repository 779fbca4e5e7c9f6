// Reads of the saved import mappings (the ImportMapping table), for the
// import page: each with who saved it first and when it last changed. A
// stored mapping that no longer fits the mapping schema is returned with the
// problem instead of its content, so the page can say to save it again.
import "server-only";
import { type DbClient, db } from "@/lib/db";
import type { ImportKind } from "./fields";
import type { PresetName } from "./presets";
import { type SavedMappingContent, savedMappingSchema } from "./schema";

export interface SavedMapping {
  id: number;
  name: string;
  kind: ImportKind;
  preset: PresetName;
  /** null when the stored JSON no longer fits the schema (see `problem`). */
  mapping: SavedMappingContent | null;
  problem: string | null;
  createdBy: string | null;
  /** ISO instant. */
  updatedAt: string;
}

export async function listImportMappings(client: DbClient = db): Promise<SavedMapping[]> {
  const rows = await client.importMapping.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      kind: true,
      preset: true,
      mapping: true,
      updatedAt: true,
      createdBy: { select: { name: true } },
    },
  });
  return rows.map((row) => {
    const parsed = savedMappingSchema.safeParse(row.mapping);
    return {
      id: row.id,
      name: row.name,
      kind: (parsed.success ? parsed.data.kind : row.kind) as ImportKind,
      preset: (parsed.success ? parsed.data.preset : row.preset) as PresetName,
      mapping: parsed.success ? parsed.data : null,
      problem: parsed.success
        ? null
        : `It no longer fits what the importer accepts (${parsed.error.issues[0]?.message ?? "invalid"}): map a file again and replace it.`,
      createdBy: row.createdBy?.name ?? null,
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}
