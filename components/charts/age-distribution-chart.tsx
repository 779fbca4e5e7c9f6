"use client";
// Open deals by age, in buckets of the average cycle, with the past-its-time
// line (2× by default) drawn between the last bucket inside it and the first
// past it. Bars past the line are red and say so in the tooltip. The chart and
// its table are drawn in the browser from the same buckets.
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatMoney } from "@/lib/format";
import { ChartNumbers, ChartPicture } from "./chart-frame";
import { ChartTable } from "./chart-table";
import { CHART_COLOURS } from "./palette";
import { useHydrated } from "./use-hydrated";

export interface AgeBucketDatum {
  /** As a multiple of the cycle: "0.5–1×", "over 5×". */
  multiple: string;
  /** In days when every deal shares one cycle ("46–90 days"), else null. */
  days: string | null;
  deals: number;
  valueCents: number;
  pastLine: boolean;
}

export function AgeDistributionFigure({
  id,
  buckets,
  line,
  currency,
}: {
  id: string;
  buckets: AgeBucketDatum[];
  /** Where the past-its-time line is, as a multiple: "2×". */
  line: string;
  currency: string;
}) {
  const hydrated = useHydrated();
  const money = (cents: number) => formatMoney(cents / 100, currency);
  const data = buckets.map((bucket) => ({ ...bucket, bucket: bucket.days ?? bucket.multiple }));
  const firstPast = data.find((datum) => datum.pastLine);
  return (
    <>
      <ChartPicture id={id}>
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
              const datum = item?.payload as AgeBucketDatum | undefined;
              return [
                `${formatCount(Number(value))} deals, ${money(datum?.valueCents ?? 0)}${datum?.pastLine ? " — past the line" : ""}`,
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
              label={{ value: `${line} cycle`, position: "top", fill: CHART_COLOURS.stale, fontSize: 12 }}
            />
          ) : null}
        </BarChart>
      </ChartPicture>
      <ChartNumbers>
        {hydrated ? (
          <ChartTable
            caption={`Open deals by age, as a multiple of the average cycle; the line is at ${line}`}
            columns={["Age", "Deals", "Value", `Past ${line}?`]}
            rows={buckets.map((bucket) => ({
              key: bucket.multiple,
              cells: [
                bucket.days ? `${bucket.days} (${bucket.multiple})` : bucket.multiple,
                formatCount(bucket.deals),
                money(bucket.valueCents),
                bucket.pastLine ? "Yes" : "No",
              ],
            }))}
          />
        ) : null}
      </ChartNumbers>
    </>
  );
}
