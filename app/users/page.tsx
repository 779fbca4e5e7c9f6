import type { Metadata } from "next";
import { NoOrganisationYet, noViewer } from "@/components/overview/no-deals";
import { AppShell } from "@/components/shell/app-shell";
import { AddPersonForm } from "@/components/users/add-person-form";
import { AdminsOnly } from "@/components/users/admins-only";
import { PeopleFiltersForm } from "@/components/users/people-filters";
import { PeopleTable } from "@/components/users/people-table";
import { getViewer } from "@/lib/auth/viewer";
import { formatCount } from "@/lib/format";
import { getOrgContext } from "@/lib/settings/data";
import { canManagePeople, getPeoplePage } from "@/lib/users/data";
import { peopleFiltersSchema } from "@/lib/users/schema";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "People" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

export default async function PeoplePage({ searchParams }: { searchParams: SearchParams }) {
  const [viewer, org, params] = await Promise.all([getViewer().catch(noViewer), getOrgContext(), searchParams]);
  if (!viewer) return <NoOrganisationYet />;
  const shell = { viewer, asOf: org.asOf, asOfFixed: org.asOfFixed, orgName: org.name };
  if (!canManagePeople(viewer)) {
    return (
      <AppShell {...shell}>
        <AdminsOnly />
      </AppShell>
    );
  }
  const filters = peopleFiltersSchema.parse({
    team: first(params.team),
    role: first(params.role),
    status: first(params.status),
  });
  const { people, teams, totals } = await getPeoplePage(viewer, filters);
  const filtered = Boolean(filters.team || filters.role || filters.status !== "all");

  return (
    <AppShell {...shell}>
      <div className="mb-6">
        <h1 className="text-2xl font-semibold">People</h1>
        <p className="text-sm text-slate-600">
          Who can sign in and what they may see. {formatCount(totals.active)} active
          {totals.deactivated ? `, ${formatCount(totals.deactivated)} deactivated` : ""} ·{" "}
          {totals.activeAdmins === 1 ? "1 administrator" : `${formatCount(totals.activeAdmins)} administrators`}. Nobody
          is ever deleted: deactivated people keep their name on their deals and history.
        </p>
      </div>

      <section aria-labelledby="add-person-title" className="mb-8">
        <details className="group rounded-lg border border-slate-200 bg-white" open={people.length === 0 && !filtered}>
          <summary className="cursor-pointer list-none rounded-lg px-4 py-3 font-medium text-blue-800 hover:bg-slate-50">
            <h2 id="add-person-title" className="inline text-base">
              <span aria-hidden="true" className="mr-1 inline-block group-open:rotate-90">
                ›
              </span>
              Add a person
            </h2>
          </summary>
          <div className="border-t border-slate-200 p-4">
            {teams.length === 0 ? (
              <p className="mb-3 text-sm text-slate-600">
                There are no teams yet: you can add administrators now; reps and managers need a team (import your team
                or load the demo organisation).
              </p>
            ) : null}
            <AddPersonForm teams={teams} />
          </div>
        </details>
      </section>

      <section aria-labelledby="people-title">
        <h2 id="people-title" className="mb-3 text-lg font-semibold">
          Everyone{filtered ? " matching the filters" : ""}{" "}
          <span className="text-sm font-normal text-slate-600">({formatCount(people.length)})</span>
        </h2>
        <PeopleFiltersForm filters={filters} teams={teams} />
        <PeopleTable people={people} viewerId={viewer.userId} filtered={filtered} />
      </section>
    </AppShell>
  );
}
