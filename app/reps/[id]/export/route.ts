// CSV of the rep pipeline view the person is looking at (same filters and
// sort as the page), formula-injection safe (components/deals/deals-csv.ts).
import { csvDownload, dealsToCsv } from "@/components/deals/deals-csv";
import { getViewer } from "@/lib/auth/viewer";
import { parsePipelineView } from "@/lib/deals/pipeline-view";
import { getRepPipeline } from "@/lib/deals/rep-pipeline";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const [{ id }, viewer, org] = await Promise.all([params, getViewer(), getOrgContext()]);
  const view = parsePipelineView(new URL(request.url).searchParams);
  const pipeline = await getRepPipeline(viewer, decodeURIComponent(id), org.asOf, view);
  if (!pipeline) {
    return new Response("This rep does not exist or is not in a team you can see.\n", {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  const slug =
    pipeline.rep.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "rep";
  const day = org.asOf.toISOString().slice(0, 10);
  return csvDownload(dealsToCsv(pipeline.deals), `pipeline-${slug}-${day}.csv`);
}
