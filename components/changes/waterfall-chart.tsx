"use client";
// The open pipeline from one date to another as a waterfall: the two totals
// stand on the axis, each movement floats from where the last one ended
// (an invisible "base" bar under a visible one). Rises and falls differ in
// colour and in the sign of the tooltip. The table of the same steps — each
// count a link to the deals behind it — is drawn in the browser from the same
// steps, so the page carries them once.
import Link from "next/link";
import { Bar, Cell } from "recharts";
import { BarChartFrame } from "@/components/charts/bar-chart-frame";
import { ChartNumbers, ChartPicture } from "@/components/charts/chart-frame";
import { ChartTable } from "@/components/charts/chart-table";
import { CHART_COLOURS } from "@/components/charts/palette";
import { useHydrated } from "@/components/charts/use-hydrated";
import { changesHref } from "@/lib/changes/window";
import { formatCount, formatMoney } from "@/lib/format";
import type { WaterfallStep } from "./wording";

const TONE_COLOUR: Record<WaterfallStep["tone"], string> = {
  total: CHART_COLOURS.open,
  up: CHART_COLOURS.healthy,
  down: CHART_COLOURS.stale,
};

/** A movement's change with its sign ("+$690,000", "−$41,000"); a total's value as it stands. */
function signedChange(step: WaterfallStep, currency: string): string {
  if (step.tone === "total") return formatMoney(step.endCents / 100, currency);
  return `${step.tone === "up" ? "+" : "−"}${formatMoney(Math.abs(step.endCents - step.startCents) / 100, currency)}`;
}

export function WaterfallFigure({
  id,
  steps,
  currency,
  window,
  filter,
}: {
  id: string;
  steps: WaterfallStep[];
  currency: string;
  /** The window the steps cover: each count links to its deals in it. */
  window: { from: Date; to: Date };
  filter: { teamId?: string | null; repId?: string | null };
}) {
  const hydrated = useHydrated();
  const money = (cents: number) => formatMoney(cents / 100, currency);
  const compactMoney = (value: unknown) => formatMoney(Number(value), currency, { compact: true });
  const data = steps.map((step) => ({
    label: step.label,
    base: Math.min(step.startCents, step.endCents) / 100,
    bar: Math.abs(step.endCents - step.startCents) / 100,
    tone: step.tone,
    signed: signedChange(step, currency),
  }));
  return (
    <>
      <ChartPicture id={id}>
        <BarChartFrame
          data={data}
          categoryKey="label"
          height={260}
          valueTicks={compactMoney}
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
      </ChartPicture>
      <ChartNumbers>
        {hydrated ? (
          <ChartTable
            caption="How the open pipeline moved, step by step"
            columns={["Step", "Deals", "Change", "Open pipeline after"]}
            rows={steps.map((step) => ({
              key: step.key,
              cells: [
                step.label,
                step.key === "start" || step.key === "end" ? (
                  formatCount(step.count)
                ) : (
                  <Link
                    key="n"
                    href={changesHref({ movement: step.key, ...window, ...filter })}
                    className="text-blue-800 underline"
                  >
                    {formatCount(step.count)}
                  </Link>
                ),
                step.tone === "total" ? "—" : signedChange(step, currency),
                money(step.endCents),
              ],
            }))}
          />
        ) : null}
      </ChartNumbers>
    </>
  );
}
