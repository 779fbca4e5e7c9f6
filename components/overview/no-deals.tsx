// An organisation (or a rep) with no deals yet: how to get some in.
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { NoViewerError } from "@/lib/auth/viewer";

/** `canImport`: the viewer is an admin (only admins may import). */
export function NoDealsYet({ title = "No deals yet", canImport = true }: { title?: string; canImport?: boolean }) {
  return (
    <EmptyState title={title}>
      <p>There is nothing to review until the pipeline is in. Either:</p>
      <ul className="mx-auto mt-3 max-w-xl space-y-2 text-left">
        <li>
          {canImport ? (
            <>
              <strong>Import your CRM export</strong> on the{" "}
              <Link href="/import" className="text-blue-800 underline">
                Import page
              </Link>
            </>
          ) : (
            <>
              <strong>Ask an administrator to import your CRM export</strong> (only administrators can import)
            </>
          )}{" "}
          — opportunity reports from Salesforce, HubSpot or Pipedrive, or any CSV with a column mapping.
        </li>
        <li>
          <strong>Load the demo organisation</strong> (3 teams, 24 reps, two years of history): stop the app, run{" "}
          <code className="rounded bg-slate-100 px-1">npm run db:seed</code>, then start it again.
        </li>
      </ul>
    </EmptyState>
  );
}

/** A fresh database: no manager, no team, no deals. Shown instead of a screen (there is no viewer for the shell). */
export function NoOrganisationYet() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="mb-6 text-2xl font-semibold">Pipeline Integrity</h1>
      <NoDealsYet title="No team and no deals yet" />
    </main>
  );
}

/** For pages' `getViewer().catch(noViewer)`: null when the database has no manager yet. */
export function noViewer(error: unknown): null {
  if (error instanceof NoViewerError) return null;
  throw error;
}
