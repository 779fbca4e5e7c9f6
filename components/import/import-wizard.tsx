"use client";
// The import page's flow: choose CSV files → the server reads them (kind and
// CRM detected per file) → map columns, stages and the date order per file →
// preview (counts, changes, new people and stages, every rejected row, what
// stops the import) → options (leave the rejected rows out, new reps' team,
// as-of date) → import, all or nothing → result with links.
//
// The browser keeps the File objects: every preview and the import send them
// again (streamed, with progress), and the server reads and plans them again
// each time — apply plans inside its own transaction — so nothing depends on
// state kept on the server between requests.
import { useRouter } from "next/navigation";
import { type ChangeEvent, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { formatDate } from "@/lib/format";
import { type FileMappingState, mappingFromState } from "@/lib/import/mappings";
import type { SavedMapping } from "@/lib/import/mappings-data";
import type { PresetName } from "@/lib/import/presets";
import { DataQualityReport } from "./data-quality";
import type { ImportPreview, ImportResult as Result } from "@/lib/import/run";
import { type ImportRequest, MAX_IMPORT_FILES } from "@/lib/import/schema";
import { type ChosenFile, FileCard } from "./file-card";
import { ImportProgress, type ImportProgressState } from "./import-progress";
import { ImportResult } from "./import-result";
import { sendImport } from "./upload-client";
import { formatBytes, plural } from "./wording";

interface Options {
  skipRejected: boolean;
  newRepTeam: string;
  asOf: "keep" | "file" | "day";
  asOfDay: string;
}

const NO_OPTIONS: Options = { skipRejected: false, newRepTeam: "", asOf: "keep", asOfDay: "" };

function buildRequest(entries: ChosenFile[], options: Options, forPreview: boolean): ImportRequest {
  return {
    files: entries.map(({ file, form }) => ({
      fileName: file.name,
      size: file.size,
      ...(form
        ? {
            kind: form.kind,
            preset: form.preset,
            mapping: mappingFromState(form),
            ...(form.dateOrder ? { dateOrder: form.dateOrder } : {}),
          }
        : {}),
    })),
    // A preview never stops at rejected rows: the page asks for the choice itself, and apply sends it.
    skipRejected: forPreview ? true : options.skipRejected,
    ...(options.asOf === "file" ? { asOf: "file" as const } : {}),
    ...(options.asOf === "day" && options.asOfDay ? { asOf: options.asOfDay } : {}),
    ...(options.newRepTeam ? { newRepTeam: options.newRepTeam } : {}),
  };
}

/** What a preview depends on: the files and everything chosen but the rejected-rows tick. */
function requestKey(entries: ChosenFile[], options: Options): string {
  return JSON.stringify([
    entries.map(({ file }) => [file.name, file.size, file.lastModified]),
    buildRequest(entries, options, true),
  ]);
}

const looksLikeCsv = (file: File) => /\.(csv|tsv|txt)$/i.test(file.name) || /csv|text\/plain/.test(file.type);

let nextKey = 1;

export function ImportWizard({
  stages,
  teams,
  savedMappings,
  currency,
  fixedAsOf,
  today,
}: {
  stages: { name: string; active: boolean }[];
  teams: string[];
  savedMappings: SavedMapping[];
  currency: string;
  /** The organisation's fixed as-of day (YYYY-MM-DD), null: today. */
  fixedAsOf: string | null;
  today: string;
}) {
  const router = useRouter();
  const [entries, setEntries] = useState<ChosenFile[]>([]);
  const [options, setOptions] = useState<Options>(NO_OPTIONS);
  const [preview, setPreview] = useState<{ data: ImportPreview; key: string; seconds: number } | null>(null);
  const [busy, setBusy] = useState<"preview" | "apply" | null>(null);
  const [progress, setProgress] = useState<ImportProgressState | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [result, setResult] = useState<{ data: Result; seconds: number } | null>(null);

  // Leaving the page while the import writes does not stop it; make leaving by accident harder.
  useEffect(() => {
    if (busy !== "apply") return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [busy]);

  const done = result !== null;
  const stale = preview !== null && preview.key !== requestKey(entries, options);
  const setOption = (change: Partial<Options>) => setOptions((current) => ({ ...current, ...change }));

  function addFiles(event: ChangeEvent<HTMLInputElement>) {
    const chosen = [...(event.target.files ?? [])];
    event.target.value = "";
    const notCsv = chosen.filter((file) => !looksLikeCsv(file));
    const csv = chosen.filter(looksLikeCsv);
    const room = MAX_IMPORT_FILES - entries.length;
    const problems: string[] = [];
    if (notCsv.length) {
      problems.push(
        `${notCsv.map((file) => `“${file.name}”`).join(", ")} ${notCsv.length === 1 ? "does" : "do"} not look like a CSV file: export it from your CRM or spreadsheet as CSV, then choose it again.`,
      );
    }
    if (csv.length > room) {
      problems.push(`Import at most ${MAX_IMPORT_FILES} files at once: the last ${csv.length - room} were left out.`);
    }
    const added = csv
      .slice(0, Math.max(room, 0))
      .map((file) => ({ key: `f${nextKey++}`, file, form: null, note: null }));
    setMessage(problems.length ? problems.join(" ") : null);
    if (added.length) {
      setEntries((current) => [...current, ...added]);
      setPreview(null);
    }
  }

  function updateEntry(index: number, form: FileMappingState, note: string | null = null) {
    setEntries((current) => current.map((entry, at) => (at === index ? { ...entry, form, note } : entry)));
  }

  function removeEntry(index: number) {
    setEntries((current) => current.filter((_, at) => at !== index));
    setPreview(null);
    setMessage(null);
  }

  function startOver() {
    setEntries([]);
    setOptions(NO_OPTIONS);
    setPreview(null);
    setResult(null);
    setMessage(null);
  }

  /** Takes a preview in: forms for the files read for the first time, pre-filled from what the server detected. */
  function adopt(data: ImportPreview, seconds: number) {
    const next = entries.map((entry, index) => {
      const summary = data.files[index];
      if (entry.form || !summary) return entry;
      const form: FileMappingState = {
        kind: summary.kind,
        preset: summary.preset as PresetName,
        headers: summary.headers,
        columns: summary.columns,
        stages: {},
        dateOrder: null,
        source: "",
        currency: "",
      };
      return { ...entry, form };
    });
    setEntries(next);
    setPreview({ data, key: requestKey(next, options), seconds });
  }

  async function run(action: "preview" | "apply") {
    const request = buildRequest(entries, options, action === "preview");
    const total = entries.reduce((sum, entry) => sum + entry.file.size, 0);
    setBusy(action);
    setMessage(null);
    setProgress({ action, uploaded: 0, total, reading: null, planning: false, step: null });
    const outcome = await sendImport(
      `/api/import/${action}`,
      request,
      entries.map((entry) => entry.file),
      {
        onUpload: (loaded, all) => setProgress((now) => now && { ...now, uploaded: loaded, total: all }),
        onEvent: (event) => {
          if (event.type === "read") {
            setProgress((now) => now && { ...now, reading: { file: event.file, records: event.records } });
          } else if (event.type === "planning") {
            setProgress((now) => now && { ...now, planning: true });
          } else if (event.type === "apply") {
            setProgress((now) => now && { ...now, planning: false, step: event });
          }
        },
      },
    );
    setBusy(null);
    setProgress(null);
    switch (outcome.type) {
      case "preview":
        adopt(outcome.preview, outcome.seconds);
        break;
      case "result":
        setPreview({ data: outcome.result, key: requestKey(entries, options), seconds: outcome.seconds });
        setResult({ data: outcome.result, seconds: outcome.seconds });
        router.refresh();
        break;
      case "refused":
        adopt(outcome.preview, 0);
        setMessage(`Nothing was imported: ${outcome.message}`);
        break;
      case "error":
        setMessage(outcome.message);
        break;
      default:
        setMessage("The server answered something unexpected. Nothing was imported; reload the page and try again.");
    }
  }

  const data = preview?.data;
  const rejectedRows = data?.rejectedRows ?? 0;
  const blockers = [
    ...(data?.blockers ?? []),
    ...(data && rejectedRows > 0 && !options.skipRejected
      ? [
          `${plural(rejectedRows, "row is", "rows are")} rejected (listed with the reason under each file). Fix ${rejectedRows === 1 ? "it" : "them"} in the file and choose it again, or tick “Import the rest without the rejected rows” below.`,
        ]
      : []),
  ];
  const newPeople = data?.files.reduce((sum, file) => sum + file.newPeople.length, 0) ?? 0;
  const latest = data?.asOf.latestInFiles ?? null;
  const unread = data?.files.some((file) => file.missingColumns.length || file.dateOrder.status === "question");
  const willFix = !stale && data ? data.asOf.willFix : null;
  const whyNot = !data
    ? "Preview the files first."
    : stale
      ? "You changed a mapping or an option since the preview: preview again first."
      : blockers.length
        ? "First resolve what is listed under “Before you can import”."
        : data.nothingToChange
          ? "Nothing to import: the database already holds everything in these files."
          : null;

  return (
    <div className="space-y-6">
      <section aria-labelledby="choose-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="choose-title" className="text-lg font-semibold">
          1. Choose the CSV files
        </h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Deals (opportunities), activities (tasks, calls, emails, meetings), stage history and people, as your CRM
          exports them. Salesforce, HubSpot and Pipedrive exports are recognised by their columns; for any other CSV you
          choose the columns yourself. Several files go in together, in one transaction.
        </p>
        <div className="mt-3 flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1">
            <label htmlFor="import-files" className="text-sm font-medium text-slate-800">
              CSV files (up to {MAX_IMPORT_FILES})
            </label>
            <input
              id="import-files"
              type="file"
              multiple
              accept=".csv,.tsv,.txt,text/csv"
              disabled={busy !== null || done}
              onChange={addFiles}
              className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-50"
            />
          </div>
          {entries.length > 0 && !preview && !done ? (
            <Button variant="primary" disabled={busy !== null} onClick={() => void run("preview")}>
              {busy === "preview" ? "Reading…" : `Read ${plural(entries.length, "file")}`}
            </Button>
          ) : null}
          {entries.length > 0 && !busy ? <Button onClick={startOver}>Start over</Button> : null}
        </div>
        {entries.length === 0 ? (
          <p className="mt-3 text-sm text-slate-700" data-testid="no-files">
            No files chosen yet. Export the deals (and, if you have them, activities and stage history) from your CRM as
            CSV, then choose them here; nothing is written until you press Import after the preview.
          </p>
        ) : (
          <ul className="mt-3 text-sm text-slate-700">
            {entries.map((entry) => (
              <li key={entry.key}>
                {entry.file.name} · {formatBytes(entry.file.size)}
              </li>
            ))}
          </ul>
        )}
        {stages.length === 0 ? (
          <p className="mt-2 text-sm text-slate-700">
            Your organisation has no stages yet: map the files' stage values to new stages (“Create … as a new stage”).
          </p>
        ) : null}
      </section>

      {message ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          {message}
        </p>
      ) : null}
      {progress ? <ImportProgress progress={progress} /> : null}
      {result ? (
        <div className="space-y-3">
          <ImportResult result={result.data} seconds={result.seconds} />
          <Button onClick={startOver}>Import more files</Button>
        </div>
      ) : null}

      {entries.some((entry) => entry.form) ? (
        <section aria-labelledby="files-title" className="space-y-4">
          <div className="flex flex-wrap items-baseline gap-3">
            <h2 id="files-title" className="text-lg font-semibold">
              2. Check how each file is read
            </h2>
            {preview && !stale ? (
              <span className="text-sm text-slate-600" data-testid="preview-time">
                {done ? "Imported" : "Previewed"} in {preview.seconds.toLocaleString("en-US")} s
              </span>
            ) : null}
          </div>
          {entries.map((entry, index) => (
            <FileCard
              key={entry.key}
              index={index}
              entry={entry}
              summary={preview?.data.files[index]}
              stale={stale}
              disabled={busy !== null || done}
              done={done}
              stages={stages}
              savedMappings={savedMappings}
              currency={currency}
              onChange={(form, note) => updateEntry(index, form, note)}
              onRemove={() => removeEntry(index)}
            />
          ))}
        </section>
      ) : null}

      {data && !done ? (
        <section aria-labelledby="apply-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="apply-title" className="text-lg font-semibold">
            3. Import
          </h2>

          {stale ? (
            <div className="mt-2 flex flex-wrap items-center gap-3 rounded-md border border-amber-300 bg-amber-50 p-3">
              <p className="text-sm text-amber-950" data-testid="preview-stale">
                You changed a mapping or an option: the preview above is out of date.
              </p>
              <Button variant="primary" disabled={busy !== null} onClick={() => void run("preview")}>
                {busy === "preview" ? "Previewing…" : "Preview again"}
              </Button>
            </div>
          ) : null}

          {blockers.length && !stale ? (
            <div className="mt-3 rounded-md border border-red-300 bg-red-50 p-3" data-testid="blockers">
              <h3 className="text-sm font-semibold text-red-950">Before you can import</h3>
              <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-red-950">
                {blockers.map((blocker) => (
                  <li key={blocker}>{blocker}</li>
                ))}
              </ul>
            </div>
          ) : null}

          {data?.quality && !stale && !done ? (
            <div className="mt-3">
              <DataQualityReport quality={data.quality} title="Data quality of the open deals after this import" />
            </div>
          ) : null}

          <fieldset disabled={busy !== null} className="mt-4 space-y-4">
            <legend className="sr-only">Import options</legend>
            {rejectedRows > 0 ? (
              <div className="flex items-start gap-2">
                <input
                  id="skip-rejected"
                  type="checkbox"
                  className="mt-1"
                  checked={options.skipRejected}
                  onChange={(event) => setOption({ skipRejected: event.target.checked })}
                  aria-describedby="skip-rejected-hint"
                />
                <div>
                  <label htmlFor="skip-rejected" className="text-sm font-medium text-slate-900">
                    Import the rest without the {plural(rejectedRows, "rejected row")}
                  </label>
                  <p id="skip-rejected-hint" className="text-xs text-slate-600">
                    Those rows are not imported; they stay listed above and in the audit trail. Fix them in your CRM and
                    import the file again later — what is already in changes nothing.
                  </p>
                </div>
              </div>
            ) : null}

            <div className="flex flex-col gap-1">
              <label htmlFor="new-rep-team" className="text-sm font-medium text-slate-800">
                Team for new reps
              </label>
              <select
                id="new-rep-team"
                className={`${inputClass} w-96`}
                value={options.newRepTeam}
                onChange={(event) => setOption({ newRepTeam: event.target.value })}
                aria-describedby="new-rep-team-hint"
              >
                <option value="">No team (set it on the People page later)</option>
                {teams.map((team) => (
                  <option key={team} value={team}>
                    {team}
                  </option>
                ))}
              </select>
              <p id="new-rep-team-hint" className="text-xs text-slate-600">
                {newPeople
                  ? `The files name ${plural(newPeople, "person", "people")} this app does not know yet; they are added as reps.`
                  : "Every owner in the files is already known here; nobody new is added."}
              </p>
            </div>

            <fieldset className="rounded-md border border-slate-200 p-3" data-testid="as-of-options">
              <legend className="px-1 text-sm font-semibold text-slate-900">The organisation's as-of date</legend>
              <p className="mb-2 text-sm text-slate-700">
                Now: every screen reads the data as of{" "}
                <strong>
                  {fixedAsOf
                    ? `${formatDate(new Date(`${fixedAsOf}T00:00:00Z`))} (fixed)`
                    : `today, ${formatDate(new Date(`${today}T00:00:00Z`))}`}
                </strong>
                . After a historical export, fix it to the export's date so ages and gaps count to then.
              </p>
              <div className="space-y-1 text-sm">
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="as-of"
                    checked={options.asOf === "keep"}
                    onChange={() => setOption({ asOf: "keep" })}
                  />
                  Leave it as it is
                </label>
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="as-of"
                    checked={options.asOf === "file"}
                    disabled={!latest}
                    onChange={() => setOption({ asOf: "file" })}
                  />
                  {latest
                    ? `The latest date in the files: ${formatDate(new Date(`${latest}T00:00:00Z`))}`
                    : unread
                      ? "The latest date in the files (known once every file is read)"
                      : "The latest date in the files (these files hold no dates)"}
                </label>
                <div className="flex flex-wrap items-center gap-2">
                  <label className="flex items-center gap-2">
                    <input
                      type="radio"
                      name="as-of"
                      checked={options.asOf === "day"}
                      onChange={() => setOption({ asOf: "day" })}
                    />
                    This date:
                  </label>
                  <input
                    type="date"
                    aria-label="Fixed as-of date"
                    className={inputClass}
                    max={today}
                    value={options.asOfDay}
                    onChange={(event) => setOption({ asOf: "day", asOfDay: event.target.value })}
                  />
                </div>
              </div>
              <p className="mt-2 text-sm text-slate-700" data-testid="as-of-outcome">
                {willFix
                  ? `The import will fix the as-of date to ${formatDate(new Date(`${willFix}T00:00:00Z`))}.`
                  : options.asOf === "keep"
                    ? "The import leaves the as-of date as it is."
                    : "Preview again to see the date the import will fix."}
              </p>
            </fieldset>
          </fieldset>

          <div className="mt-4 flex flex-wrap items-center gap-3">
            <Button
              variant="primary"
              disabled={busy !== null || whyNot !== null}
              aria-describedby="apply-why"
              onClick={() => void run("apply")}
            >
              {busy === "apply" ? "Importing…" : `Import ${plural(entries.length, "file")}`}
            </Button>
            {!stale ? (
              <Button disabled={busy !== null} onClick={() => void run("preview")}>
                {busy === "preview" ? "Previewing…" : "Preview again"}
              </Button>
            ) : null}
            <p id="apply-why" className="text-sm text-slate-700">
              {whyNot ?? "All or nothing: if anything fails, nothing is written."}
            </p>
          </div>
        </section>
      ) : null}
    </div>
  );
}
