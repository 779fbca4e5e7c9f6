// A chart with its title, a one-sentence reading of it, and the same numbers
// as a table behind "Show the numbers" — the chart is a picture for people
// who can see it; the sentence and the table are for everyone.
//
// The frame (title and sentence) is drawn on the server; what goes inside is
// a ChartPicture and a ChartNumbers, usually from one client component that
// draws both from the same data (the overview's figures), so the page carries
// the chart's numbers once.
import type { ReactNode } from "react";

export function ChartFrame({
  id,
  title,
  summary,
  children,
}: {
  id: string;
  title: string;
  /** What the chart shows, in one or two sentences with the key numbers. */
  summary: string;
  /** A ChartPicture, then a ChartNumbers. */
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-title`} className="card">
      <h3 id={`${id}-title`} className="font-semibold text-slate-900">
        {title}
      </h3>
      <p id={`${id}-summary`} className="mt-1 text-sm text-slate-600">
        {summary}
      </p>
      {children}
    </section>
  );
}

/** The chart itself: an image named by the frame's title and sentence (`id` is the frame's). */
export function ChartPicture({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div role="img" aria-labelledby={`${id}-title ${id}-summary`} className="mt-3" data-testid={`${id}-chart`}>
      {children}
    </div>
  );
}

/**
 * The chart's numbers as a table (with its own caption), behind "Show the
 * numbers". The table takes the room it needs: in a scrolling box of its own
 * (26 weeks of the trend) a keyboard could not scroll it.
 */
export function ChartNumbers({ children }: { children: ReactNode }) {
  return (
    <details className="mt-3 text-sm">
      <summary className="show-numbers">Show the numbers</summary>
      <div className="mt-2">{children}</div>
    </details>
  );
}

export { ChartTable } from "./chart-table";
