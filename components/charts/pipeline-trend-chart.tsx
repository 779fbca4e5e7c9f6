"use client";
// Weekly pipeline snapshots: open, stale, new pipeline and won value. Lines
// differ in dash pattern as well as colour.
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";
import { CHART_COLOURS } from "./palette";

export interface TrendDatum {
  /** "Jun 15, 2026" (week starting). */
  week: string;
  /** "Jun 15" for the axis. */
  tick: string;
  open: number;
  stale: number;
  newPipeline: number;
  won: number;
}

export function PipelineTrendChart({ data, currency }: { data: TrendDatum[]; currency: string }) {
  const money = (value: unknown) => formatMoney(Number(value), currency, { compact: true });
  return (
    <LineChart
      data={data}
      responsive
      style={{ width: "100%", height: 260 }}
      margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke={CHART_COLOURS.grid} />
      <XAxis dataKey="tick" stroke={CHART_COLOURS.axis} fontSize={12} minTickGap={16} />
      <YAxis tickFormatter={money} stroke={CHART_COLOURS.axis} fontSize={12} width={64} />
      <Tooltip
        formatter={(value) => formatMoney(Number(value), currency)}
        labelFormatter={(_label, payload) => `Week of ${payload?.[0]?.payload?.week ?? ""}`}
      />
      <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
      <Line
        dataKey="open"
        name="Open pipeline"
        stroke={CHART_COLOURS.open}
        strokeWidth={2}
        dot={data.length < 3}
        isAnimationActive={false}
      />
      <Line
        dataKey="stale"
        name="Stale"
        stroke={CHART_COLOURS.stale}
        strokeWidth={2}
        strokeDasharray="6 3"
        dot={data.length < 3}
        isAnimationActive={false}
      />
      <Line
        dataKey="newPipeline"
        name="New pipeline"
        stroke={CHART_COLOURS.newPipeline}
        strokeWidth={2}
        strokeDasharray="2 2"
        dot={data.length < 3}
        isAnimationActive={false}
      />
      <Line
        dataKey="won"
        name="Won"
        stroke={CHART_COLOURS.won}
        strokeWidth={2}
        strokeDasharray="10 3 2 3"
        dot={data.length < 3}
        isAnimationActive={false}
      />
    </LineChart>
  );
}
