// One group's back-test (the organisation or a team): per rule, the sweep as a
// chart with its numbers, and the full figures as a table.
import { ChartFrame, ChartNumbers, ChartPicture, ChartTable } from "@/components/charts/chart-frame";
import type { BacktestGroup, BacktestReport, RuleSweep } from "@/lib/backtest/report";
import {
  flaggedPhrase,
  formatRate,
  ruleLabel,
  SWEEP_COLUMNS,
  settingsLine,
  sweepCells,
  thresholdLabel,
} from "@/lib/backtest/wording";
import { formatCount, formatMoney } from "@/lib/format";
import { WinRateChart } from "./win-rate-chart";

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

export function BacktestSweeps({
  report,
  group,
  currency,
}: {
  report: BacktestReport;
  group: BacktestGroup;
  currency: string;
}) {
  const money = (cents: number) => formatMoney(cents / 100, currency);
  return (
    <div className="grid gap-6">
      {group.sweeps.map((sweep) => (
        <section
          key={sweep.rule}
          aria-labelledby={`backtest-${sweep.rule}-title`}
          data-testid={`backtest-${sweep.rule}`}
        >
          <h3 id={`backtest-${sweep.rule}-title`} className="mb-1 text-base font-semibold">
            {ruleLabel(sweep.rule)}
          </h3>
          <p className="mb-3 text-sm text-slate-700" data-testid={`backtest-line-${sweep.rule}`}>
            {settingsLine(report, group, sweep.rule)}
          </p>
          <div className="grid gap-4 lg:grid-cols-2">
            <ChartFrame
              id={`backtest-chart-${sweep.rule}`}
              title={`Win rate by ${ruleLabel(sweep.rule).toLowerCase()} threshold`}
              summary={chartSummary(sweep)}
            >
              <ChartPicture id={`backtest-chart-${sweep.rule}`}>
                <WinRateChart
                  data={sweep.thresholds.map((row) => ({
                    threshold: thresholdLabel(sweep.rule, row.threshold),
                    flagged: percent(row.flaggedWinRate),
                    notFlagged: percent(row.notFlaggedWinRate),
                  }))}
                />
              </ChartPicture>
              <ChartNumbers>
                <ChartTable
                  caption={`Win rate of flagged and never-flagged deals by ${ruleLabel(sweep.rule).toLowerCase()} threshold`}
                  columns={["Threshold", "Won, flagged", "Won, never flagged"]}
                  rows={sweep.thresholds.map((row) => ({
                    key: String(row.threshold),
                    cells: [
                      thresholdLabel(sweep.rule, row.threshold),
                      formatRate(row.flaggedWinRate),
                      formatRate(row.notFlaggedWinRate),
                    ],
                  }))}
                />
              </ChartNumbers>
            </ChartFrame>
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-2 shadow-sm">
              <table className="w-full text-xs" data-testid={`backtest-table-${sweep.rule}`}>
                <caption className="px-2 py-1 text-left text-sm font-medium text-slate-900">
                  {ruleLabel(sweep.rule)}: every threshold tried
                </caption>
                <thead className="text-slate-600">
                  <tr>
                    {SWEEP_COLUMNS.map((column, index) => (
                      <th
                        key={column}
                        scope="col"
                        className={`px-2 py-1 font-medium ${index > 0 ? "text-right" : "text-left"}`}
                      >
                        {column}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {sweep.thresholds.map((row) => {
                    const cells = Object.values(sweepCells(sweep.rule, row, money));
                    return (
                      <tr
                        key={row.threshold}
                        className={`border-t border-slate-100 ${row.current ? "bg-blue-50" : ""}`}
                      >
                        {cells.map((cell, index) =>
                          index === 0 ? (
                            <th key={SWEEP_COLUMNS[index]} scope="row" className="px-2 py-1 text-left font-normal">
                              {cell}
                            </th>
                          ) : (
                            <td key={SWEEP_COLUMNS[index]} className="px-2 py-1 text-right tabular-nums">
                              {cell}
                            </td>
                          ),
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        </section>
      ))}
    </div>
  );
}

function chartSummary(sweep: RuleSweep): string {
  const current = sweep.thresholds.find((row) => row.current);
  if (!current) return "No threshold set.";
  return `At the threshold set now (${flaggedPhrase(sweep.rule, current.threshold)}), ${formatCount(current.flagged)} deals would have been flagged and ${formatRate(current.flaggedWinRate)} of them were won; ${formatRate(current.notFlaggedWinRate)} of the ${formatCount(current.notFlagged)} never flagged were won.`;
}
