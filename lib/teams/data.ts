// Reads for the team overview: teams, their reps, and each rep's open
// pipeline, limited to what the viewer may see. A fixed number of queries
// whatever the number of reps (no query per rep).
import "server-only";
import { visibleTeamsWhere, visibleUsersWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

const DAY_MS = 86_400_000;

export interface RepPipelineSummary {
  repId: string;
  repName: string;
  openDeals: number;
  openValue: Prisma.Decimal;
  /** Days from the oldest open deal's openedAt to asOf; null with no open deals. */
  oldestOpenDealDays: number | null;
}

export interface TeamPipelineSummary {
  teamId: string;
  teamName: string;
  managerName: string | null;
  reps: RepPipelineSummary[];
  openDeals: number;
  openValue: Prisma.Decimal;
}

export async function listTeamPipelines(
  viewer: Viewer,
  asOf: Date,
  client: DbClient = db,
): Promise<TeamPipelineSummary[]> {
  const teams = await client.team.findMany({
    where: visibleTeamsWhere(viewer),
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      manager: { select: { name: true } },
      members: {
        where: { AND: [visibleUsersWhere(viewer), { role: "rep" }] },
        orderBy: { name: "asc" },
        select: { id: true, name: true },
      },
    },
  });
  const repIds = teams.flatMap((team) => team.members.map((member) => member.id));
  const pipelines = repIds.length
    ? await client.opportunity.groupBy({
        by: ["ownerId"],
        where: { ownerId: { in: repIds }, status: "open", openedAt: { lte: asOf } },
        _count: { _all: true },
        _sum: { amount: true },
        _min: { openedAt: true },
      })
    : [];
  const byRep = new Map(pipelines.map((row) => [row.ownerId, row]));

  return teams.map((team) => {
    const reps = team.members.map((member): RepPipelineSummary => {
      const row = byRep.get(member.id);
      const oldest = row?._min.openedAt;
      return {
        repId: member.id,
        repName: member.name,
        openDeals: row?._count._all ?? 0,
        openValue: row?._sum.amount ?? new Prisma.Decimal(0),
        oldestOpenDealDays: oldest ? Math.floor((asOf.getTime() - oldest.getTime()) / DAY_MS) : null,
      };
    });
    return {
      teamId: team.id,
      teamName: team.name,
      managerName: team.manager?.name ?? null,
      reps,
      openDeals: reps.reduce((sum, rep) => sum + rep.openDeals, 0),
      openValue: reps.reduce((sum, rep) => sum.add(rep.openValue), new Prisma.Decimal(0)),
    };
  });
}
