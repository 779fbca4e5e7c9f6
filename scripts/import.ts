// npm run import -- --write-mapping <out.json> <file>   (a starter mapping from a file's header)
// npm run import -- <files…> [--preset salesforce|hubspot|pipedrive|generic]
//   [--mapping mapping.json]… [--kind deals|activities|stage-history|people]
//   [--date-order us|eu] [--dry-run] [--skip-rejected] [--new-rep-team "Team"]
//   [--as-of YYYY-MM-DD | --as-of-from-file]
//
// The same import as the /import page (lib/import), from the command line:
// reads each file streamed with a progress line, prints the preview (counts,
// stage mapping, every rejected row with its line and reason), and unless
// --dry-run applies all files in ONE transaction — all or nothing. Exits 0 on
// success, 1 when the import is refused or fails (nothing written), 2 on a
// usage error.
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDb } from "@/lib/db";
import { describeTarget, resolveDatabaseTarget } from "@/lib/db/target";
import { readCsv } from "@/lib/import/csv";
import { IMPORT_KINDS, type ImportKind } from "@/lib/import/fields";
import type { ApplyProgress } from "@/lib/import/mutations";
import { mappingHelp, starterMapping } from "@/lib/import/mapping-help";
import { describeDataQuality } from "@/lib/import/quality";
import { detectFile, normalizeHeader, PRESET_NAMES, type PresetName, presetColumns } from "@/lib/import/presets";
import { describePreview } from "@/lib/import/report";
import { applyImport, ImportRefused, previewImport, readImportFiles, TRIAL_APPLY_MAX_ROWS } from "@/lib/import/run";
import { type Mapping, mappingSchema, NO_COLUMN } from "@/lib/import/schema";

const USAGE = `Usage: npm run import -- <files…> [--preset salesforce|hubspot|pipedrive|generic] [--mapping mapping.json]
       [--kind deals|activities|stage-history|people] [--date-order us|eu] [--dry-run] [--skip-rejected]
       [--new-rep-team "Team name"] [--as-of YYYY-MM-DD | --as-of-from-file]
       npm run import -- --write-mapping <out.json> <file>
       npm run import -- --help   (every option and the mapping file's format, with an example)`;

const OPTIONS = `
Imports CRM exports (deals, activities, stage history, people) in one transaction: all or nothing.
Prints a preview first: counts, the stage mapping, every rejected row with its line and reason.

  --preset NAME          read the files as this CRM's exports (else detected from the header)
  --kind KIND            deals | activities | stage-history | people (else detected)
  --mapping FILE         a mapping file (format below); repeat it for several files
  --write-mapping OUT    write a starter mapping for the one file named, then edit it and pass it with --mapping
  --date-order us|eu     how slash dates are written (asked when a file's dates could be either)
  --dry-run              preview only, write nothing
  --skip-rejected        import the valid rows and leave out the rejected ones (listed)
  --new-rep-team NAME    the team new reps join
  --as-of YYYY-MM-DD     fix the organisation's as-of date (for a historical export)
  --as-of-from-file      fix it to the latest date in the files
Exit codes: 0 imported, 1 refused (nothing written), 2 usage error.
`;

class UsageError extends Error {}

function readMapping(file: string): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${file} is not a JSON mapping file: ${(error as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "mapping"}: ${issue.message}`);
    throw new UsageError(`${file} is not a valid mapping:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}

/** The file's header row, and what it says the file is (the same detection the import runs). */
async function readHeader(file: string): Promise<{ headers: string[]; kind: ImportKind } | undefined> {
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  try {
    for await (const record of readCsv(stream)) {
      const headers = record.values.map((header) => header.replace(/^\uFEFF/, "").trim());
      return { headers, kind: detectFile(headers).kind };
    }
    return undefined;
  } finally {
    stream.destroy();
  }
}

/** True when each field the mapping reads has one of its columns in the header (a mapping written for this file). */
function fitsHeader(mapping: Mapping, headers: string[]): boolean {
  const present = new Set(headers.map(normalizeHeader));
  return Object.values(mapping.columns ?? {}).every((value) => {
    const names = (Array.isArray(value) ? value : [value]).filter((name) => name !== NO_COLUMN);
    return names.length === 0 || names.some((name) => present.has(normalizeHeader(name)));
  });
}

