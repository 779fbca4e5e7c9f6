"use client";
// One chosen file: what it was read as (kind and CRM, which the person can
// change), its column mapping, its stage mapping, the date-order question
// when its dates are ambiguous (never guessed), keeping the mapping, and
// what the preview says the import will do with it.
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { IMPORT_KINDS, type ImportKind, KIND_LABELS } from "@/lib/import/fields";
import { type FileMappingState, initialState, mappingFromState, stateFromMapping } from "@/lib/import/mappings";
import type { SavedMapping } from "@/lib/import/mappings-data";
import type { FileSummary } from "@/lib/import/plan-types";
import { PRESET_LABELS, PRESET_NAMES, type PresetName } from "@/lib/import/presets";
import { ColumnMapping } from "./column-mapping";
import { FilePreview } from "./file-preview";
import { SaveMapping, UseSavedMapping } from "./mapping-tools";
import { StageMapping } from "./stage-mapping";
import { formatBytes } from "./wording";

/** After the import the mapping is history: folded away, still there to read. */
function MaybeFolded({ folded, title, children }: { folded: boolean; title: string; children: ReactNode }) {
  if (!folded) return <>{children}</>;
  return (
    <details className="mt-3">
      <summary className="cursor-pointer text-sm text-blue-800">{title}</summary>
      {children}
    </details>
  );
}

export interface ChosenFile {
  key: string;
  file: File;
  /** null until the first preview has read the file's headers. */
  form: FileMappingState | null;
  /** Something to tell about the form, e.g. a saved mapping's columns this file lacks. */
  note: string | null;
}

