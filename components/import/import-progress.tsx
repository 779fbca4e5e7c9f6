"use client";
// How far an upload, a preview or an import has got: the browser's upload
// progress, then the server's own (rows read, then each writing step), as a
// labelled bar with the numbers in words. The live region says only what the
// server is doing now, not every percent.
import type { ApplyStep } from "@/lib/import/mutations";
import { APPLY_STEPS, formatBytes, STEP_LABELS } from "./wording";

export interface ImportProgressState {
  action: "preview" | "apply";
  uploaded: number;
  total: number;
  /** The server's reading: which file, how many records so far (the header row included). */
  reading: { file: string; records: number } | null;
  planning: boolean;
  step: { step: ApplyStep; done: number; total: number } | null;
}

function progressView(progress: ImportProgressState): {
  label: string;
  value: number | null;
  max: number;
  detail: string;
} {
  if (progress.step) {
    const index = APPLY_STEPS.indexOf(progress.step.step);
    const within = progress.step.total > 0 ? progress.step.done / progress.step.total : 0;
    return {
      label: `Writing ${STEP_LABELS[progress.step.step]} (step ${index + 1} of ${APPLY_STEPS.length})`,
      value: index + within,
      max: APPLY_STEPS.length,
      detail:
        progress.step.total > 1
          ? `${progress.step.done.toLocaleString("en-US")} of ${progress.step.total.toLocaleString("en-US")}`
          : "",
    };
  }
  if (progress.planning) {
    return {
      label:
        progress.action === "apply"
          ? "Comparing the files with the database, inside the import's transaction…"
          : "Comparing the files with the database…",
      value: null,
      max: 1,
      detail: "",
    };
  }
  const sending = progress.uploaded < progress.total;
  const percent = progress.total ? Math.floor((progress.uploaded / progress.total) * 100) : 100;
  return {
    label: sending ? `Sending the files: ${percent}%` : "Files sent; the server is reading them…",
    value: progress.uploaded,
    max: Math.max(progress.total, 1),
    detail: `${formatBytes(progress.uploaded)} of ${formatBytes(progress.total)}${
      progress.reading
        ? ` · the server has read ${Math.max(0, progress.reading.records - 1).toLocaleString("en-US")} rows of ${progress.reading.file}`
        : ""
    }`,
  };
}

export function ImportProgress({ progress }: { progress: ImportProgressState }) {
  const view = progressView(progress);
  const phase = progress.step
    ? `Writing ${STEP_LABELS[progress.step.step]}.`
    : progress.planning
      ? "Comparing with the database."
      : progress.total > 0 && progress.uploaded >= progress.total
        ? "The server is reading the files."
        : progress.action === "apply"
          ? "Sending the files for the import."
          : "Sending the files for the preview.";
  return (
    <div className="rounded-lg border border-blue-200 bg-blue-50 p-4" data-testid="import-progress">
      <label htmlFor="import-progress-bar" className="text-sm font-medium text-blue-950">
        {view.label}
      </label>
      <progress
        id="import-progress-bar"
        className="mt-2 block h-3 w-full appearance-none overflow-hidden rounded bg-blue-100 [&::-moz-progress-bar]:bg-blue-700 [&::-webkit-progress-bar]:bg-blue-100 [&::-webkit-progress-value]:bg-blue-700"
        max={view.max}
        {...(view.value === null ? {} : { value: view.value })}
      />
      {view.detail ? <p className="mt-1 text-xs text-blue-950 tabular-nums">{view.detail}</p> : null}
      <p role="status" aria-live="polite" className="sr-only">
        {phase}
      </p>
    </div>
  );
}
