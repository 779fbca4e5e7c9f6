// A preview in plain text, for the command line: what each file was read
// as, the counts, the stage mapping, every rejected row with its line and
// reason, and what stops the import.
import { formatCount } from "@/lib/format";
import { KIND_LABELS } from "./fields";
import type { FileSummary, StageTableRow } from "./plan-types";
import type { ImportPreview } from "./run";

function target(row: StageTableRow): string {
  if (!row.target) return "NOT MAPPED";
  switch (row.target.type) {
    case "stage":
      return row.target.name;
    case "status":
      return row.target.status;
    case "create":
      return `${row.target.name} (new stage)`;
  }
}

const rows = (n: number) => `${formatCount(n)} ${n === 1 ? "row" : "rows"}`;

function describeFile(file: FileSummary): string[] {
  const lines = [`\n${file.fileName} — ${KIND_LABELS[file.kind]}: ${file.description}`];
  if (file.missingColumns.length) {
    lines.push(`  Cannot read the rows: no column for ${file.missingColumns.map((c) => c.label).join(", ")}.`);
    lines.push(`  Columns in the file: ${file.headers.join(", ")}`);
    lines.push("  Write a mapping file (see --mapping) that names them.");
    return lines;
  }
  if (file.dateOrder.status === "question") {
    lines.push(`  ${file.dateOrder.question}`);
    lines.push("  Run again with --date-order us or --date-order eu.");
    return lines;
  }
  if (file.dateOrder.order) lines.push(`  ${file.dateOrder.explanation}`);
  const c = file.counts;
  lines.push(
    `  ${rows(file.totalRows)}: ${formatCount(c.new)} new, ${formatCount(c.updated)} updated, ${formatCount(c.unchanged)} unchanged, ${formatCount(c.rejected)} rejected` +
      (c.skipped ? `, ${formatCount(c.skipped)} skipped (${file.skippedReason})` : ""),
  );
  const h = file.changes;
  const changes = [
    h.stageMoves && `${formatCount(h.stageMoves)} stage moves`,
    h.statusChanges && `${formatCount(h.statusChanges)} won / lost / prospect changes`,
    h.closeDatePushes && `${formatCount(h.closeDatePushes)} close-date pushes`,
    h.closeDateEdits && `${formatCount(h.closeDateEdits)} other close-date changes`,
    h.amountChanges && `${formatCount(h.amountChanges)} amount changes`,
    h.keptHere && `${formatCount(h.keptHere)} deals keep what was decided here`,
  ].filter(Boolean);
  if (changes.length) lines.push(`  Changes: ${changes.join(", ")}.`);
  if (file.newPeople.length)
    lines.push(
      `  New people (${file.newPeople.length}): ${file.newPeople.slice(0, 20).join(", ")}${file.newPeople.length > 20 ? ", …" : ""}`,
    );
  if (file.newTeams.length) lines.push(`  New teams: ${file.newTeams.join(", ")}`);
  if (file.newStages.length) lines.push(`  New stages: ${file.newStages.join(", ")}`);
  if (file.stageTable.length) {
    lines.push("  Stage mapping:");
    for (const row of file.stageTable) {
      lines.push(
        `    ${row.value} → ${target(row)}${row.how ? ` (${row.how})` : ""} · ${rows(row.rows + row.entries)}`,
      );
    }
    const unmapped = file.stageTable.filter((row) => !row.target).map((row) => row.value);
    if (unmapped.length) {
      const example = JSON.stringify({ stages: Object.fromEntries(unmapped.map((value) => [value, "create"])) });
      lines.push(
        `  Map the stages NOT MAPPED in a mapping file passed with --mapping: each to one of your stages, to "won", "lost" or "prospect", or to "create" for a new stage, e.g. ${example}`,
      );
    }
  }
  for (const note of file.notes) lines.push(`  Note: ${note}`);
  if (file.kept.length) {
    lines.push("  Kept as decided here (the file still shows the value from before the change):");
    for (const kept of file.kept.slice(0, 50)) lines.push(`    line ${kept.line} (${kept.id}): ${kept.what}`);
  }
  if (file.rejected.length) {
    lines.push("  Rejected rows:");
    for (const rejection of file.rejected) {
      lines.push(`    line ${rejection.line}${rejection.id ? ` (${rejection.id})` : ""}: ${rejection.reason}`);
    }
  }
  return lines;
}

export function describePreview(preview: ImportPreview): string {
  const lines = preview.files.flatMap(describeFile);
  if (preview.asOf.willFix) lines.push(`\nThe organisation's as-of date will be ${preview.asOf.willFix}.`);
  else if (preview.asOf.latestInFiles) {
    lines.push(
      `\nLatest date in the files: ${preview.asOf.latestInFiles} (--as-of-from-file fixes the as-of date to it).`,
    );
  }
  if (preview.nothingToChange) lines.push("Nothing to change: the database already holds everything in the files.");
  return lines.join("\n");
}
