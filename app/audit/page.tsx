import type { Metadata } from "next";
import Link from "next/link";
import { AuditFiltersForm } from "@/components/audit/audit-filters";
import { AuditPagination } from "@/components/audit/audit-pagination";
import { AuditTable } from "@/components/audit/audit-table";
import { ReadersOnly } from "@/components/audit/readers-only";
import { NoOrganisationYet, noViewer } from "@/components/overview/no-deals";
import { AppShell } from "@/components/shell/app-shell";
import { EmptyState } from "@/components/ui/empty-state";
import { AUDIT_PAGE_SIZE, canReadAuditTrail, getAuditPage, parseAuditFilters } from "@/lib/audit/data";
import { getViewer } from "@/lib/auth/viewer";
import { formatCount } from "@/lib/format";
import { getOrgContext } from "@/lib/settings/data";
import { canManagePeople } from "@/lib/users/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit trail" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const IGNORED_WORDS: Record<string, string> = {
  from: "the “from” date",
  to: "the “to” date",
  kind: "the kind of change",
};

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const [viewer, org, params] = await Promise.all([getViewer().catch(noViewer), getOrgContext(), searchParams]);
  if (!viewer) return <NoOrganisationYet />;
  const shell = { viewer, asOf: org.asOf, asOfFixed: org.asOfFixed, orgName: org.name };
  if (!canReadAuditTrail(viewer)) {
    return (
      <AppShell {...shell}>
        <ReadersOnly />
      </AppShell>
    );
  }
  const { filters, ignored } = parseAuditFilters(params);
  const audit = await getAuditPage(viewer, filters);
  const filtered = Boolean(filters.deal || filters.person || filters.from || filters.to || filters.kind);

  return (
    <AppShell {...shell}>
      <div className="mb-6">
        <h1 className="text-2xl font-semibold">Audit trail</h1>
        <p className="text-sm text-slate-600">
          Every change made by a person in {audit.scope}, newest first: who, when, what, and the values before and
          after.
          {viewer.role === "manager"
            ? " You see the changes made by the people of your team and the changes to your team's deals and people."
            : ""}{" "}
          Times are in your time zone.
        </p>
      </div>
      <AuditFiltersForm filters={filters} people={audit.people} />
      {ignored.length > 0 ? (
        <p role="status" className="mb-3 text-sm text-amber-900">
          Ignored {ignored.map((key) => IGNORED_WORDS[key] ?? key).join(" and ")}: use a date like 2026-12-31 and a kind
          from the list.
        </p>
      ) : null}
      {audit.total === 0 ? (
        filtered ? (
          <EmptyState title="No change matches these filters">
            Widen the dates, check the deal's number or name, or{" "}
            <Link href="/audit" className="text-blue-800 underline">
              clear the filters
            </Link>
            .
          </EmptyState>
        ) : (
          <EmptyState title="No changes recorded yet">
            Every action on a deal, review, settings change, import and change to people is listed here as it happens.
          </EmptyState>
        )
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600" data-testid="audit-total">
            {formatCount(audit.total)} {audit.total === 1 ? "change" : "changes"}
            {filtered ? " match the filters" : ""}.
          </p>
          <AuditTable
            entries={audit.entries}
            context={{ currency: org.currency, teamNames: audit.teamNames }}
            canManagePeople={canManagePeople(viewer)}
            caption={`Changes in ${audit.scope}, newest first, page ${audit.page} of ${audit.pageCount}`}
          />
          <AuditPagination
            filters={filters}
            page={audit.page}
            pageCount={audit.pageCount}
            total={audit.total}
            pageSize={AUDIT_PAGE_SIZE}
          />
        </>
      )}
    </AppShell>
  );
}
