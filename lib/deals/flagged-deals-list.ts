// Every flagged open deal in the viewer's scope, each measured against its
// own team's cycle: the CSV a manager takes away and the flagged-deals page.
import "server-only";
import { visibleDealsWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { currentFlagWhere } from "@/lib/flags/current-flags";
import { parseRuleSettings } from "@/lib/rules/settings";
import type { DealRowView } from "./deal-row-view";
import { dealRowSelect, toDealRow, userNames } from "./deal-rows";
import { cycleDaysForTeams } from "./team-cycle";
import { sortDeals } from "./pipeline-view";

export interface FlaggedDealRow extends DealRowView {
  ownerName: string;
  teamName: string | null;
}

/**
 * Every open deal in the viewer's scope with a current flag, worst first,
 * each measured against its own team's cycle: a team for a manager, every
 * team for an admin, their own deals for a rep. A fixed number of queries.
 */
export async function listFlaggedDeals(viewer: Viewer, asOf: Date, client: DbClient = db): Promise<FlaggedDealRow[]> {
  const records = await client.opportunity.findMany({
    where: {
      AND: [visibleDealsWhere(viewer), { status: "open", openedAt: { lte: asOf }, flags: { some: currentFlagWhere } }],
    },
    select: {
      ...dealRowSelect(asOf),
      owner: { select: { teamId: true, name: true, team: { select: { name: true } } } },
    },
    orderBy: { id: "asc" },
  });
  const org = await client.orgSettings.findUnique({ where: { id: 1 }, select: { rules: true } });
  const settings = parseRuleSettings(org?.rules ?? {});
  const cycles = await cycleDaysForTeams(
    client,
    [...new Set(records.map((deal) => deal.owner.teamId))],
    asOf,
    settings,
  );
  const names = await userNames(
    client,
    records.flatMap((deal) => deal.waivers.map((waiver) => waiver.byId)),
  );
  const rows = records.map((deal) => ({
    ...toDealRow(deal, asOf, cycles.get(deal.owner.teamId) ?? 90, names),
    ownerName: deal.owner.name,
    teamName: deal.owner.team?.name ?? null,
  }));
  return sortDeals(rows, "flags", "asc") as FlaggedDealRow[];
}
