import type { Metadata } from "next";
import { AppShell } from "@/components/shell/app-shell";
import { TeamPipelineTable } from "@/components/reps/team-pipeline-table";
import { getViewer } from "@/lib/auth/viewer";
import { getOrgContext } from "@/lib/settings/data";
import { listTeamPipelines } from "@/lib/teams/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Team overview" };

export default async function TeamOverviewPage() {
  const [viewer, org] = await Promise.all([getViewer(), getOrgContext()]);
  const teams = await listTeamPipelines(viewer, org.asOf);
  return (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      <h1 className="mb-4 text-2xl font-semibold">Team overview</h1>
      {teams.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">
          No teams to show yet. Import your pipeline or load the demo organisation with <code>npm run db:seed</code>.
        </p>
      ) : (
        teams.map((team) => <TeamPipelineTable key={team.teamId} team={team} currency={org.currency} />)
      )}
    </AppShell>
  );
}
