"use client";
// A file's mapping kept for later: use a saved mapping on this file, save
// this file's mapping (new, or replacing a saved one), or download it as the
// JSON file `npm run import -- --mapping <file>` reads.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { ActionResult } from "@/lib/action-result";
import { saveImportMappingAction } from "@/lib/import/actions";
import { KIND_LABELS } from "@/lib/import/fields";
import { mappingFileName, mappingFileText } from "@/lib/import/mappings";
import type { SavedMapping } from "@/lib/import/mappings-data";
import { PRESET_LABELS } from "@/lib/import/presets";
import type { Mapping } from "@/lib/import/schema";

/** Offers the mapping as a file download, without a round trip to the server. */
export function downloadMapping(name: string, mapping: Mapping): void {
  const url = URL.createObjectURL(new Blob([mappingFileText(mapping)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = mappingFileName(name);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function DownloadMappingButton({ name, mapping }: { name: string; mapping: Mapping }) {
  return (
    <Button onClick={() => downloadMapping(name, mapping)} aria-label={`Download “${name}” as JSON`}>
      Download as JSON
    </Button>
  );
}

const describeSaved = (saved: SavedMapping) =>
  `${saved.name} — ${KIND_LABELS[saved.kind] ?? saved.kind}, ${saved.preset === "generic" ? "any CSV" : PRESET_LABELS[saved.preset]}`;

export function UseSavedMapping({
  idPrefix,
  saved,
  kind,
  onUse,
}: {
  idPrefix: string;
  saved: SavedMapping[];
  kind: string;
  onUse: (saved: SavedMapping) => void;
}) {
  const usable = saved.filter((mapping) => mapping.mapping);
  const sorted = [...usable].sort((a, b) => Number(b.kind === kind) - Number(a.kind === kind));
  const [chosen, setChosen] = useState("");
  if (usable.length === 0) return null;
  const id = `${idPrefix}-saved`;
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="flex flex-col gap-1">
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          Use a saved mapping
        </label>
        <select id={id} className={inputClass} value={chosen} onChange={(event) => setChosen(event.target.value)}>
          <option value="">— Choose one —</option>
          {sorted.map((mapping) => (
            <option key={mapping.id} value={mapping.id}>
              {describeSaved(mapping)}
            </option>
          ))}
        </select>
      </div>
      <Button
        disabled={!chosen}
        onClick={() => {
          const mapping = usable.find((candidate) => String(candidate.id) === chosen);
          if (mapping) onUse(mapping);
        }}
      >
        Use it on this file
      </Button>
    </div>
  );
}

export function SaveMapping({
  idPrefix,
  saved,
  mapping,
  suggestedName,
  disabled = false,
}: {
  idPrefix: string;
  saved: SavedMapping[];
  mapping: Mapping;
  suggestedName: string;
  disabled?: boolean;
}) {
  const [name, setName] = useState("");
  const [replaceId, setReplaceId] = useState("");
  const [result, setResult] = useState<ActionResult<{ id: number; name: string; replaced: boolean }> | null>(null);
  const [pending, setPending] = useState(false);
  const nameError = result && !result.ok ? result.fieldErrors?.name?.join(" ") : undefined;
  const nameId = `${idPrefix}-mapping-name`;
  const replaceSelect = `${idPrefix}-mapping-replace`;
  const resultId = `${idPrefix}-mapping-result`;

  async function save() {
    setPending(true);
    const outcome = await saveImportMappingAction({ name: name || suggestedName, mapping, replaceId });
    setPending(false);
    setResult(outcome);
    // Saving again replaces what was just saved instead of refusing a taken name.
    if (outcome.ok) {
      setReplaceId(String(outcome.data.id));
      setName(outcome.data.name);
    }
  }

  return (
    <fieldset className="rounded-md border border-slate-200 p-3" disabled={disabled}>
      <legend className="px-1 text-sm font-semibold text-slate-900">Keep this mapping</legend>
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={nameId} className="text-sm font-medium text-slate-800">
            Name
          </label>
          <input
            id={nameId}
            className={`${inputClass} w-64`}
            value={name}
            placeholder={suggestedName}
            maxLength={80}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={resultId}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        {saved.length ? (
          <div className="flex flex-col gap-1">
            <label htmlFor={replaceSelect} className="text-sm font-medium text-slate-800">
              Save as
            </label>
            <select
              id={replaceSelect}
              className={inputClass}
              value={replaceId}
              onChange={(event) => {
                setReplaceId(event.target.value);
                const replaced = saved.find((candidate) => String(candidate.id) === event.target.value);
                if (replaced && !name) setName(replaced.name);
              }}
            >
              <option value="">A new saved mapping</option>
              {saved.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  Replace “{candidate.name}”
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <Button onClick={() => void save()} disabled={pending}>
          {pending ? "Saving…" : replaceId ? "Replace it" : "Save mapping"}
        </Button>
        <DownloadMappingButton name={name || suggestedName} mapping={mapping} />
      </div>
      <p id={resultId} role="status" aria-live="polite" className="mt-2 text-sm">
        {result ? (
          <span className={result.ok ? "text-emerald-800" : "text-red-800"}>{nameError ?? result.message}</span>
        ) : (
          <span className="text-slate-600">
            Saved mappings are offered for the next export; the JSON file is for{" "}
            <code className="rounded bg-slate-100 px-1">npm run import -- --mapping file.json</code>.
          </span>
        )}
      </p>
    </fieldset>
  );
}
