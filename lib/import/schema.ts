// The shapes an import accepts, shared by the import page, its route
// handlers and the command line: a column mapping (also the JSON file the
// command reads with --mapping) and the options of a preview or apply.
import { z } from "zod";
import { IMPORT_KINDS } from "./fields";
import { PRESET_NAMES } from "./presets";

/** Stage values that are not one of our open stages. */
export const STAGE_STATUS_TARGETS = ["won", "lost", "prospect"] as const;
/** Maps a stage value to a new open stage of that name, created by the import. */
export const CREATE_STAGE = "create";

const columnName = z.string().trim().min(1, "Name the column.").max(200);

export const mappingSchema = z.object({
  kind: z.enum(IMPORT_KINDS).optional(),
  preset: z.enum(PRESET_NAMES).optional(),
  /** Where the deals come from; re-imports upsert on (source, deal id). */
  source: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9][a-z0-9._-]*$/i, "Use letters, digits, dots, dashes or underscores for the source name.")
    .optional(),
  /** Field → the column (or columns, first non-empty wins) it is read from. */
  columns: z.record(z.string(), z.union([columnName, z.array(columnName).min(1)])).optional(),
  /** Stage value in the file → one of our stage names, "won", "lost", "prospect" or "create". */
  stages: z.record(z.string(), z.string().trim().min(1)).optional(),
  dateOrder: z.enum(["us", "eu"]).optional(),
  /** Currency when the file has no currency column (default: the organisation's). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "Use a three-letter currency code such as USD.")
    .optional(),
});

export type Mapping = z.infer<typeof mappingSchema>;

export const fileOptionsSchema = z.object({
  fileName: z.string().trim().min(1).max(255).default("import.csv"),
  kind: z.enum(IMPORT_KINDS).optional(),
  preset: z.enum(PRESET_NAMES).optional(),
  mapping: mappingSchema.optional(),
  dateOrder: z.enum(["us", "eu"]).optional(),
});

export type FileOptions = z.infer<typeof fileOptionsSchema>;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Write the date as YYYY-MM-DD.")
  // JavaScript rolls 2026-02-30 over to March 2nd; a day that does not exist is refused instead.
  .refine(
    (day) => {
      const date = new Date(`${day}T00:00:00.000Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
    },
    {
      message: "That day does not exist: check the month and the day.",
    },
  );

export const batchOptionsSchema = z.object({
  /** Import what is valid and leave out the rejected rows (listed in the preview). */
  skipRejected: z.boolean().default(false),
  /** Fix the organisation's as-of date: a day, or "file" for the latest date in the files. */
  asOf: z.union([isoDay, z.literal("file")]).optional(),
  /** The team new reps join (by name); none when empty. */
  newRepTeam: z.string().trim().max(100).optional(),
});

export type BatchOptions = z.infer<typeof batchOptionsSchema>;

/**
 * A column "name" no file has: mapping a field to it leaves the field out,
 * even where the preset would fill it in (the page writes it when a person
 * chooses "not in this file"; the command line reads it the same way).
 */
export const NO_COLUMN = "(not in this file)";

export const MAX_IMPORT_FILES = 8;

/** One file of an upload: its options and how many bytes of the body are its content. */
export const uploadFileSchema = fileOptionsSchema.extend({
  size: z
    .number()
    .int()
    .min(0)
    .max(4 * 1024 ** 3, "A file can be at most 4 GB."),
});

/**
 * What the import page sends before the files' bytes (lib/import/upload.ts):
 * the batch options and, per file in the order its bytes follow, its options
 * and size.
 */
export const importRequestSchema = batchOptionsSchema.extend({
  files: z
    .array(uploadFileSchema)
    .min(1, "Choose at least one CSV file.")
    .max(MAX_IMPORT_FILES, `Import at most ${MAX_IMPORT_FILES} files at once.`),
});
export type ImportRequest = z.infer<typeof importRequestSchema>;

// ---------------------------------------------------------------------------
// Saved mappings (the ImportMapping table)

const mappingName = z
  .string({ error: "Name the mapping, e.g. “Salesforce opportunities”." })
  .trim()
  .min(1, "Name the mapping, e.g. “Salesforce opportunities”.")
  .max(80, "Keep the name to 80 characters or fewer.");

/** A saved mapping always says which kind of file and which CRM it is for. */
export const savedMappingSchema = mappingSchema.required({ kind: true, preset: true });
export type SavedMappingContent = z.infer<typeof savedMappingSchema>;

const mappingId = z.coerce.number({ error: "Choose a saved mapping." }).int().positive("Choose a saved mapping.");

export const saveMappingSchema = z.object({
  name: mappingName,
  mapping: savedMappingSchema,
  /** Replace this saved mapping (its name may change too); none: save a new one. */
  replaceId: z.preprocess((value) => (value === "" || value === null ? undefined : value), mappingId.optional()),
});
export type SaveMappingInput = z.infer<typeof saveMappingSchema>;

export const renameMappingSchema = z.object({ id: mappingId, name: mappingName });
export type RenameMappingInput = z.infer<typeof renameMappingSchema>;
