"use client";
// The column mapping of one file: each field the kind of file can carry
// (lib/import/fields.ts) as a labelled select of the file's headers, the
// required ones marked in words, hints shown, pre-filled from the preset's
// suggestions. Fields only a CRM preset fills (won / closed flags) are shown
// for those presets only.
import { inputClass } from "@/components/ui/field";
import { FIELDS } from "@/lib/import/fields";
import type { FileMappingState } from "@/lib/import/mappings";

const NOT_IN_FILE = "";

export function ColumnMapping({
  idPrefix,
  form,
  missing,
  onChange,
}: {
  idPrefix: string;
  form: FileMappingState;
  /** Required fields the last preview found no column for. */
  missing: string[];
  onChange: (columns: FileMappingState["columns"]) => void;
}) {
  const fields = FIELDS[form.kind].filter((field) => !field.presetOnly || form.preset !== "generic");
  const headers = form.headers.filter((header) => header.trim() !== "");
  const used = new Set(Object.values(form.columns).flat());
  const unused = headers.filter((header) => !used.has(header));

  return (
    <fieldset className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold text-slate-900">Columns</legend>
      <p className="mb-3 text-xs text-slate-600">
        Which column of the file holds each field. Fields marked <strong>required</strong> must have one; the rest are
        optional (the deal keeps what it has when a column is not in the file).
      </p>
      <div className="grid grid-cols-1 gap-x-4 gap-y-3 md:grid-cols-3">
        {fields.map((field) => {
          const id = `${idPrefix}-column-${field.key}`;
          const chosen = form.columns[field.key] ?? [];
          const required = field.required === "always";
          const isMissing = required && chosen.length === 0 && missing.includes(field.key);
          const describedBy = [field.hint ? `${id}-hint` : null, chosen.length > 1 ? `${id}-more` : null]
            .concat(isMissing ? `${id}-error` : null)
            .filter(Boolean)
            .join(" ");
          return (
            <div key={field.key} className="flex flex-col gap-1" data-testid={`column-${field.key}`}>
              <label htmlFor={id} className="text-sm font-medium text-slate-800">
                {field.label} column
                {required ? <span className="ml-1 text-xs font-semibold text-red-800">(required)</span> : null}
              </label>
              <select
                id={id}
                className={inputClass}
                value={chosen[0] ?? NOT_IN_FILE}
                aria-required={required || undefined}
                aria-invalid={isMissing || undefined}
                aria-describedby={describedBy || undefined}
                onChange={(event) => {
                  const next = { ...form.columns };
                  if (event.target.value === NOT_IN_FILE) next[field.key] = [];
                  else next[field.key] = [event.target.value];
                  onChange(next);
                }}
              >
                <option value={NOT_IN_FILE}>{required ? "— Choose a column —" : "— Not in this file —"}</option>
                {headers.map((header) => (
                  <option key={header} value={header}>
                    {header}
                  </option>
                ))}
              </select>
              {chosen.length > 1 ? (
                <p id={`${id}-more`} className="text-xs text-slate-600">
                  When that cell is empty: {chosen.slice(1).join(", then ")}.
                </p>
              ) : null}
              {field.hint ? (
                <p id={`${id}-hint`} className="text-xs text-slate-600">
                  {field.hint}
                </p>
              ) : null}
              {isMissing ? (
                <p id={`${id}-error`} className="text-xs font-medium text-red-800">
                  Required: choose the column that holds the {field.label.toLowerCase()}.
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
      {unused.length ? (
        <p className="mt-3 text-xs text-slate-600">
          Columns no field reads (left out of the import): {unused.join(", ")}.
        </p>
      ) : null}
    </fieldset>
  );
}
