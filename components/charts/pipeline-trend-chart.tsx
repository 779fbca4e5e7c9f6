"use client";
// Weekly pipeline snapshots: open, stale, new pipeline and won value, as lines
// (differing in dash pattern as well as colour) and as a table — both drawn in
// the browser from one compact set of weekly series.
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatDate, formatMoney } from "@/lib/format";
import { ChartNumbers, ChartPicture } from "./chart-frame";
import { ChartTable } from "./chart-table";
import { CHART_COLOURS } from "./palette";
import { useHydrated } from "./use-hydrated";

/** Week by week, oldest first; the value series are in cents, one entry per week. */
export interface WeeklySeries {
  /** The first day of each week as a UTC calendar date, "2026-06-08". */
  weekStarts: string[];
  openCents: number[];
  staleCents: number[];
  newPipelineCents: number[];
  wonCents: number[];
}

const LINES = [
  { key: "openCents", name: "Open pipeline", colour: CHART_COLOURS.open, dash: undefined },
  { key: "staleCents", name: "Stale", colour: CHART_COLOURS.stale, dash: "6 3" },
  { key: "newPipelineCents", name: "New pipeline", colour: CHART_COLOURS.newPipeline, dash: "2 2" },
  { key: "wonCents", name: "Won", colour: CHART_COLOURS.won, dash: "10 3 2 3" },
] as const;

export function PipelineTrendFigure({ id, weeks, currency }: { id: string; weeks: WeeklySeries; currency: string }) {
  const hydrated = useHydrated();
  const money = (cents: number) => formatMoney(cents / 100, currency);
  const compactMoney = (value: unknown) => formatMoney(Number(value), currency, { compact: true });
  const dates = weeks.weekStarts.map((day) => formatDate(new Date(day)));
  const data = dates.map((week, index) => ({
    week,
    tick: week.replace(/,\s*\d{4}$/, ""),
    ...Object.fromEntries(LINES.map((line) => [line.key, (weeks[line.key][index] ?? 0) / 100])),
  }));
  if (data.length === 0)
    return (
      <ChartPicture id={id}>
        <p className="py-16 text-center text-sm text-slate-600">The trend appears after the first review.</p>
      </ChartPicture>
    );
  return (
    <>
      <ChartPicture id={id}>
        <LineChart
          data={data}
          responsive
          style={{ width: "100%", height: 260 }}
          margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke={CHART_COLOURS.grid} />
          <XAxis dataKey="tick" stroke={CHART_COLOURS.axis} fontSize={12} minTickGap={16} />
          <YAxis tickFormatter={compactMoney} stroke={CHART_COLOURS.axis} fontSize={12} width={64} />
          <Tooltip
            formatter={(value) => formatMoney(Number(value), currency)}
            labelFormatter={(_label, payload) => `Week of ${payload?.[0]?.payload?.week ?? ""}`}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          {LINES.map((line) => (
            <Line
              key={line.key}
              dataKey={line.key}
              name={line.name}
              stroke={line.colour}
              strokeWidth={2}
              strokeDasharray={line.dash}
              dot={data.length < 3}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ChartPicture>
      <ChartNumbers>
        {hydrated ? (
          <ChartTable
            caption="Weekly pipeline snapshots: open, stale, new pipeline and won value"
            columns={["Week of", ...LINES.map((line) => (line.key === "openCents" ? "Open" : line.name))]}
            rows={dates
              .map((week, index) => ({
                key: weeks.weekStarts[index] ?? week,
                cells: [week, ...LINES.map((line) => money(weeks[line.key][index] ?? 0))],
              }))
              .reverse()}
          />
        ) : null}
      </ChartNumbers>
    </>
  );
}
