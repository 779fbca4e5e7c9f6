import type { Metadata } from "next";
import { ReviewBar } from "@/components/overview/last-review";
import { NotReviewedYet } from "@/components/reviews/not-reviewed-yet";
import { NoDealsYet, NoOrganisationYet, noViewer } from "@/components/overview/no-deals";
import { SinceLastWeek } from "@/components/changes/since-last-week";
import { OverviewCharts } from "@/components/overview/overview-charts";
import { OverviewFigures } from "@/components/overview/overview-figures";
import { SalesTrapBanner } from "@/components/overview/sales-trap-banner";
import { RepOverviewTable } from "@/components/reps/rep-overview-table";
import { AppShell } from "@/components/shell/app-shell";
import { DataQualityReport } from "@/components/import/data-quality";
import { getViewer } from "@/lib/auth/viewer";
import { formatCount } from "@/lib/format";
import { getOverviewPageData, getPageOrgContext } from "@/lib/page-data/data";
import { pageOfReps, parseRepPage, parseRepSort, sortRepRows } from "@/lib/overview/rep-table";

export const dynamic = "force-dynamic";

/** A rep's home is about their own pipeline; a manager's and an admin's about their team(s). */
function homeTitle(role: string): string {
  return role === "rep" ? "Your pipeline" : "Team overview";
}

export async function generateMetadata(): Promise<Metadata> {
  const viewer = await getViewer().catch(() => null);
  return { title: homeTitle(viewer?.role ?? "manager") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function TeamOverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const [viewer, org, params] = await Promise.all([getViewer().catch(noViewer), getPageOrgContext(), searchParams]);
  if (!viewer) return <NoOrganisationYet />;
  const { overview, quality, changes } = await getOverviewPageData(viewer, org);
  const sort = parseRepSort(params);
  const repCount = overview.reps.length;
  // Past 200 reps the table is paged: the page's HTML stays small at any size.
  const repPage = pageOfReps(sortRepRows(overview.reps, sort), parseRepPage(params));

  return (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      <div className="mb-4">
        <h1 className="text-2xl font-semibold">{homeTitle(viewer.role)}</h1>
        <p className="text-sm text-slate-600">
          {viewer.role === "rep"
            ? `${viewer.name}'s open deals`
            : `${overview.scopeLabel} · ${formatCount(repCount)} ${repCount === 1 ? "rep" : "reps"}`}
        </p>
      </div>

      {!overview.hasDeals ? (
        <NoDealsYet canImport={viewer.role === "admin"} />
      ) : (
        <>
          <SalesTrapBanner warnings={overview.salesTraps} />
          {/* The last review's totals cover a team or the organisation: not a rep's numbers. */}
          {viewer.role !== "rep" ? (
            <ReviewBar review={overview.lastReview} viewer={viewer} now={new Date()} />
          ) : overview.lastReview ? null : (
            <NotReviewedYet viewer={viewer} what="your deals" />
          )}
          {quality ? <DataQualityReport quality={quality} /> : null}
          <section aria-labelledby="figures-title" className="mb-6">
            <h2 id="figures-title" className="sr-only">
              Figures
            </h2>
            <OverviewFigures overview={overview} currency={org.currency} />
          </section>
          <section aria-label="What changed since last week" className="mb-6">
            <SinceLastWeek changes={changes} currency={org.currency} />
          </section>
          <section aria-labelledby="reps-title" className="mb-6">
            <div className="mb-2 flex items-baseline justify-between gap-4">
              <h2 id="reps-title" className="text-lg font-semibold">
                Reps
              </h2>
              <a href="/export/flagged-deals" className="text-sm font-medium text-blue-800 underline" download>
                Download every flagged deal as CSV
              </a>
            </div>
            <RepOverviewTable
              page={repPage}
              sort={sort}
              currency={org.currency}
              scopeLabel={overview.scopeLabel}
              showTeam={viewer.role === "admin"}
            />
          </section>
          <section aria-labelledby="charts-title">
            <h2 id="charts-title" className="mb-2 text-lg font-semibold">
              Charts
            </h2>
            <OverviewCharts overview={overview} repsShown={repPage.rows} currency={org.currency} />
          </section>
        </>
      )}
    </AppShell>
  );
}
