import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RepChangesStrip } from "@/components/changes/rep-changes-strip";
import { PipelineFilters } from "@/components/deals/pipeline-filters";
import { RepPipelineHeader } from "@/components/deals/rep-pipeline-header";
import { RepPipelineTable } from "@/components/deals/rep-pipeline-table";
import { StageBoard } from "@/components/deals/stage-board";
import { NotReviewedYet } from "@/components/reviews/not-reviewed-yet";
import { AppShell } from "@/components/shell/app-shell";
import { EmptyState } from "@/components/ui/empty-state";
import { getViewer } from "@/lib/auth/viewer";
import { parsePipelineView, pipelineViewIsFiltered } from "@/lib/deals/pipeline-view";
import { repTableDeal } from "@/lib/deals/rep-table-deal";
import { getPageOrgContext, getRepPageData } from "@/lib/page-data/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Rep pipeline" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function RepPipelinePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const [{ id }, query, viewer, org] = await Promise.all([params, searchParams, getViewer(), getPageOrgContext()]);
  const view = parsePipelineView(query);
  const { pipeline, changes } = await getRepPageData(viewer, decodeURIComponent(id), org, view);
  if (!pipeline || !changes) notFound();

  const basePath = `/reps/${encodeURIComponent(pipeline.rep.id)}`;
  const filtered = pipelineViewIsFiltered(view);
  const early = Array.isArray(query.early) ? query.early[0] : query.early;
  const asBoard = (Array.isArray(query.view) ? query.view[0] : query.view) === "board";
  const layoutHref = (board: boolean) => {
    const next = new URLSearchParams();
    for (const key of ["rule", "severity", "stage", "sort", "dir", "early"] as const) {
      const value = Array.isArray(query[key]) ? query[key][0] : query[key];
      if (value) next.set(key, value);
    }
    if (board) next.set("view", "board");
    return next.size ? `${basePath}?${next}` : basePath;
  };
  const exportQuery = new URLSearchParams();
  for (const key of ["rule", "severity", "stage", "sort", "dir"] as const) {
    const value = Array.isArray(query[key]) ? query[key][0] : query[key];
    if (value) exportQuery.set(key, value);
  }
  const exportHref = `${basePath}/export${exportQuery.size ? `?${exportQuery}` : ""}`;

  return (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-600">
        <Link href="/" className="text-blue-800 underline">
          Team overview
        </Link>{" "}
        › {pipeline.rep.name}
      </nav>
      <div className="mb-4 flex flex-wrap items-baseline gap-x-4">
        <h1 className="text-2xl font-semibold">{pipeline.rep.name}'s pipeline</h1>
        <span className="text-slate-700">{pipeline.rep.teamName ? `${pipeline.rep.teamName} team` : "No team"}</span>
        <Link href={`/my?rep=${encodeURIComponent(pipeline.rep.id)}`} className="text-sm text-blue-800 underline">
          See {pipeline.rep.name}'s “My deals” page
        </Link>
      </div>
      {pipeline.latestReview ? null : <NotReviewedYet viewer={viewer} what={`${pipeline.rep.name}'s deals`} />}
      <RepPipelineHeader pipeline={pipeline} />
      <RepChangesStrip changes={changes} repId={pipeline.rep.id} currency={org.currency} />

      {pipeline.summary.openDeals === 0 ? (
        <EmptyState title={`${pipeline.rep.name} has no open deals.`}>
          Deals appear here once they are imported from the CRM.{" "}
          {viewer.role === "admin" ? (
            <Link href="/import" className="text-blue-800 underline">
              Import deals
            </Link>
          ) : (
            "An administrator imports them."
          )}
        </EmptyState>
      ) : (
        <section aria-labelledby="deals-heading">
          <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
            <div>
              <h2 id="deals-heading" className="text-lg font-semibold">
                Open deals{filtered ? ` matching the filters: ${pipeline.deals.length}` : ""}
              </h2>
            </div>
            <a href={exportHref} className="text-sm font-medium text-blue-800 underline" download>
              Download this view as CSV
            </a>
          </div>
          <nav aria-label="Show the deals as" className="mb-3 flex gap-1 text-sm">
            {[
              { board: false, label: "Table" },
              { board: true, label: "Stage board" },
            ].map((option) => (
              <Link
                key={option.label}
                href={layoutHref(option.board)}
                aria-current={option.board === asBoard ? "page" : undefined}
                className={`rounded-md border px-3 py-1 ${
                  option.board === asBoard
                    ? "border-blue-700 bg-blue-700 font-medium text-white"
                    : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50"
                }`}
              >
                {option.label}
              </Link>
            ))}
          </nav>
          <div className="mb-3">
            <PipelineFilters
              view={view}
              stages={pipeline.stages}
              basePath={basePath}
              filtered={filtered}
              board={asBoard}
            />
          </div>
          {asBoard ? (
            <StageBoard
              deals={pipeline.deals}
              stages={pipeline.stages}
              currency={pipeline.currency}
              canAct={pipeline.canAct}
            />
          ) : (
            <RepPipelineTable
              deals={pipeline.deals.map(repTableDeal)}
              stages={pipeline.stages}
              currency={pipeline.currency}
              sort={view.sort}
              dir={view.dir}
              canAct={pipeline.canAct}
              repName={pipeline.rep.name}
              earlyOpenInitially={
                early === "open" ||
                (early !== "closed" &&
                  (filtered ||
                    pipeline.deals.some((deal) => deal.early && deal.flags.some((f) => f.severity === "stale"))))
              }
            />
          )}
        </section>
      )}
    </AppShell>
  );
}