/**
 * The mapping for one file: the only one when there is one file; else among
 * the mappings of the file's kind (or naming no kind), the one whose columns
 * are all in the file's header — so a deals mapping written for one CRM's
 * file is not forced on a Salesforce export in the same run.
 */
function pickMapping(
  mappings: Mapping[],
  header: { headers: string[]; kind: ImportKind } | undefined,
  kindGiven: ImportKind | undefined,
  files: number,
): Mapping | undefined {
  if (mappings.length === 1 && files === 1) return mappings[0];
  const kind = kindGiven ?? header?.kind;
  const candidates = mappings.filter((mapping) => !mapping.kind || mapping.kind === kind);
  if (!header) return candidates[0];
  return candidates.find((mapping) => fitsHeader(mapping, header.headers));
}

/**
 * Writes a starter mapping for a file: the columns the import would read
 * (from its header) and every stage value in the file, ready to edit.
 */
async function writeStarterMapping(out: string, file: string): Promise<number> {
  if (!existsSync(file)) throw new UsageError(`There is no file ${file}.`);
  if (existsSync(out)) throw new UsageError(`${out} exists already: name a new file (it is never overwritten).`);
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  let headers: string[] | null = null;
  let stageIndexes: number[] = [];
  const stages = new Set<string>();
  try {
    for await (const record of readCsv(stream)) {
      if (!headers) {
        headers = record.values.map((header) => header.replace(/^\uFEFF/, "").trim());
        const detected = detectFile(headers);
        const stageColumns = presetColumns(detected.preset, detected.kind, headers).stage ?? [];
        stageIndexes = stageColumns.map((column) => headers?.indexOf(column) ?? -1).filter((index) => index >= 0);
        continue;
      }
      const value = stageIndexes.map((index) => record.values[index]?.trim()).find(Boolean);
      if (value) stages.add(value);
    }
  } finally {
    stream.destroy();
  }
  if (!headers) throw new UsageError(`${file} is empty: there is no header row.`);
  const mapping = starterMapping(headers, [...stages]);
  writeFileSync(out, `${JSON.stringify(mapping, null, 2)}\n`);
  console.log(
    `Wrote ${out}: a ${mapping.kind} mapping (${mapping.preset}) for ${path.basename(file)}, ${stages.size} stage values.`,
  );
  console.log("Check every column (CHOOSE A COLUMN marks a required one not found) and stage, then run:");
  console.log(`  npm run import -- ${file} --mapping ${out} --dry-run`);
  return 0;
}

