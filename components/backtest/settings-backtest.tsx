// Beside the rule thresholds on the settings page: the back-test's evidence at
// the thresholds set now ("On your last 12 months: past 2.0× won 4% (12 of
// 301); not flagged won 31% (93 of 300)."), one line per rule, and where to
// see every threshold tried.
import Link from "next/link";
import type { InsightsPage } from "@/lib/backtest/data";
import { ruleLabel, settingsLine } from "@/lib/backtest/wording";

export function SettingsBacktest({ backtest }: { backtest: InsightsPage | null }) {
  const group = backtest?.report.groups[0];
  return (
    <div className="mt-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="settings-backtest">
      <h3 className="font-semibold text-slate-900">
        Back-test{group ? ` (${group.teamId ? group.name : "whole organisation"})` : ""}
      </h3>
      {!backtest || !group ? (
        <p className="mt-1 text-sm text-slate-600">
          The back-test could not be computed just now; reload the page to retry.
        </p>
      ) : (
        <>
          <ul className="mt-1 grid gap-1 text-sm text-slate-700">
            {group.sweeps.map((sweep) => (
              <li key={sweep.rule} data-testid={`settings-backtest-${sweep.rule}`}>
                <span className="font-medium text-slate-900">{ruleLabel(sweep.rule)}.</span>{" "}
                {settingsLine(backtest.report, group, sweep.rule)}
              </li>
            ))}
          </ul>
          <p className="mt-2 text-sm">
            <Link href="/insights" className="text-blue-800 underline">
              Every threshold tried, per team, on Insights
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
