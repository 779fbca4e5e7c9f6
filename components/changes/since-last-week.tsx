// "Since last week" on the overview: the waterfall from last week's open
// pipeline to this week's (chart, sentence, table), the moves inside the
// pipeline, and one line per rep. Every number links to the deals behind it.
// The words and numbers are worked out here; the links, the table and the
// lines are drawn by client components from that compact data.
import { ChartFrame } from "@/components/charts/chart-frame";
import type { WhatChanged } from "@/lib/changes/data";
import { OTHER_MOVEMENTS } from "@/lib/changes/movements";
import { formatDate } from "@/lib/format";
import { type ChangesFilter, InsidePipeline } from "./inside-pipeline";
import { WaterfallFigure } from "./waterfall-chart";
import { changeLineParts, openPipelineSentence, waterfallSteps } from "./wording";

export function SinceLastWeek({
  changes,
  currency,
  title = "Since last week",
  filter = {},
  showReps = true,
}: {
  changes: WhatChanged;
  currency: string;
  title?: string;
  filter?: ChangesFilter;
  showReps?: boolean;
}) {
  const { total, from, to } = changes;
  const steps = waterfallSteps(total, { start: `Open ${formatDate(from)}`, end: `Open ${formatDate(to)}` });
  const reps = changes.reps.filter((rep) => rep.changes.openAtFrom.count + rep.changes.openAtTo.count > 0);
  return (
    <div className="grid gap-4 lg:grid-cols-3" data-testid="since-last-week">
      <div className="lg:col-span-2">
        <ChartFrame
          id="what-changed"
          title={`${title}: ${formatDate(from)} → ${formatDate(to)}`}
          summary={`${openPipelineSentence(total, currency)}.`}
        >
          <WaterfallFigure id="what-changed" steps={steps} currency={currency} window={{ from, to }} filter={filter} />
        </ChartFrame>
      </div>
      <section aria-labelledby="inside-pipeline-title" className="card">
        <h3 id="inside-pipeline-title" className="font-semibold text-slate-900">
          Inside the pipeline
        </h3>
        <InsidePipeline
          movements={OTHER_MOVEMENTS.map((kind) => ({
            kind,
            count: total.movements[kind].count,
            valueCents: total.movements[kind].valueCents,
          }))}
          reps={
            showReps && reps.length > 1
              ? reps.map((rep) => ({
                  repId: rep.repId,
                  repName: rep.repName,
                  parts: changeLineParts(rep.changes, currency),
                }))
              : null
          }
          currency={currency}
          window={{ from, to }}
          filter={filter}
        />
      </section>
    </div>
  );
}