/** "2026-02-30" has the right shape but is no day of the calendar. */
function isCalendarDay(text: string): boolean {
  const date = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** One line, rewritten in place on a terminal. */
function progressLine(text: string) {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
  else process.stderr.write(`${text}\n`);
}

function endProgress() {
  if (process.stderr.isTTY) process.stderr.write("\n");
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      preset: { type: "string" },
      mapping: { type: "string", multiple: true },
      kind: { type: "string" },
      "date-order": { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "skip-rejected": { type: "boolean", default: false },
      "new-rep-team": { type: "string" },
      "as-of": { type: "string" },
      "as-of-from-file": { type: "boolean", default: false },
      "write-mapping": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(`${USAGE}\n${OPTIONS}\n${mappingHelp()}`);
    return 0;
  }
  const out = values["write-mapping"];
  if (out !== undefined) {
    if (positionals.length !== 1) throw new UsageError("--write-mapping takes one CSV file to read the header from.");
    return writeStarterMapping(out, positionals[0] as string);
  }
  if (positionals.length === 0) throw new UsageError("Name at least one CSV file to import.");
  if (values.preset && !PRESET_NAMES.includes(values.preset as PresetName)) {
    throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(", ")}, not "${values.preset}".`);
  }
  if (values.kind && !IMPORT_KINDS.includes(values.kind as ImportKind)) {
    throw new UsageError(`--kind must be one of ${IMPORT_KINDS.join(", ")}, not "${values.kind}".`);
  }
  const dateOrder = values["date-order"];
  if (dateOrder && dateOrder !== "us" && dateOrder !== "eu") {
    throw new UsageError(`--date-order must be us (month/day/year) or eu (day/month/year), not "${dateOrder}".`);
  }
  if (values["as-of"] && values["as-of-from-file"]) throw new UsageError("Use --as-of or --as-of-from-file, not both.");
  if (values["as-of"] && !(/^\d{4}-\d{2}-\d{2}$/.test(values["as-of"]) && isCalendarDay(values["as-of"]))) {
    throw new UsageError(`--as-of must be a real date like 2026-03-31, not "${values["as-of"]}".`);
  }
  const mappings = (values.mapping ?? []).map(readMapping);

  const sources = [];
  for (const file of positionals) {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new UsageError(`There is no file ${file}.`);
    }
    const header = mappings.length ? await readHeader(file) : undefined;
    const mapping = pickMapping(mappings, header, values.kind as ImportKind | undefined, positionals.length);
    sources.push({
      size,
      source: {
        options: {
          fileName: path.basename(file),
          kind: (values.kind ?? mapping?.kind) as ImportKind | undefined,
          preset: (values.preset ?? mapping?.preset) as PresetName | undefined,
          mapping,
          dateOrder: dateOrder as "us" | "eu" | undefined,
        },
        content: createReadStream(file, { highWaterMark: 256 * 1024 }),
      },
    });
  }

  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const sizes = new Map(sources.map(({ source, size }) => [source.options.fileName, size]));
  const files = await readImportFiles(
    sources.map(({ source }) => source),
    (file, progress) => {
      const size = sizes.get(file) ?? 0;
      const percent = size ? Math.min(100, Math.round((progress.bytes / size) * 100)) : 100;
      // The header row is a record too, not a row of data.
      const rows = Math.max(0, progress.records - 1).toLocaleString("en-US");
      progressLine(`Reading ${file}: ${percent}% · ${rows} rows · ${seconds()}s`);
    },
  );
  endProgress();

  const batch = {
    skipRejected: values["skip-rejected"] ?? false,
    asOf: values["as-of-from-file"] ? ("file" as const) : values["as-of"],
    newRepTeam: values["new-rep-team"],
  };
  console.log(`Database: ${describeTarget(resolveDatabaseTarget())}`);

  if (values["dry-run"]) {
    const preview = await previewImport(files, batch);
    console.log(describePreview(preview));
    if (preview.quality) {
      console.log(`\nData quality after this import:\n  ${describeDataQuality(preview.quality).join("\n  ")}`);
    } else if (!preview.commandLineBlockers.length) {
      console.log(
        `\nData quality: reported after the import (a preview trial-applies files of up to ${TRIAL_APPLY_MAX_ROWS.toLocaleString("en-US")} rows only).`,
      );
    }
    if (preview.commandLineBlockers.length) {
      console.error(`\nThe import would be refused:\n  ${preview.commandLineBlockers.join("\n  ")}`);
    }
    console.log(`\nDry run: nothing was written (${seconds()}s).`);
    return preview.blockers.length ? 1 : 0;
  }

  let lastStep = "";
  const onProgress = (progress: ApplyProgress) => {
    const share = progress.total ? ` ${Math.round((progress.done / progress.total) * 100)}%` : "";
    if (progress.step !== lastStep || progress.total > 1000) {
      progressLine(`Writing ${progress.step}:${share} · ${seconds()}s`);
      lastStep = progress.step;
    }
  };
  try {
    const result = await applyImport(files, batch, { actorId: null, via: "command line" }, onProgress);
    endProgress();
    console.log(describePreview(result));
    console.log(`\nData quality:\n  ${describeDataQuality(result.quality).join("\n  ")}`);
    console.log(
      result.nothingToChange
        ? `\nNothing was written: the database already holds these files (${seconds()}s).`
        : `\nImported in ${seconds()}s, in one transaction.`,
    );
    return 0;
  } catch (error) {
    endProgress();
    if (error instanceof ImportRefused) {
      console.log(describePreview(error.preview));
      console.error(`\nImport refused, nothing was written:\n  ${error.preview.commandLineBlockers.join("\n  ")}`);
      return 1;
    }
    throw error;
  }
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    endProgress();
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError) {
      console.error(`${message}\n${USAGE}`);
      await closeDb().catch(() => undefined);
      process.exit(2);
    }
    console.error(`Import failed, nothing was written: ${message}`);
    if (/relation .* does not exist/.test(message)) {
      console.error("The database is not set up yet: run npm run db:migrate first.");
    }
    await closeDb().catch(() => undefined);
    process.exit(1);
  });
