import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { NoOrganisationYet, noViewer } from "@/components/overview/no-deals";
import { AppShell } from "@/components/shell/app-shell";
import { Badge } from "@/components/ui/badge";
import { AdminsOnly } from "@/components/users/admins-only";
import { AccessForm, PasswordForm, RoleTeamForm } from "@/components/users/person-forms";
import { ROLE_WORDS } from "@/components/users/role-words";
import { getViewer } from "@/lib/auth/viewer";
import { formatDate } from "@/lib/format";
import { getOrgContext } from "@/lib/settings/data";
import { canManagePeople, getPerson, listTeamChoices } from "@/lib/users/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Person" };

export default async function PersonPage({ params }: { params: Promise<{ id: string }> }) {
  const [viewer, org, { id }] = await Promise.all([getViewer().catch(noViewer), getOrgContext(), params]);
  if (!viewer) return <NoOrganisationYet />;
  const shell = { viewer, asOf: org.asOf, asOfFixed: org.asOfFixed, orgName: org.name };
  if (!canManagePeople(viewer)) {
    return (
      <AppShell {...shell}>
        <AdminsOnly />
      </AppShell>
    );
  }
  const userId = decodeURIComponent(id);
  const [person, teams] = await Promise.all([getPerson(viewer, userId), listTeamChoices(viewer)]);
  if (!person) notFound();
  const isYou = person.id === viewer.userId;

  return (
    <AppShell {...shell}>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/users" className="text-blue-800 underline-offset-2 hover:underline">
          People
        </Link>{" "}
        <span aria-hidden="true">›</span> {person.name}
      </nav>
      <div className="mb-6">
        <h1 className="flex flex-wrap items-center gap-2 text-2xl font-semibold">
          {person.name}
          {isYou ? <span className="text-base font-normal text-slate-500">(you)</span> : null}
          <Badge tone={person.active ? "healthy" : "neutral"}>{person.active ? "Active" : "Deactivated"}</Badge>
        </h1>
        <dl className="mt-2 grid gap-x-6 gap-y-1 text-sm text-slate-700 sm:grid-cols-[auto_1fr]">
          <dt className="text-slate-600">Email</dt>
          <dd className="break-all">{person.email}</dd>
          <dt className="text-slate-600">Role</dt>
          <dd>
            {ROLE_WORDS[person.role].label} — {ROLE_WORDS[person.role].help}
          </dd>
          <dt className="text-slate-600">Team</dt>
          <dd>
            {person.team?.name ?? "No team"}
            {person.manages ? ` · manages ${person.manages.name}` : ""}
          </dd>
          <dt className="text-slate-600">Last sign-in</dt>
          <dd>{person.lastSignInAt ? formatDate(person.lastSignInAt) : "No open session"}</dd>
          <dt className="text-slate-600">Added</dt>
          <dd>{formatDate(person.createdAt)}</dd>
        </dl>
        <p className="mt-2 text-sm">
          <Link
            href={`/audit?person=${encodeURIComponent(person.id)}`}
            className="text-blue-800 underline-offset-2 hover:underline"
          >
            Changes made by {isYou ? "you" : person.name} in the audit trail
          </Link>
        </p>
      </div>

      <section aria-labelledby="role-title" className="mb-8 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="role-title" className="mb-3 text-lg font-semibold">
          Role and team
        </h2>
        <RoleTeamForm person={person} teams={teams} isYou={isYou} />
      </section>

      <section aria-labelledby="password-title" className="mb-8 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="password-title" className="mb-1 text-lg font-semibold">
          Password
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          {person.hasPassword
            ? "Set a new password when they forgot theirs or it may be known to someone else."
            : "They have no password yet, so they cannot sign in. Set one and give it to them."}
        </p>
        <PasswordForm person={person} isYou={isYou} />
      </section>

      <section aria-labelledby="access-title" className="mb-8 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="access-title" className="mb-1 text-lg font-semibold">
          {person.active ? "Deactivate" : "Reactivate"}
        </h2>
        <AccessForm person={person} isYou={isYou} />
      </section>
    </AppShell>
  );
}
