// A file's summary in an import: what kind of file it is and where it comes
// from, its columns, and the counts and notes its planning fills in.
import { isoDay } from "./dates";
import type { FileSummary } from "./plan-types";
import { PRESET_LABELS } from "./presets";
import type { ParsedFile } from "./read";

/** A file's summary before any of its rows is planned. */
export function emptyFileSummary(file: ParsedFile): FileSummary {
  return {
    fileName: file.fileName,
    kind: file.kind,
    preset: file.preset,
    source: file.source,
    description: describeSource(file),
    headers: file.headers,
    columns: file.columns,
    ignoredHeaders: file.ignoredHeaders,
    missingColumns: file.missingColumns,
    totalRows: file.totalRows,
    counts: { new: 0, updated: 0, unchanged: 0, rejected: 0, skipped: file.skipped?.count ?? 0 },
    changes: {
      stageMoves: 0,
      statusChanges: 0,
      closeDatePushes: 0,
      closeDateEdits: 0,
      amountChanges: 0,
      historyRows: 0,
      keptHere: 0,
    },
    stageTable: [],
    rejected: [...file.rejected],
    kept: [],
    dateOrder: file.dateOrder,
    notes: [...file.notes],
    latestDate: file.latestDate ? isoDay(file.latestDate) : null,
    newPeople: [],
    newTeams: [],
    newStages: [],
    newAccounts: 0,
    owners: [],
    skippedReason: file.skipped?.reason ?? null,
  };
}

/** The CRM a file comes from, as history reasons name it. */
export function sourceLabel(file: ParsedFile): string {
  return file.preset === "generic" ? file.source : PRESET_LABELS[file.preset];
}

function describeSource(file: ParsedFile): string {
  const what = { deals: "Deals", activities: "Activities", "stage-history": "Stage history", people: "People" }[
    file.kind
  ];
  const from =
    file.preset === "generic" ? `a CSV file (source “${file.source}”)` : `a ${PRESET_LABELS[file.preset]} export`;
  return `${what} from ${from}; ${file.detectedBecause}.`;
}
