// What the import will do (or did) with one file: rows new, updated,
// unchanged, rejected and skipped; the history it writes (stage moves,
// close-date pushes, amount changes); who and what it adds; and EVERY
// rejected row with its line number and reason.
import { KIND_LABELS } from "@/lib/import/fields";
import type { FileSummary } from "@/lib/import/plan-types";
import { plural } from "./wording";

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2">
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value.toLocaleString("en-US")}
      </dd>
    </div>
  );
}

export function FilePreview({
  summary,
  idPrefix,
  done = false,
}: {
  summary: FileSummary;
  idPrefix: string;
  /** After apply: "were" instead of "will be". */
  done?: boolean;
}) {
  const c = summary.counts;
  const h = summary.changes;
  const what = KIND_LABELS[summary.kind].toLowerCase();
  if (summary.missingColumns.length) {
    return (
      <p className="text-sm text-red-800" data-testid="file-not-read">
        The rows cannot be read until you choose the column for{" "}
        {summary.missingColumns.map((column) => column.label).join(", ")} above.
      </p>
    );
  }
  if (summary.dateOrder.status === "question") {
    return (
      <p className="text-sm text-red-800" data-testid="file-not-read">
        The rows are read once you choose how the file writes dates (above).
      </p>
    );
  }
  const changes = [
    h.stageMoves && plural(h.stageMoves, "stage move"),
    h.statusChanges && plural(h.statusChanges, "won / lost / prospect change"),
    h.closeDatePushes && plural(h.closeDatePushes, "close-date push", "close-date pushes"),
    h.closeDateEdits && plural(h.closeDateEdits, "other close-date change"),
    h.amountChanges && plural(h.amountChanges, "amount change"),
  ].filter(Boolean);
  const adds = [
    summary.newPeople.length &&
      `${plural(summary.newPeople.length, "new person", "new people")} (${summary.newPeople.slice(0, 30).join(", ")}${summary.newPeople.length > 30 ? ", …" : ""})`,
    summary.newTeams.length &&
      `new ${summary.newTeams.length === 1 ? "team" : "teams"}: ${summary.newTeams.join(", ")}`,
    summary.newStages.length &&
      `new ${summary.newStages.length === 1 ? "stage" : "stages"}: ${summary.newStages.join(", ")}`,
    summary.newAccounts && `${plural(summary.newAccounts, "account")} named (new ones are added)`,
  ].filter(Boolean);

  return (
    <div className="space-y-3" data-testid="file-preview">
      <dl className="grid grid-cols-3 gap-2 sm:grid-cols-6">
        <Count label="Rows in the file" value={summary.totalRows} testId="count-rows" />
        <Count label="New" value={c.new} testId="count-new" />
        <Count label="Updated" value={c.updated} testId="count-updated" />
        <Count label="Unchanged" value={c.unchanged} testId="count-unchanged" />
        <Count label="Rejected" value={c.rejected} testId="count-rejected" />
        <Count label="Skipped" value={c.skipped} testId="count-skipped" />
      </dl>
      {c.skipped ? (
        <p className="text-sm text-slate-700">
          {plural(c.skipped, "row")} skipped on purpose: {summary.skippedReason}.
        </p>
      ) : null}
      <p className="text-sm text-slate-700" data-testid="file-changes">
        {changes.length
          ? `History ${done ? "written" : "to write"}: ${changes.join(", ")}.`
          : `No stage moves, close-date or amount changes in these ${what}.`}
      </p>
      {adds.length ? (
        <p className="text-sm text-slate-700" data-testid="file-adds">
          {done ? "Added" : "Adds"}: {adds.join("; ")}.
        </p>
      ) : null}
      {summary.dateOrder.status === "decided" && summary.dateOrder.order ? (
        <p className="text-sm text-slate-700">{summary.dateOrder.explanation}</p>
      ) : null}
      {summary.notes.map((note) => (
        <p key={note} className="text-sm text-slate-700">
          Note: {note}
        </p>
      ))}
      {summary.kept.length ? (
        <details className="text-sm">
          <summary className="cursor-pointer text-blue-800">
            {plural(summary.kept.length, "deal")} keep what was decided here (the file still shows the value from before
            a change made in this app)
          </summary>
          <ul className="mt-1 list-disc pl-5 text-slate-700">
            {summary.kept.map((kept) => (
              <li key={`${kept.line}-${kept.id}`}>
                Line {kept.line} ({kept.id}): keeps its {kept.what}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {summary.rejected.length ? (
        <div>
          <h4 id={`${idPrefix}-rejected-title`} className="text-sm font-semibold text-red-900">
            {plural(summary.rejected.length, "rejected row")}
            {done ? " (not imported)" : ""}
          </h4>
          <section
            className="mt-1 max-h-80 overflow-auto rounded-md border border-red-200"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling list must be reachable by keyboard
            tabIndex={0}
            aria-labelledby={`${idPrefix}-rejected-title`}
          >
            <table className="w-full text-left text-sm" data-testid="rejected-rows">
              <thead className="sticky top-0 bg-red-50 text-xs text-red-950">
                <tr>
                  <th scope="col" className="px-2 py-1 font-medium">
                    Line
                  </th>
                  <th scope="col" className="px-2 py-1 font-medium">
                    Id
                  </th>
                  <th scope="col" className="px-2 py-1 font-medium">
                    Why it is rejected
                  </th>
                </tr>
              </thead>
              <tbody>
                {summary.rejected.map((rejection) => (
                  <tr
                    key={`${rejection.line}-${rejection.reason}`}
                    className="border-t border-red-100"
                    data-testid="rejected-row"
                  >
                    <td className="px-2 py-1 align-top tabular-nums">Line {rejection.line}</td>
                    <td className="px-2 py-1 align-top">{rejection.id ?? "—"}</td>
                    <td className="px-2 py-1 align-top">{rejection.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      ) : null}
    </div>
  );
}
