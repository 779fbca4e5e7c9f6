"use client";
// The meeting's first screen: the scope's pipeline in a few large numbers,
// flagged deals by severity, the weekly trend (chart, sentence and table), the
// sales-trap warning when it fires, and what the meeting will walk through.
// Before the first review it says so and offers to run one.
import { useState, useTransition } from "react";
import type { SummaryScreen } from "@/lib/meeting/screens";
import { runReviewAction } from "@/lib/reviews/actions";
import type { MeetingContext } from "./types";
import { SeverityTag } from "./severity-tag";
import { MeetingTrendChart } from "./trend-chart";

/** Weeks in the table next to the chart (the sentence covers the whole trend); 6, not 8, leaves a line for what changed. */
const TABLE_WEEKS = 6;

export function SummaryScreenView({
  screen,
  context,
  nextTitle,
}: {
  screen: SummaryScreen;
  context: MeetingContext;
  nextTitle: string | null;
}) {
  const figures = [
    ...screen.figures,
    screen.coverage ?? { label: "Coverage of quota", value: "—", hint: "no quotas set" },
  ];
  const columns = figures.length === 4 ? "grid-cols-4" : "grid-cols-2";
  const tableWeeks = screen.trend.slice(-TABLE_WEEKS);
  return (
    <div className="flex flex-1 flex-col gap-3">
      <p className="text-lg text-slate-800" data-testid="meeting-scope">
        <strong className="text-slate-950">{screen.scope}</strong> · {context.orgName} · data as of{" "}
        <strong className="text-slate-950">{context.asOf}</strong>
        {screen.review ? ` · ${screen.review}` : ""}
        {screen.review ? ` · ${screen.decisionsSoFar} decided so far` : ""}
      </p>

      {context.changes?.summary}

      {screen.review ? null : <NoReview canRun={context.canRunReview} />}

      {screen.warnings.map((warning) => (
        <p
          key={warning.team}
          className="rounded-md border-l-8 border-orange-600 bg-orange-50 px-3 py-1.5 text-lg text-orange-950"
          data-testid="meeting-sales-trap"
        >
          <strong>
            <span aria-hidden="true">⚠ </span>Sales trap{warning.team ? ` in ${warning.team}` : ""}:
          </strong>{" "}
          {warning.explanation}
        </p>
      ))}

      <dl className={`grid gap-3 ${columns}`} data-testid="meeting-summary-figures">
        {figures.map((figure) => (
          <div key={figure.label} className="rounded-lg border-2 border-slate-900 px-4 py-2">
            <dt className="text-lg font-semibold text-slate-800">{figure.label}</dt>
            <dd className="text-4xl leading-tight font-bold tabular-nums">{figure.value}</dd>
            {figure.hint ? <dd className="text-base text-slate-800">{figure.hint}</dd> : null}
          </div>
        ))}
      </dl>

      {screen.severities.length ? (
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-lg">
          <span className="font-semibold" data-testid="severity-breakdown">
            {screen.flaggedBreakdown}, each deal once at its worst severity:
          </span>
          {screen.severities.map((row) => (
            <span key={row.severity} className="flex items-center gap-2" data-testid={`severity-${row.severity}`}>
              <SeverityTag tone={row.severity} word="" label={row.label} />
              <span className="tabular-nums">
                {row.deals}, {row.value}
              </span>
            </span>
          ))}
          {screen.repNudges ? <span className="text-slate-800">{screen.repNudges}</span> : null}
        </div>
      ) : null}

      <section aria-labelledby="meeting-trend-title" className="flex gap-6">
        <div className="w-[600px] shrink-0">
          <h2 id="meeting-trend-title" className="text-xl font-bold">
            Pipeline trend, week by week
          </h2>
          <p className="text-base text-slate-800" data-testid="meeting-trend-text">
            {screen.trendText}
          </p>
          {screen.trend.length > 1 ? <MeetingTrendChart points={screen.trend} currency={context.currency} /> : null}
        </div>
        {tableWeeks.length ? (
          <table className="h-fit flex-1 text-base">
            <caption className="pb-1 text-left text-base font-semibold">
              The last {tableWeeks.length === 1 ? "week" : `${tableWeeks.length} weeks`} in numbers
            </caption>
            <thead>
              <tr className="border-b-2 border-slate-900 text-left">
                <th scope="col" className="pr-2 font-semibold">
                  Week of
                </th>
                <th scope="col" className="px-2 text-right font-semibold">
                  Open
                </th>
                <th scope="col" className="px-2 text-right font-semibold">
                  Stale
                </th>
                <th scope="col" className="px-2 text-right font-semibold">
                  New
                </th>
                <th scope="col" className="pl-2 text-right font-semibold">
                  Won
                </th>
              </tr>
            </thead>
            <tbody>
              {tableWeeks.map((week) => (
                <tr key={week.week} className="border-b border-slate-300">
                  <th scope="row" className="pr-2 text-left font-normal">
                    {week.week}
                  </th>
                  <td className="px-2 text-right tabular-nums">{week.openText}</td>
                  <td className="px-2 text-right tabular-nums">{week.staleText}</td>
                  <td className="px-2 text-right tabular-nums">{week.newText}</td>
                  <td className="pl-2 text-right tabular-nums">{week.wonText}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <p className="mt-auto text-xl" data-testid="meeting-agenda">
        {screen.agenda}
        {screen.review && nextTitle ? (
          <>
            {" "}
            Press <kbd className="rounded border-2 border-slate-900 px-1.5 font-bold">→</kbd> to start with{" "}
            <strong>{nextTitle}</strong>.
          </>
        ) : null}
      </p>
    </div>
  );
}

function NoReview({ canRun }: { canRun: boolean }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <section
      aria-labelledby="no-review-title"
      className="flex items-center gap-6 rounded-lg border-2 border-dashed border-slate-900 bg-slate-50 px-4 py-2"
      data-testid="meeting-no-review"
    >
      <div className="min-w-0 flex-1">
        <h2 id="no-review-title" className="text-2xl font-bold">
          Not reviewed yet — run one to start the meeting
        </h2>
        <p className="text-lg">
          No deal has been checked against the stale-deal rules yet, so nothing is flagged — that does not mean the
          pipeline is clean. A review checks every open deal; the meeting then walks through what it finds.
        </p>
        <p
          role="status"
          className={`text-lg font-semibold ${message?.ok === false ? "text-red-800" : "text-emerald-900"}`}
        >
          {pending ? "Checking every open deal against the rules…" : (message?.text ?? "")}
        </p>
      </div>
      {canRun ? (
        <button
          type="button"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await runReviewAction();
              setMessage({ ok: result.ok, text: result.message ?? "Review done." });
            })
          }
          className="shrink-0 rounded-md bg-blue-800 px-4 py-2 text-lg font-semibold text-white disabled:bg-blue-300"
        >
          {pending ? "Running the review…" : "Run the review now"}
        </button>
      ) : (
        <p className="shrink-0 text-lg">The review runs daily; ask your manager to run one now.</p>
      )}
    </section>
  );
}
