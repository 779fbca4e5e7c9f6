"use client";
// The back-test sweep of one rule: win rate of the deals flagged at each
// threshold next to the win rate of the deals never flagged.
import { Bar, Legend } from "recharts";
import { BarChartFrame } from "@/components/charts/bar-chart-frame";
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
    <BarChartFrame
      data={data}
      categoryKey="threshold"
      height={220}
      valueTicks={percent}
      valueAxisWidth={40}
      valueDomain={[0, 100]}
      tooltip={{ formatter: (value) => (value === null ? "no deals" : percent(value)) }}
    >
      <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
      <Bar dataKey="flagged" name="Won, flagged" fill={CHART_COLOURS.stale} isAnimationActive={false} />
      <Bar dataKey="notFlagged" name="Won, never flagged" fill={CHART_COLOURS.healthy} isAnimationActive={false} />
    </BarChartFrame>
  );
}
