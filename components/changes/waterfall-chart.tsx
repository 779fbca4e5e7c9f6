"use client";
// The open pipeline from one date to another as a waterfall: the two totals
// stand on the axis, each movement floats from where the last one ended
// (an invisible "base" bar under a visible one). Rises and falls differ in
// colour and in the sign of the tooltip, and the table beside says it all.
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_COLOURS } from "@/components/charts/palette";
import { formatMoney } from "@/lib/format";
import type { WaterfallStep } from "./wording";

const TONE_COLOUR: Record<WaterfallStep["tone"], string> = {
  total: CHART_COLOURS.open,
  up: CHART_COLOURS.healthy,
  down: CHART_COLOURS.stale,
};

export function WaterfallChart({ steps, currency }: { steps: WaterfallStep[]; currency: string }) {
  const money = (value: unknown) => formatMoney(Number(value), currency, { compact: true });
  const data = steps.map((step) => ({
    label: step.label,
    base: Math.min(step.startCents, step.endCents) / 100,
    bar: Math.abs(step.endCents - step.startCents) / 100,
    tone: step.tone,
    signed:
      step.tone === "total"
        ? formatMoney(step.endCents / 100, currency)
        : `${step.tone === "up" ? "+" : "−"}${formatMoney(Math.abs(step.endCents - step.startCents) / 100, currency)}`,
  }));
  return (
    <BarChart
      data={data}
      responsive
      style={{ width: "100%", height: 260 }}
      margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
      accessibilityLayer={false}
    >
      <CartesianGrid vertical={false} stroke={CHART_COLOURS.grid} />
      <XAxis dataKey="label" stroke={CHART_COLOURS.axis} fontSize={12} interval={0} />
      <YAxis tickFormatter={money} stroke={CHART_COLOURS.axis} fontSize={12} width={64} />
      <Tooltip
        formatter={(_value, name, item) => (name === "base" ? [null, null] : [item.payload.signed, "Change"])}
        cursor={{ fill: "#f1f5f9" }}
      />
      <Bar dataKey="base" stackId="waterfall" fill="transparent" isAnimationActive={false} />
      <Bar dataKey="bar" stackId="waterfall" isAnimationActive={false}>
        {data.map((datum) => (
          <Cell key={datum.label} fill={TONE_COLOUR[datum.tone]} />
        ))}
      </Bar>
    </BarChart>
  );
}
