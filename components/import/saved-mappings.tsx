"use client";
// The saved mappings: what each is for, when it last changed, a download as
// the command line's JSON file, and a rename. They are settings, replaced or
// renamed but not deleted; every change is in the audit trail.
import { FormResult } from "@/components/settings/form-result";
import { useFormAction } from "@/components/settings/use-form-action";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { formatDate } from "@/lib/format";
import { renameImportMappingAction } from "@/lib/import/actions";
import { KIND_LABELS } from "@/lib/import/fields";
import type { SavedMapping } from "@/lib/import/mappings-data";
import { PRESET_LABELS } from "@/lib/import/presets";
import { DownloadMappingButton } from "./mapping-tools";

function RenameForm({ mapping }: { mapping: SavedMapping }) {
  const [result, onSubmit, pending] = useFormAction(renameImportMappingAction);
  const id = `rename-${mapping.id}`;
  const error = result && !result.ok ? result.fieldErrors?.name?.join(" ") : undefined;
  return (
    <details className="group">
      <summary className="cursor-pointer text-sm text-blue-800 underline-offset-2 hover:underline">
        Rename<span className="sr-only"> “{mapping.name}”</span>
      </summary>
      <form onSubmit={onSubmit} className="mt-2 flex flex-wrap items-end gap-2" noValidate>
        <input type="hidden" name="id" value={mapping.id} />
        <div className="flex flex-col gap-1">
          <label htmlFor={id} className="text-xs font-medium text-slate-800">
            New name
          </label>
          <input
            id={id}
            name="name"
            defaultValue={mapping.name}
            maxLength={80}
            className={`${inputClass} w-56`}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-result`}
          />
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save name"}
        </Button>
        <FormResult id={`${id}-result`} result={result} />
      </form>
    </details>
  );
}

export function SavedMappings({ mappings }: { mappings: SavedMapping[] }) {
  if (mappings.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700">
        No saved mappings yet. After you map a file's columns above, keep the mapping under a name to reuse it on the
        next export from the same CRM, or download it as JSON for{" "}
        <code className="rounded bg-slate-100 px-1">npm run import -- --mapping file.json</code>.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" data-testid="saved-mappings">
        <thead className="bg-slate-50 text-xs text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              For
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Last changed
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Added by
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {mappings.map((mapping) => (
            <tr key={mapping.id} className="border-t border-slate-100 align-top">
              <th scope="row" className="px-3 py-2 font-medium text-slate-900">
                {mapping.name}
                {mapping.problem ? <p className="text-xs font-normal text-red-800">{mapping.problem}</p> : null}
              </th>
              <td className="px-3 py-2">
                {KIND_LABELS[mapping.kind] ?? mapping.kind} ·{" "}
                {mapping.preset === "generic" ? "any CSV" : (PRESET_LABELS[mapping.preset] ?? mapping.preset)}
              </td>
              <td className="px-3 py-2">{formatDate(new Date(mapping.updatedAt))}</td>
              <td className="px-3 py-2">{mapping.createdBy ?? "—"}</td>
              <td className="px-3 py-2">
                <div className="flex flex-wrap items-start gap-3">
                  {mapping.mapping ? <DownloadMappingButton name={mapping.name} mapping={mapping.mapping} /> : null}
                  <RenameForm mapping={mapping} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
