"use client";
// Per rep: open pipeline split into healthy, at-risk and stale value, as
// stacked bars and as a table — both drawn in the browser from one compact
// set of series.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";
import { ChartNumbers, ChartPicture } from "./chart-frame";
import { ChartTable } from "./chart-table";
import { CHART_COLOURS } from "./palette";
import { useHydrated } from "./use-hydrated";

/** Rep by rep, in the table's order; the value series are in cents, one entry per rep. */
export interface RepHealthSeries {
  reps: string[];
  healthyCents: number[];
  atRiskCents: number[];
  staleCents: number[];
}

const PARTS = [
  { key: "healthyCents", name: "Healthy", colour: CHART_COLOURS.healthy },
  { key: "atRiskCents", name: "At risk", colour: CHART_COLOURS.atRisk },
  { key: "staleCents", name: "Stale", colour: CHART_COLOURS.stale },
] as const;

export function RepHealthFigure({ id, health, currency }: { id: string; health: RepHealthSeries; currency: string }) {
  const hydrated = useHydrated();
  const money = (cents: number) => formatMoney(cents / 100, currency);
  const compactMoney = (value: unknown) => formatMoney(Number(value), currency, { compact: true });
  const data = health.reps.map((rep, index) => ({
    rep,
    ...Object.fromEntries(PARTS.map((part) => [part.key, (health[part.key][index] ?? 0) / 100])),
  }));
  const height = Math.max(180, data.length * 30 + 70);
  return (
    <>
      <ChartPicture id={id}>
        <BarChart
          layout="vertical"
          data={data}
          responsive
          style={{ width: "100%", height }}
          margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
          accessibilityLayer={false}
        >
          <CartesianGrid horizontal={false} stroke={CHART_COLOURS.grid} />
          <XAxis type="number" tickFormatter={compactMoney} stroke={CHART_COLOURS.axis} fontSize={12} />
          <YAxis type="category" dataKey="rep" width={112} stroke={CHART_COLOURS.axis} fontSize={12} interval={0} />
          <Tooltip formatter={(value) => formatMoney(Number(value), currency)} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          {PARTS.map((part) => (
            <Bar
              key={part.key}
              dataKey={part.key}
              name={part.name}
              stackId="value"
              fill={part.colour}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ChartPicture>
      <ChartNumbers>
        {hydrated ? (
          <ChartTable
            caption="Open pipeline value of each rep: healthy, at risk (not stale) and stale"
            columns={["Rep", ...PARTS.map((part) => part.name)]}
            rows={health.reps.map((rep, index) => ({
              // Two reps may share a name: the position keeps the rows apart.
              key: `${index} ${rep}`,
              cells: [rep, ...PARTS.map((part) => money(health[part.key][index] ?? 0))],
            }))}
          />
        ) : null}
      </ChartNumbers>
    </>
  );
}
