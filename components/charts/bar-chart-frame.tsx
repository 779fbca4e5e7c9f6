"use client";
// The set-up the bar charts share: responsive width, one height, the grid
// along the value axis, a category axis showing every label, a value axis
// with its own formatter, and a tooltip — so each chart says only what is
// its own (its bars, their colours, what the tooltip reads).
import type { ComponentProps, ReactNode } from "react";
import { BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_COLOURS } from "./palette";

export function BarChartFrame({
  data,
  categoryKey,
  height,
  valueTicks,
  valueAxisWidth,
  valueDomain,
  tooltip,
  children,
}: {
  data: object[];
  /** The field named under each bar. */
  categoryKey: string;
  height: number;
  /** How a value reads on the axis ("40%", "$1.2M"). */
  valueTicks: (value: unknown) => string;
  valueAxisWidth: number;
  valueDomain?: ComponentProps<typeof YAxis>["domain"];
  tooltip: Pick<ComponentProps<typeof Tooltip>, "formatter" | "cursor">;
  /** The bars (and a legend, if any). */
  children: ReactNode;
}) {
  return (
    <BarChart
      data={data}
      responsive
      style={{ width: "100%", height }}
      margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
      accessibilityLayer={false}
    >
      <CartesianGrid vertical={false} stroke={CHART_COLOURS.grid} />
      <XAxis dataKey={categoryKey} stroke={CHART_COLOURS.axis} fontSize={12} interval={0} />
      <YAxis
        domain={valueDomain}
        tickFormatter={valueTicks}
        stroke={CHART_COLOURS.axis}
        fontSize={12}
        width={valueAxisWidth}
      />
      <Tooltip {...tooltip} />
      {children}
    </BarChart>
  );
}
