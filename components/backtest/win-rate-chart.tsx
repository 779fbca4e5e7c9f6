"use client";
// The back-test sweep of one rule: win rate of the deals flagged at each
// threshold next to the win rate of the deals never flagged.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_COLOURS } from "@/components/charts/palette";

export interface WinRateDatum {
  threshold: string;
  /** Percent, 0–100; null when no deal was in that group. */
  flagged: number | null;
  notFlagged: number | null;
}

export function WinRateChart({ data }: { data: WinRateDatum[] }) {
  const percent = (value: unknown) => `${Math.round(Number(value))}%`;
  return (
    <BarChart
      data={data}
      responsive
      style={{ width: "100%", height: 220 }}
      margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
      accessibilityLayer={false}
    >
      <CartesianGrid vertical={false} stroke={CHART_COLOURS.grid} />
      <XAxis dataKey="threshold" stroke={CHART_COLOURS.axis} fontSize={12} interval={0} />
      <YAxis domain={[0, 100]} tickFormatter={percent} stroke={CHART_COLOURS.axis} fontSize={12} width={40} />
      <Tooltip formatter={(value) => (value === null ? "no deals" : percent(value))} />
      <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
      <Bar dataKey="flagged" name="Won, flagged" fill={CHART_COLOURS.stale} isAnimationActive={false} />
      <Bar dataKey="notFlagged" name="Won, never flagged" fill={CHART_COLOURS.healthy} isAnimationActive={false} />
    </BarChart>
  );
}
