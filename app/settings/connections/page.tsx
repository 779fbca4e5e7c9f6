import type { Metadata } from "next";
import Link from "next/link";
import { ConnectionCard } from "@/components/connections/connection-card";
import { NoOrganisationYet, noViewer } from "@/components/overview/no-deals";
import { AppShell } from "@/components/shell/app-shell";
import { Refusal } from "@/components/ui/refusal";
import { getViewer } from "@/lib/auth/viewer";
import { getOrgContext } from "@/lib/settings/data";
import { environmentCredentials } from "@/lib/sync/credentials";
import { listConnections } from "@/lib/sync/data";
import { CRM_LABELS } from "@/lib/sync/records";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "CRM connections" };

const when = (date: Date | null) => (date ? `${date.toISOString().replace("T", " ").slice(0, 16)} UTC` : "—");

function hasEnvironment(crm: "hubspot" | "pipedrive" | "salesforce") {
  try {
    return environmentCredentials(crm) !== null;
  } catch {
    return false;
  }
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function ConnectionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Where Salesforce's sign-in callback (salesforce/callback/route.ts) says how it went.
  const query = await searchParams;
  const signedIn = one(query.salesforce);
  const signInError = one(query["salesforce-error"]);
  const [viewer, org] = await Promise.all([getViewer().catch(noViewer), getOrgContext()]);
  if (!viewer) return <NoOrganisationYet />;
  const shell = { viewer, asOf: org.asOf, asOfFixed: org.asOfFixed, orgName: org.name };
  if (viewer.role !== "admin") {
    return (
      <AppShell {...shell}>
        <Refusal title="Only administrators can connect a CRM" back={{ href: "/settings", label: "Back to settings" }}>
          A connection reads every deal of the organisation and keeps a secret of your CRM. Ask an administrator.
        </Refusal>
      </AppShell>
    );
  }
  const connections = await listConnections();
  return (
    <AppShell {...shell}>
      <div className="mb-6">
        <h1 className="text-2xl font-semibold">CRM connections</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          Keep deals, activities and stage, close-date and amount history in step with your CRM. Each sync reads what
          changed since the last one, a page at a time through the same checks as a CSV{" "}
          <Link href="/import" className="text-blue-800 underline">
            import
          </Link>
          ; a page is written whole or not at all, and a stopped sync resumes where it stopped. Connections sync daily.
        </p>
      </div>
      {connections.map((connection) => {
        const label = CRM_LABELS[connection.crm];
        const running = connection.runs.find((run) => run.status === "running");
        return (
          <section key={connection.crm} aria-labelledby={`${connection.crm}-title`} className="mb-10">
            <h2 id={`${connection.crm}-title`} className="mb-2 text-lg font-semibold">
              {label}
            </h2>
            <p className="mb-3 text-sm text-slate-600">
              Last synced: {when(connection.lastSyncedAt)}
              {running ? ` · syncing now: ${running.pages} pages written so far (refresh to follow)` : ""}
            </p>
            {connection.crm === "salesforce" && (signedIn || signInError) ? (
              <p role="status" className={`mb-3 text-sm ${signInError ? "text-red-800" : "text-emerald-800"}`}>
                {signInError ?? signedIn}
              </p>
            ) : null}
            <ConnectionCard
              crm={connection.crm}
              label={label}
              connected={connection.connected}
              fromEnvironment={hasEnvironment(connection.crm)}
              settings={connection.settings}
            />
            {connection.runs.length ? (
              <table className="mt-4 w-full text-left text-sm">
                <caption className="mb-1 text-left font-medium">Recent runs</caption>
                <thead>
                  <tr className="border-b border-slate-300">
                    <th scope="col">Started</th>
                    <th scope="col">How</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Pages</th>
                    <th scope="col">Deals new / updated / rejected</th>
                    <th scope="col">Activities new</th>
                    <th scope="col">Duration</th>
                  </tr>
                </thead>
                <tbody>
                  {connection.runs.map((run) => {
                    const counts = (run.counts ?? {}) as {
                      deals?: { new: number; updated: number; rejected: number };
                      activities?: { new: number };
                    };
                    return (
                      <tr key={run.id} className="border-b border-slate-100 align-top">
                        <td>{when(run.startedAt)}</td>
                        <td>{run.via}</td>
                        <td>
                          {run.status}
                          {run.errors.length ? (
                            <details>
                              <summary>{run.errors.length} messages</summary>
                              <ul className="list-disc pl-5">
                                {run.errors.slice(0, 50).map((error) => (
                                  <li key={error}>{error}</li>
                                ))}
                              </ul>
                            </details>
                          ) : null}
                        </td>
                        <td>{run.pages}</td>
                        <td>
                          {counts.deals
                            ? `${counts.deals.new} / ${counts.deals.updated} / ${counts.deals.rejected}`
                            : "—"}
                        </td>
                        <td>{counts.activities?.new ?? "—"}</td>
                        <td>{run.durationMs === null ? "—" : `${(run.durationMs / 1000).toFixed(1)} s`}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            ) : null}
          </section>
        );
      })}
    </AppShell>
  );
}
