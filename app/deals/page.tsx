import type { Metadata } from "next";
import Link from "next/link";
import { FlaggedDealsFilters } from "@/components/deals/flagged-deals-filters";
import { FlaggedDealsTable } from "@/components/deals/flagged-deals-table";
import { NotReviewedYet } from "@/components/reviews/not-reviewed-yet";
import { AppShell } from "@/components/shell/app-shell";
import { Refusal } from "@/components/ui/refusal";
import { getViewer } from "@/lib/auth/viewer";
import { flaggedDealsQuery, flaggedDealsViewIsFiltered, parseFlaggedDealsView } from "@/lib/deals/flagged-view";
import { formatCount } from "@/lib/format";
import { getFlaggedDealsPageData, getPageOrgContext } from "@/lib/page-data/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Flagged deals" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function FlaggedDealsPage({ searchParams }: { searchParams: SearchParams }) {
  const [viewer, org, params] = await Promise.all([getViewer(), getPageOrgContext(), searchParams]);
  if (viewer.role === "rep") {
    return (
      <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
        <Refusal
          title="Flagged deals are for managers"
          back={{ href: "/my", label: "Go to My deals" }}
          testId="managers-only"
        >
          This page lists the flagged deals of a whole team. Your own flagged deals, with what to do about each, are on
          “My deals”.
        </Refusal>
      </AppShell>
    );
  }
  const view = parseFlaggedDealsView(params);
  const {
    page: { deals, flaggedInScope, reps, stages, currency },
    reviewed,
  } = await getFlaggedDealsPageData(viewer, org, view);
  const filtered = flaggedDealsViewIsFiltered(view);
  const pageHref = (page: number) => {
    const query = flaggedDealsQuery(view, { page });
    return query ? `/deals?${query}` : "/deals";
  };

  return (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <div>
          <h1 className="text-2xl font-semibold">Flagged deals</h1>
          <p className="text-sm text-slate-600" data-testid="flagged-count">
            {reviewed ? (
              <>
                {filtered
                  ? `${formatCount(deals.total)} of ${formatCount(flaggedInScope)} flagged deals match the filters`
                  : `${formatCount(flaggedInScope)} flagged ${flaggedInScope === 1 ? "deal" : "deals"}`}{" "}
                in {viewer.role === "admin" ? "every team" : "your team"}, worst first
              </>
            ) : (
              "Not reviewed yet: no deal has been checked against the rules."
            )}
          </p>
        </div>
        <a href="/export/flagged-deals" className="text-sm font-medium text-blue-800 underline" download>
          Download every flagged deal as CSV
        </a>
      </div>
      <div className="mb-3">
        <FlaggedDealsFilters view={view} reps={reps} stages={stages} filtered={filtered} />
      </div>
      {reviewed ? null : <NotReviewedYet viewer={viewer} what={viewer.role === "admin" ? "any team" : "your team"} />}
      <FlaggedDealsTable deals={deals.rows} stages={stages} currency={currency} showTeam={viewer.role === "admin"} />
      {deals.pageCount > 1 ? (
        <nav aria-label="Pages" className="mt-3 flex flex-wrap items-center gap-3 text-sm" data-testid="flagged-pager">
          <span className="text-slate-700">
            Deals {formatCount(deals.from)}–{formatCount(deals.to)} of {formatCount(deals.total)} · page{" "}
            {formatCount(deals.page)} of {formatCount(deals.pageCount)}
          </span>
          {deals.page > 1 ? (
            <Link href={pageHref(deals.page - 1)} className="text-blue-800 underline">
              Previous page
            </Link>
          ) : null}
          {deals.page < deals.pageCount ? (
            <Link href={pageHref(deals.page + 1)} className="text-blue-800 underline">
              Next page
            </Link>
          ) : null}
        </nav>
      ) : null}
    </AppShell>
  );
}
