// Reads for a team's stage board (/board?team=…): every open deal of one team
// the viewer may see, as the same rows as a rep's pipeline (each measured
// against the team's cycle), with its owner's name for the card.
import "server-only";
import { canActOnDeal } from "@/lib/auth/permissions";
import { visibleDealsWhere, visibleTeamsWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { parseRuleSettings } from "@/lib/rules/settings";
import type { DealRowView, StageOption } from "./deal-row-view";
import { activeStages, dealRowSelect, toDealRow, userNames } from "./deal-rows";
import { sortDeals } from "./pipeline-view";
import { cycleDaysForTeams } from "./team-cycle";

export interface TeamBoardDeal extends DealRowView {
  ownerName: string;
  canAct: boolean;
}

export interface TeamBoard {
  team: { id: string; name: string } | null;
  /** Teams the viewer may pick (a manager: their own; an admin: every team). */
  teams: { id: string; name: string }[];
  deals: TeamBoardDeal[];
  stages: StageOption[];
  currency: string;
}

/** The board of `teamId` when the viewer may see it, else of the first team they may see. */
export async function getTeamBoard(
  viewer: Viewer,
  asOf: Date,
  teamId: string | null,
  client: DbClient = db,
): Promise<TeamBoard> {
  const teams = await client.team.findMany({
    where: visibleTeamsWhere(viewer),
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  const team = teams.find((candidate) => candidate.id === teamId) ?? teams[0] ?? null;
  const [records, stages, org] = await Promise.all([
    team
      ? client.opportunity.findMany({
          where: {
            AND: [visibleDealsWhere(viewer), { status: "open", openedAt: { lte: asOf }, owner: { teamId: team.id } }],
          },
          select: { ...dealRowSelect(asOf), owner: { select: { teamId: true, name: true } } },
          orderBy: { id: "asc" },
        })
      : Promise.resolve([]),
    activeStages(client),
    client.orgSettings.findUnique({ where: { id: 1 }, select: { rules: true, currency: true } }),
  ]);
  const settings = parseRuleSettings(org?.rules ?? {});
  const cycles = team ? await cycleDaysForTeams(client, [team.id], asOf, settings) : new Map<string | null, number>();
  const names = await userNames(
    client,
    records.flatMap((deal) => deal.waivers.map((waiver) => waiver.byId)),
  );
  const deals = records.map((deal) => ({
    ...toDealRow(deal, asOf, cycles.get(team?.id ?? null) ?? 90, names),
    ownerName: deal.owner.name,
    canAct: canActOnDeal(viewer, { id: deal.id, name: deal.name, ownerId: deal.ownerId, owner: deal.owner }),
  }));
  return {
    team,
    teams,
    deals: sortDeals(deals, "flags", "asc") as TeamBoardDeal[],
    stages,
    currency: org?.currency ?? "USD",
  };
}
