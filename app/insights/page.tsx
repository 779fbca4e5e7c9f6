import type { Metadata } from "next";
import Link from "next/link";
import { BacktestSweeps } from "@/components/backtest/backtest-sweeps";
import { AppShell } from "@/components/shell/app-shell";
import { EmptyState } from "@/components/ui/empty-state";
import { Refusal } from "@/components/ui/refusal";
import { getViewer } from "@/lib/auth/viewer";
import { getBacktestForViewer } from "@/lib/backtest/data";
import { formatRate, ruleLabel, windowLabel } from "@/lib/backtest/wording";
import { formatCount, formatDate } from "@/lib/format";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Insights" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function InsightsPage({ searchParams }: { searchParams: SearchParams }) {
  const [viewer, org, params] = await Promise.all([getViewer(), getOrgContext(), searchParams]);
  const shell = { viewer, asOf: org.asOf, asOfFixed: org.asOfFixed, orgName: org.name };
  if (viewer.role === "rep" || (viewer.role === "manager" && !viewer.teamId)) {
    return (
      <AppShell {...shell}>
        <Refusal
          title="Insights are for managers"
          back={{ href: "/my", label: "Go to My deals" }}
          testId="managers-only"
        >
          This page tests the rules on a team's closed deals. Your own flagged deals, with what to do about each, are on
          “My deals”.
        </Refusal>
      </AppShell>
    );
  }
  const teamId = typeof params.team === "string" ? params.team : null;
  const { report, teams, currency } = await getBacktestForViewer(viewer, { teamId });
  const [main, ...perTeam] = report.groups;
  const lastDay = new Date(report.asOf.getTime() - 1);

  return (
    <AppShell {...shell}>
      <div className="mb-6">
        <h1 className="text-2xl font-semibold">Insights: the rules on your own history</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          Every deal closed (won or lost) in the {windowLabel(report.windowDays)}, {formatDate(report.from)} to{" "}
          {formatDate(lastDay)}, replayed day by day as each rule would have seen it then — the average cycle as it
          stood, the activities and stage moves known then. If the rules are right, deals they flag win far less often
          than deals they never flag. Waivers are left out: this is what the rule says, not what a manager kept.
        </p>
        {teams.length > 0 ? (
          <nav aria-label="Back-test scope" className="mt-3 flex flex-wrap items-center gap-2 text-sm">
            <span className="text-slate-600">Show:</span>
            {[{ id: "", name: "Organisation" }, ...teams].map((team) => {
              const current = (report.teamId ?? "") === team.id;
              return (
                <Link
                  key={team.id || "organisation"}
                  href={team.id ? `/insights?team=${encodeURIComponent(team.id)}` : "/insights"}
                  aria-current={current ? "page" : undefined}
                  className={`rounded px-2 py-0.5 ring-1 ring-inset ${current ? "bg-blue-700 text-white ring-blue-700" : "bg-white text-slate-800 ring-slate-300 hover:bg-slate-50"}`}
                >
                  {team.name}
                </Link>
              );
            })}
          </nav>
        ) : null}
      </div>

      {!main || main.closedDeals === 0 ? (
        <EmptyState title="No closed deals to test against">
          No deal was won or lost in the {windowLabel(report.windowDays)}
          {report.datesUnknown > 0 ? ` with a known opened date (${formatCount(report.datesUnknown)} without)` : ""}.
          Import closed deals with their history to see how the rules would have done.
        </EmptyState>
      ) : (
        <>
          <section aria-labelledby="backtest-main-title" className="mb-10">
            <h2 id="backtest-main-title" className="mb-1 text-lg font-semibold">
              {main.name}: {formatCount(main.closedDeals)} closed deals, {formatRate(main.winRate)} won
            </h2>
            {main.belowMinSample ? (
              <p className="mb-2 text-sm text-amber-800">
                Fewer than {report.minSample} closed deals: too few to trust these rates.
              </p>
            ) : null}
            {report.datesUnknown > 0 ? (
              <p className="mb-2 text-sm text-slate-600">
                {formatCount(report.datesUnknown)} closed deals have no opened date (date unknown) and are left out.
              </p>
            ) : null}
            <BacktestSweeps report={report} group={main} currency={currency} />
          </section>

          {perTeam.length > 0 || report.smallTeams.length > 0 ? (
            <section aria-labelledby="backtest-teams-title" className="mb-10">
              <h2 id="backtest-teams-title" className="mb-1 text-lg font-semibold">
                By team, at the thresholds set now
              </h2>
              <p className="mb-3 text-sm text-slate-600">
                Teams with at least {report.minSample} closed deals (the rules' smallest sample).
                {report.smallTeams.length > 0
                  ? ` Counted in the organisation only: ${report.smallTeams.map((team) => `${team.name} (${formatCount(team.closedDeals)})`).join(", ")}.`
                  : ""}
              </p>
              {perTeam.length > 0 ? (
                <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-2 shadow-sm">
                  <table className="w-full text-sm" data-testid="backtest-teams">
                    <caption className="sr-only">Win rates of flagged and never-flagged deals per team</caption>
                    <thead className="text-slate-600">
                      <tr>
                        <th scope="col" className="px-2 py-1 text-left font-medium">
                          Team
                        </th>
                        <th scope="col" className="px-2 py-1 text-right font-medium">
                          Closed deals
                        </th>
                        <th scope="col" className="px-2 py-1 text-right font-medium">
                          Won
                        </th>
                        {main.sweeps.map((sweep) => (
                          <th key={sweep.rule} scope="col" className="px-2 py-1 text-right font-medium">
                            {ruleLabel(sweep.rule)}: flagged won / never flagged won
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {perTeam.map((group) => (
                        <tr key={group.teamId} className="border-t border-slate-100">
                          <th scope="row" className="px-2 py-1 text-left font-normal">
                            <Link
                              href={`/insights?team=${encodeURIComponent(group.teamId ?? "")}`}
                              className="text-blue-800 underline"
                            >
                              {group.name}
                            </Link>
                          </th>
                          <td className="px-2 py-1 text-right tabular-nums">{formatCount(group.closedDeals)}</td>
                          <td className="px-2 py-1 text-right tabular-nums">{formatRate(group.winRate)}</td>
                          {group.sweeps.map((sweep) => {
                            const row = sweep.thresholds.find((candidate) => candidate.current);
                            return (
                              <td key={sweep.rule} className="px-2 py-1 text-right tabular-nums">
                                {row
                                  ? `${formatRate(row.flaggedWinRate)} of ${formatCount(row.flagged)} / ${formatRate(row.notFlaggedWinRate)} of ${formatCount(row.notFlagged)}`
                                  : "—"}
                              </td>
                            );
                          })}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
            </section>
          ) : null}
        </>
      )}
    </AppShell>
  );
}
