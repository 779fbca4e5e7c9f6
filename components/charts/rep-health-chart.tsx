"use client";
// Per rep: open pipeline split into healthy, at-risk and stale value (stacked).
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";
import { CHART_COLOURS } from "./palette";

export interface RepHealthDatum {
  rep: string;
  healthy: number;
  atRisk: number;
  stale: number;
}

export function RepHealthChart({ data, currency }: { data: RepHealthDatum[]; currency: string }) {
  const money = (value: unknown) => formatMoney(Number(value), currency, { compact: true });
  const height = Math.max(180, data.length * 30 + 70);
  return (
    <BarChart
      layout="vertical"
      data={data}
      responsive
      style={{ width: "100%", height }}
      margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
      accessibilityLayer={false}
    >
      <CartesianGrid horizontal={false} stroke={CHART_COLOURS.grid} />
      <XAxis type="number" tickFormatter={money} stroke={CHART_COLOURS.axis} fontSize={12} />
      <YAxis type="category" dataKey="rep" width={112} stroke={CHART_COLOURS.axis} fontSize={12} interval={0} />
      <Tooltip formatter={(value) => formatMoney(Number(value), currency)} />
      <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
      <Bar dataKey="healthy" name="Healthy" stackId="value" fill={CHART_COLOURS.healthy} isAnimationActive={false} />
      <Bar dataKey="atRisk" name="At risk" stackId="value" fill={CHART_COLOURS.atRisk} isAnimationActive={false} />
      <Bar dataKey="stale" name="Stale" stackId="value" fill={CHART_COLOURS.stale} isAnimationActive={false} />
    </BarChart>
  );
}
