"use client";
// Where each stage value of a file goes: one of our stages, won / lost /
// prospect, or a new stage the import creates. Pre-filled with what the
// preview decided (same name, "Closed Won", a saved mapping); a value nothing
// decided is marked in words, and its rows are rejected until it is chosen.
import { inputClass } from "@/components/ui/field";
import type { StageTableRow } from "@/lib/import/plan-types";
import { CREATE_STAGE } from "@/lib/import/schema";
import { stageChoice, stageHowWords } from "./wording";

export function StageMapping({
  idPrefix,
  rows,
  stages,
  choices,
  onChange,
}: {
  idPrefix: string;
  rows: StageTableRow[];
  stages: { name: string; active: boolean }[];
  /** The person's choices so far (stage value → target). */
  choices: Record<string, string>;
  onChange: (choices: Record<string, string>) => void;
}) {
  return (
    <fieldset className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold text-slate-900">Stages</legend>
      <p className="mb-2 text-xs text-slate-600">
        Each stage the file names becomes one of your stages, a closed deal (won or lost), a prospect outside the
        pipeline, or a new stage added after your last one.
      </p>
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Stage in the file
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">
              Rows
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Becomes
            </th>
            <th scope="col" className="py-1 font-medium">
              Why
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const id = `${idPrefix}-stage-${index}`;
            const fromPreview = stageChoice(row);
            const value = choices[row.value] ?? fromPreview;
            const changed = choices[row.value] !== undefined && choices[row.value] !== fromPreview;
            const unmapped = value === "";
            return (
              <tr key={row.value} className="border-t border-slate-100" data-testid="stage-row">
                <th scope="row" className="py-1.5 pr-3 font-medium text-slate-900">
                  <label htmlFor={id}>{row.value}</label>
                </th>
                <td className="py-1.5 pr-3 text-right tabular-nums">
                  {(row.rows + row.entries).toLocaleString("en-US")}
                </td>
                <td className="py-1.5 pr-3">
                  <select
                    id={id}
                    className={inputClass}
                    value={value}
                    aria-invalid={unmapped || undefined}
                    aria-describedby={`${id}-why`}
                    onChange={(event) => onChange({ ...choices, [row.value]: event.target.value })}
                  >
                    <option value="">— Choose where it goes —</option>
                    <optgroup label="Your stages">
                      {stages.map((stage) => (
                        <option key={stage.name} value={stage.name}>
                          {stage.name}
                          {stage.active ? "" : " (no longer used)"}
                        </option>
                      ))}
                    </optgroup>
                    <optgroup label="Closed, or outside the pipeline">
                      <option value="won">Won (closed)</option>
                      <option value="lost">Lost (closed)</option>
                      <option value="prospect">Prospect (outside the pipeline)</option>
                    </optgroup>
                    <option value={CREATE_STAGE}>Create “{row.value}” as a new stage</option>
                  </select>
                </td>
                <td id={`${id}-why`} className="py-1.5 text-xs">
                  {changed ? (
                    <span className="text-slate-700">Changed: preview again to see its effect</span>
                  ) : unmapped ? (
                    <span className="font-medium text-red-800">
                      Not mapped yet: its rows are rejected until you choose
                    </span>
                  ) : (
                    <span className="text-slate-600">{stageHowWords(row.how)}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </fieldset>
  );
}
