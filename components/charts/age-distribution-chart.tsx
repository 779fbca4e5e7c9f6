"use client";
// Open deals by age, in buckets of the average cycle, with the past-its-time
// line (2× by default) drawn between the last bucket inside it and the first
// past it. Bars past the line are red and say so in the tooltip.
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatMoney } from "@/lib/format";
import { CHART_COLOURS } from "./palette";

export interface AgeDatum {
  /** Axis label: "46–90 days" or "0.5–1×". */
  bucket: string;
  deals: number;
  value: number;
  pastLine: boolean;
}

export function AgeDistributionChart({
  data,
  currency,
  lineLabel,
}: {
  data: AgeDatum[];
  currency: string;
  /** "2× cycle". */
  lineLabel: string;
}) {
  const firstPast = data.find((datum) => datum.pastLine);
  return (
    <BarChart
      data={data}
      responsive
      style={{ width: "100%", height: 260 }}
      margin={{ top: 20, right: 16, bottom: 4, left: 4 }}
      accessibilityLayer={false}
    >
      <CartesianGrid vertical={false} stroke={CHART_COLOURS.grid} />
      <XAxis
        dataKey="bucket"
        stroke={CHART_COLOURS.axis}
        fontSize={11}
        interval={0}
        angle={-20}
        textAnchor="end"
        height={48}
      />
      <YAxis allowDecimals={false} stroke={CHART_COLOURS.axis} fontSize={12} width={40} />
      <Tooltip
        formatter={(value, _name, item) => {
          const datum = item?.payload as AgeDatum | undefined;
          return [
            `${formatCount(Number(value))} deals, ${formatMoney(datum?.value ?? 0, currency)}${datum?.pastLine ? " — past the line" : ""}`,
            "Open deals",
          ];
        }}
      />
      <Bar dataKey="deals" name="Open deals" isAnimationActive={false}>
        {data.map((datum) => (
          <Cell key={datum.bucket} fill={datum.pastLine ? CHART_COLOURS.stale : CHART_COLOURS.open} />
        ))}
      </Bar>
      {firstPast ? (
        <ReferenceLine
          x={firstPast.bucket}
          position="start"
          stroke={CHART_COLOURS.stale}
          strokeWidth={2}
          strokeDasharray="4 3"
          label={{ value: lineLabel, position: "top", fill: CHART_COLOURS.stale, fontSize: 12 }}
        />
      ) : null}
    </BarChart>
  );
}
