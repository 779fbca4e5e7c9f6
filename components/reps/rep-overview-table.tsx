// The overview's rep table (drawn by RepTableView in the browser and on the
// server alike): this picks from each rep's overview row only what the table
// shows, so the page's React payload carries no figure twice and nothing
// unused (the 60 KB page budget, issue 13).
import type { RepPage, RepSort } from "@/lib/overview/rep-table";
import { type RepTableRow, RepTableView } from "./rep-table-view";

export function RepOverviewTable({
  page,
  sort,
  currency,
  scopeLabel,
  showTeam,
}: {
  page: RepPage;
  sort: RepSort;
  currency: string;
  scopeLabel: string;
  showTeam: boolean;
}) {
  const rows = page.rows.map(
    ({ teamName, weightedValueCents: _weighted, flagged: _flagged, health: _health, ...shown }): RepTableRow =>
      showTeam && teamName ? { ...shown, teamName } : shown,
  );
  return <RepTableView page={{ ...page, rows }} sort={sort} currency={currency} scopeLabel={scopeLabel} />;
}
