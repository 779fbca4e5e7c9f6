"use client";
// A compact table for a chart's numbers (behind "Show the numbers" in
// ChartFrame). A client component on purpose: the server renders it into the
// HTML as any other, and the React payload carries only its props (the
// caption, the column names and the cells' text), not every <tr> and <td>.
import type { ReactNode } from "react";

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
