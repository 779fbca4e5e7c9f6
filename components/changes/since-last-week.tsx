// "Since last week" on the overview: the waterfall from last week's open
// pipeline to this week's (chart, sentence, table), the moves inside the
// pipeline, and one line per rep. Every number links to the deals behind it.
import Link from "next/link";
import { ChartFrame } from "@/components/charts/chart-frame";
import type { WhatChanged } from "@/lib/changes/data";
import { MOVEMENT_LABELS, OTHER_MOVEMENTS, type PipelineChanges } from "@/lib/changes/movements";
import { changesHref } from "@/lib/changes/window";
import { formatCount, formatDate } from "@/lib/format";
import { RepChangeLine } from "./rep-change-line";
import { WaterfallFigure } from "./waterfall-chart";
import { moneyOf, openPipelineSentence, waterfallSteps } from "./wording";

export interface ChangesFilter {
  teamId?: string | null;
  repId?: string | null;
}

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
      <section
        aria-labelledby="inside-pipeline-title"
        className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      >
        <h3 id="inside-pipeline-title" className="font-semibold text-slate-900">
          Inside the pipeline
        </h3>
        <MovementList changes={total} currency={currency} from={from} to={to} filter={filter} />
        {showReps && reps.length > 1 ? (
          <>
            <h3 className="mt-4 font-semibold text-slate-900">By rep</h3>
            <ul className="mt-1 space-y-1 text-sm">
              {reps.map((rep) => (
                <li key={rep.repId} data-testid={`rep-changes-${rep.repId}`}>
                  <span className="font-medium">{rep.repName}</span>:{" "}
                  <RepChangeLine changes={rep.changes} currency={currency} window={{ from, to }} repId={rep.repId} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </div>
  );
}

/** The moves that leave the pipeline's value as it is: count and value, each a link. */
export function MovementList({
  changes,
  currency,
  from,
  to,
  filter,
}: {
  changes: PipelineChanges;
  currency: string;
  from: Date;
  to: Date;
  filter: ChangesFilter;
}) {
  return (
    <dl className="mt-2 grid grid-cols-[1fr_auto_auto] gap-x-3 gap-y-1 text-sm">
      {OTHER_MOVEMENTS.map((kind) => {
        const movement = changes.movements[kind];
        return (
          <div key={kind} className="contents" data-testid={`movement-${kind}`}>
            <dt>{MOVEMENT_LABELS[kind]}</dt>
            <dd className="text-right tabular-nums">
              <Link
                href={changesHref({ movement: kind, from, to, teamId: filter.teamId, repId: filter.repId })}
                className="text-blue-800 underline"
                aria-label={`${MOVEMENT_LABELS[kind]}: ${formatCount(movement.count)} ${movement.count === 1 ? "deal" : "deals"}`}
              >
                {formatCount(movement.count)}
              </Link>
            </dd>
            <dd className="text-right text-slate-600 tabular-nums">{moneyOf(movement.valueCents, currency)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
