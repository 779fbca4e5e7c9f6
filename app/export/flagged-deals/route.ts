// CSV of every flagged open deal the person may see — their team's for a
// manager, everyone's for an admin, their own for a rep — worst flags first,
// with owner and team, formula-injection safe (components/deals/deals-csv.ts).
import { csvDownload, dealsToCsv } from "@/components/deals/deals-csv";
import { getViewer } from "@/lib/auth/viewer";
import { listFlaggedDeals } from "@/lib/deals/flagged-deals-list";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";

export async function GET() {
  const [viewer, org] = await Promise.all([getViewer(), getOrgContext()]);
  const deals = await listFlaggedDeals(viewer, org.asOf);
  const day = org.asOf.toISOString().slice(0, 10);
  return csvDownload(dealsToCsv(deals, true), `flagged-deals-${day}.csv`);
}
