// A chart with its title, a one-sentence reading of it, and the same numbers
// as a table behind "Show the numbers" — the chart is a picture for people
// who can see it; the sentence and the table are for everyone.
import type { ReactNode } from "react";

export function ChartFrame({
  id,
  title,
  summary,
  chart,
  table,
}: {
  id: string;
  title: string;
  /** What the chart shows, in one or two sentences with the key numbers. */
  summary: string;
  chart: ReactNode;
  /** A table with the chart's numbers (with its own caption). */
  table: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h3 id={`${id}-title`} className="font-semibold text-slate-900">
        {title}
      </h3>
      <p id={`${id}-summary`} className="mt-1 text-sm text-slate-600">
        {summary}
      </p>
      <div role="img" aria-labelledby={`${id}-title ${id}-summary`} className="mt-3" data-testid={`${id}-chart`}>
        {chart}
      </div>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer rounded text-blue-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-blue-700">
          Show the numbers
        </summary>
        <div className="mt-2 max-h-72 overflow-auto">{table}</div>
      </details>
    </section>
  );
}

/** A compact table for chart data: first column is the row header. */
export function ChartTable({
  caption,
  columns,
  rows,
}: {
  caption: string;
  columns: string[];
  rows: { key: string; cells: ReactNode[] }[];
}) {
  // Cell styles are set once on the table (descendant variants), not repeated
  // on every cell: the page's HTML and its React payload both carry each class.
  return (
    <table className="w-full text-xs [&_td]:px-2 [&_td]:py-1 [&_td]:text-right [&_td]:tabular-nums [&_th]:px-2 [&_th]:py-1 [&_th]:text-left [&_thead_th]:font-medium [&_thead_th:not(:first-child)]:text-right [&_tbody_th]:font-normal [&_tbody_tr]:border-t [&_tbody_tr]:border-slate-100">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-slate-600">
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            {row.cells.map((cell, index) =>
              index === 0 ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                <th key={index} scope="row">
                  {cell}
                </th>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                <td key={index}>{cell}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
