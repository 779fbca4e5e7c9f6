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

// The chart's numbers as a table: a client component, so the page's React
// payload carries its rows once as data, not as a tree of cells.
export { ChartTable } from "./chart-table";
