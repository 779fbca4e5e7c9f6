import type { Metadata } from "next";
import Link from "next/link";
import { AdminsOnlyImport } from "@/components/import/admins-only";
import { ImportWizard } from "@/components/import/import-wizard";
import { SavedMappings } from "@/components/import/saved-mappings";
import { NoOrganisationYet, noViewer } from "@/components/overview/no-deals";
import { AppShell } from "@/components/shell/app-shell";
import { getViewer } from "@/lib/auth/viewer";
import { formatDate } from "@/lib/format";
import { canImport, getImportPageData } from "@/lib/import/page-data";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Import" };

const day = (date: Date) => date.toISOString().slice(0, 10);

export default async function ImportPage() {
  const [viewer, org] = await Promise.all([getViewer().catch(noViewer), getOrgContext()]);
  if (!viewer) return <NoOrganisationYet />;
  const shell = { viewer, asOf: org.asOf, asOfFixed: org.asOfFixed, orgName: org.name };
  if (!canImport(viewer)) {
    return (
      <AppShell {...shell}>
        <AdminsOnlyImport />
      </AppShell>
    );
  }
  const data = await getImportPageData(viewer);
  const today = day(new Date());

  return (
    <AppShell {...shell}>
      <div className="mb-6">
        <h1 className="text-2xl font-semibold">Import from your CRM</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          Bring deals, activities, stage history and people in from CSV exports. You see exactly what will change —
          every rejected row with its line and reason — before anything is written; the import is all or nothing, and
          importing the same file again changes nothing.
        </p>
        <p className="mt-2 text-sm text-slate-800" data-testid="import-as-of">
          Data is read as of{" "}
          <strong>
            {formatDate(org.asOf)}
            {org.asOfFixed ? ", a date fixed by the organisation" : " (today)"}
          </strong>
          . An import leaves that date alone unless you choose, before importing, to fix it to a date or to the latest
          date in the files (also on{" "}
          <Link href="/settings#as-of" className="text-blue-800 underline">
            Settings
          </Link>
          ).
        </p>
      </div>

      <ImportWizard
        stages={data.stages}
        teams={data.teams}
        savedMappings={data.savedMappings}
        currency={data.currency}
        fixedAsOf={org.asOfFixed ? day(org.asOf) : null}
        today={today}
      />

      <section aria-labelledby="saved-mappings-title" className="mt-10">
        <h2 id="saved-mappings-title" className="mb-2 text-lg font-semibold">
          Saved mappings
        </h2>
        <SavedMappings mappings={data.savedMappings} />
      </section>
    </AppShell>
  );
}
