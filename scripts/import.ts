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
import { readFileSync, statSync, createReadStream } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDb } from "@/lib/db";
import { describeTarget, resolveDatabaseTarget } from "@/lib/db/target";
import { readCsv } from "@/lib/import/csv";
import { IMPORT_KINDS, type ImportKind } from "@/lib/import/fields";
import type { ApplyProgress } from "@/lib/import/mutations";
import { detectFile, PRESET_NAMES, type PresetName } from "@/lib/import/presets";
import { describePreview } from "@/lib/import/report";
import { applyImport, ImportRefused, previewImport, readImportFiles } from "@/lib/import/run";
import { type Mapping, mappingSchema } from "@/lib/import/schema";

const USAGE = `Usage: npm run import -- <files…> [--preset salesforce|hubspot|pipedrive|generic] [--mapping mapping.json]
       [--kind deals|activities|stage-history|people] [--date-order us|eu] [--dry-run] [--skip-rejected]
       [--new-rep-team "Team name"] [--as-of YYYY-MM-DD | --as-of-from-file]`;

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

/** What the file's header row says it is (the same detection the import runs). */
async function detectedKind(file: string): Promise<ImportKind | undefined> {
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  try {
    for await (const record of readCsv(stream)) {
      return detectFile(record.values.map((header) => header.replace(/^\uFEFF/, "").trim())).kind;
    }
    return undefined;
  } finally {
    stream.destroy();
  }
}

/**
 * The mapping for one file: the only one when there is one file, else the one
 * whose kind is the file's (so a deals mapping never makes an activities file
 * read as deals), else the only mapping that names no kind.
 */
function pickMapping(mappings: Mapping[], kind: ImportKind | undefined, files: number): Mapping | undefined {
  if (mappings.length === 1 && files === 1) return mappings[0];
  return mappings.find((mapping) => mapping.kind === kind) ?? mappings.filter((mapping) => !mapping.kind).at(0);
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
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
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
    const kind = (values.kind as ImportKind | undefined) ?? (mappings.length ? await detectedKind(file) : undefined);
    const mapping = pickMapping(mappings, kind, positionals.length);
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
      console.error(`\nImport refused, nothing was written:\n  ${error.preview.blockers.join("\n  ")}`);
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
