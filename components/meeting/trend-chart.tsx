"use client";
// The scope's weekly open and stale pipeline, large enough for a projector.
// The lines differ in dash pattern as well as colour; the numbers are in the
// table next to it and the sentence above it (the chart is hidden from
// screen readers, which read those instead).
import { CartesianGrid, Legend, Line, LineChart, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";
import type { TrendPointView } from "@/lib/meeting/screens";

export function MeetingTrendChart({ points, currency }: { points: TrendPointView[]; currency: string }) {
  const money = (value: unknown) => formatMoney(Number(value), currency, { compact: true });
  const data = points.map((point) => ({ ...point, tick: point.week.replace(/, \d{4}$/, "") }));
  return (
    <div aria-hidden="true" data-testid="meeting-trend-chart">
      <LineChart
        data={data}
        width={600}
        height={215}
        margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
        accessibilityLayer={false}
      >
        <CartesianGrid stroke="#cbd5e1" />
        <XAxis dataKey="tick" stroke="#0f172a" fontSize={14} minTickGap={12} />
        <YAxis tickFormatter={money} stroke="#0f172a" fontSize={14} width={70} />
        <Legend wrapperStyle={{ fontSize: 15 }} />
        <Line
          dataKey="open"
          name="Open pipeline"
          stroke="#1d4ed8"
          strokeWidth={3}
          dot={data.length < 4}
          isAnimationActive={false}
        />
        <Line
          dataKey="stale"
          name="Stale (dashed)"
          stroke="#b42318"
          strokeWidth={3}
          strokeDasharray="8 4"
          dot={data.length < 4}
          isAnimationActive={false}
        />
      </LineChart>
    </div>
  );
}