export function FileCard({
  index,
  entry,
  summary,
  stale,
  disabled,
  done,
  stages,
  savedMappings,
  currency,
  onChange,
  onRemove,
}: {
  index: number;
  entry: ChosenFile;
  summary: FileSummary | undefined;
  stale: boolean;
  /** While a preview or an import runs, and after the import. */
  disabled: boolean;
  /** The import is done: the preview is what was imported. */
  done: boolean;
  stages: { name: string; active: boolean }[];
  savedMappings: SavedMapping[];
  currency: string;
  onChange: (form: FileMappingState, note?: string | null) => void;
  onRemove: () => void;
}) {
  const id = `file-${index}`;
  const form = entry.form;
  const titleId = `${id}-title`;
  const set = (change: Partial<FileMappingState>) => form && onChange({ ...form, ...change });
  const question = summary?.dateOrder.status === "question" ? summary.dateOrder.question : null;
  const showDateOrder = Boolean(form && (question || form.dateOrder));

  return (
    <section
      aria-labelledby={titleId}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="import-file"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={titleId} className="text-lg font-semibold text-slate-900">
          {entry.file.name} <span className="text-sm font-normal text-slate-600">({formatBytes(entry.file.size)})</span>
        </h3>
        {!disabled ? (
          <Button variant="ghost" onClick={onRemove} aria-label={`Remove ${entry.file.name}`}>
            Remove
          </Button>
        ) : null}
      </div>
      {summary ? (
        <p className="text-sm text-slate-700" data-testid="file-description">
          {summary.description}
        </p>
      ) : (
        <p className="text-sm text-slate-600">Not read yet: preview to see what the file holds.</p>
      )}

      {form ? (
        <MaybeFolded folded={done} title="How the file was read: kind, columns and stages">
          <fieldset disabled={disabled} className="mt-3 space-y-3">
            <legend className="sr-only">Mapping of {entry.file.name}</legend>
            <div className="flex flex-wrap items-end gap-3">
              <div className="flex flex-col gap-1">
                <label htmlFor={`${id}-kind`} className="text-sm font-medium text-slate-800">
                  Kind of file
                </label>
                <select
                  id={`${id}-kind`}
                  className={inputClass}
                  value={form.kind}
                  onChange={(event) => {
                    const kind = event.target.value as ImportKind;
                    onChange({ ...initialState(kind, form.preset, form.headers), dateOrder: form.dateOrder });
                  }}
                >
                  {IMPORT_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {KIND_LABELS[kind]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="flex flex-col gap-1">
                <label htmlFor={`${id}-preset`} className="text-sm font-medium text-slate-800">
                  Exported from
                </label>
                <select
                  id={`${id}-preset`}
                  className={inputClass}
                  value={form.preset}
                  onChange={(event) => {
                    const preset = event.target.value as PresetName;
                    onChange({ ...initialState(form.kind, preset, form.headers), dateOrder: form.dateOrder });
                  }}
                >
                  {PRESET_NAMES.map((preset) => (
                    <option key={preset} value={preset}>
                      {PRESET_LABELS[preset]}
                    </option>
                  ))}
                </select>
              </div>
              <UseSavedMapping
                idPrefix={id}
                saved={savedMappings}
                kind={form.kind}
                onUse={(saved) => {
                  if (!saved.mapping) return;
                  const { state, missingColumns } = stateFromMapping(saved.mapping, form.headers, form);
                  onChange(
                    state,
                    missingColumns.length
                      ? `“${saved.name}” names columns this file does not have (${missingColumns.join(", ")}): those fields are left out. Map them by hand if the file has them under another name, then preview again.`
                      : `Using the saved mapping “${saved.name}”. Preview again to see what it does with this file.`,
                  );
                }}
              />
            </div>
            {entry.note ? (
              <p className="text-sm text-slate-700" role="status">
                {entry.note}
              </p>
            ) : null}

            <ColumnMapping
              idPrefix={id}
              form={form}
              missing={stale ? [] : (summary?.missingColumns.map((column) => column.key) ?? [])}
              onChange={(columns) => set({ columns })}
            />

            {form.preset === "generic" && form.kind !== "people" ? (
              <div className="flex flex-wrap gap-4">
                <div className="flex flex-col gap-1">
                  <label htmlFor={`${id}-source`} className="text-sm font-medium text-slate-800">
                    Source name
                  </label>
                  <input
                    id={`${id}-source`}
                    className={`${inputClass} w-56`}
                    value={form.source}
                    placeholder="csv"
                    aria-describedby={`${id}-source-hint`}
                    onChange={(event) => set({ source: event.target.value })}
                  />
                  <p id={`${id}-source-hint`} className="max-w-md text-xs text-slate-600">
                    Which system the ids come from, e.g. acme-crm. Use the same name every time you import from it, so a
                    re-import updates its deals instead of adding them again.
                  </p>
                </div>
                {form.kind === "deals" ? (
                  <div className="flex flex-col gap-1">
                    <label htmlFor={`${id}-currency`} className="text-sm font-medium text-slate-800">
                      Currency of the amounts
                    </label>
                    <input
                      id={`${id}-currency`}
                      className={`${inputClass} w-24 uppercase`}
                      value={form.currency}
                      placeholder={currency}
                      maxLength={3}
                      aria-describedby={`${id}-currency-hint`}
                      onChange={(event) => set({ currency: event.target.value })}
                    />
                    <p id={`${id}-currency-hint`} className="max-w-xs text-xs text-slate-600">
                      When the file has no currency column and its amounts carry no symbol; empty: {currency}.
                    </p>
                  </div>
                ) : null}
              </div>
            ) : null}

            {showDateOrder ? (
              <fieldset
                className={`rounded-md border p-3 ${question && !form.dateOrder ? "border-red-300 bg-red-50" : "border-slate-200"}`}
                aria-describedby={question ? `${id}-date-question` : undefined}
                data-testid="date-order"
              >
                <legend className="px-1 text-sm font-semibold text-slate-900">How does this file write dates?</legend>
                {question ? (
                  <p id={`${id}-date-question`} className="mb-2 text-sm text-slate-800">
                    {question}
                  </p>
                ) : null}
                <div className="flex flex-wrap gap-6 text-sm">
                  <label className="flex items-center gap-2">
                    <input
                      type="radio"
                      name={`${id}-date-order`}
                      checked={form.dateOrder === "us"}
                      onChange={() => set({ dateOrder: "us" })}
                    />
                    Month first (US): 3/4/2026 is March 4
                  </label>
                  <label className="flex items-center gap-2">
                    <input
                      type="radio"
                      name={`${id}-date-order`}
                      checked={form.dateOrder === "eu"}
                      onChange={() => set({ dateOrder: "eu" })}
                    />
                    Day first (European): 3/4/2026 is 3 April
                  </label>
                </div>
              </fieldset>
            ) : null}

            {summary?.stageTable.length && !stale ? (
              <StageMapping
                idPrefix={id}
                rows={summary.stageTable}
                stages={stages}
                choices={form.stages}
                onChange={(choices) => set({ stages: choices })}
              />
            ) : summary?.stageTable.length ? (
              <p className="text-sm text-slate-600">Preview again to map the stages this file names.</p>
            ) : null}
          </fieldset>
        </MaybeFolded>
      ) : null}
      {form ? (
        <div className="mt-3">
          <SaveMapping
            idPrefix={id}
            disabled={disabled && !done}
            saved={savedMappings}
            mapping={mappingFromState(form)}
            suggestedName={
              form.preset === "generic"
                ? `${KIND_LABELS[form.kind]} from ${form.source.trim() || entry.file.name.replace(/\.[^.]+$/, "")}`
                : `${PRESET_LABELS[form.preset]} ${KIND_LABELS[form.kind].toLowerCase()}`
            }
          />
        </div>
      ) : null}

      {summary ? (
        <div className={`mt-4 border-t border-slate-200 pt-3 ${stale ? "opacity-60" : ""}`}>
          <h4 className="mb-2 text-base font-semibold text-slate-900">
            {done ? "What was imported" : "What the import will do"}
            {stale ? (
              <span className="ml-2 text-sm font-normal text-slate-700">(out of date: preview again)</span>
            ) : null}
          </h4>
          <FilePreview summary={summary} idPrefix={id} done={done} />
        </div>
      ) : null}
    </section>
  );
}
