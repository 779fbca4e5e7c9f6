"use client";
// The open pipeline from one date to another as a waterfall: the two totals
// stand on the axis, each movement floats from where the last one ended
// (an invisible "base" bar under a visible one). Rises and falls differ in
// colour and in the sign of the tooltip, and the table beside says it all.
import { Bar, Cell } from "recharts";
import { BarChartFrame } from "@/components/charts/bar-chart-frame";
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
    <BarChartFrame
      data={data}
      categoryKey="label"
      height={260}
      valueTicks={money}
      valueAxisWidth={64}
      tooltip={{
        formatter: (_value, name, item) => (name === "base" ? [null, null] : [item.payload.signed, "Change"]),
        cursor: { fill: "#f1f5f9" },
      }}
    >
      <Bar dataKey="base" stackId="waterfall" fill="transparent" isAnimationActive={false} />
      <Bar dataKey="bar" stackId="waterfall" isAnimationActive={false}>
        {data.map((datum) => (
          <Cell key={datum.label} fill={TONE_COLOUR[datum.tone]} />
        ))}
      </Bar>
    </BarChartFrame>
  );
}
