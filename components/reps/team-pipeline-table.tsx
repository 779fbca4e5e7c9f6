import type { TeamPipelineSummary } from "@/lib/teams/data";
import { formatCount, formatDays, formatMoney } from "@/lib/format";

export function TeamPipelineTable({ team, currency }: { team: TeamPipelineSummary; currency: string }) {
  const headingId = `team-${team.teamId}`;
  return (
    <section aria-labelledby={headingId} className="mb-8 rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-baseline gap-x-4 border-b border-slate-200 px-4 py-3">
        <h2 id={headingId} className="text-lg font-semibold">
          {team.teamName}
        </h2>
        <span className="text-sm text-slate-600">Manager: {team.managerName ?? "none"}</span>
        <span className="ml-auto text-sm text-slate-700">
          {formatCount(team.openDeals)} open deals · {formatMoney(team.openValue, currency)}
        </span>
      </div>
      <table className="w-full text-sm">
        <caption className="sr-only">Open pipeline of each rep in {team.teamName}</caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Rep
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Open deals
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Open pipeline
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Oldest open deal
            </th>
          </tr>
        </thead>
        <tbody>
          {team.reps.map((rep) => (
            <tr key={rep.repId} className="border-t border-slate-100" data-testid="rep-row">
              <th scope="row" className="px-4 py-2 text-left font-medium">
                {rep.repName}
              </th>
              <td className="px-4 py-2 text-right tabular-nums">{formatCount(rep.openDeals)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{formatMoney(rep.openValue, currency)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{formatDays(rep.oldestOpenDealDays)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
