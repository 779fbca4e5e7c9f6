// The data-quality report after an import (SPEC "Data in and out"): how many
// open deals have no activity, no buyer-side activity, no stage history, no
// amount, no team — and, stated plainly, when no activities were imported at
// all (the activity rules cannot judge anything then). Read from the database
// as the import left it, so the command line, the import page and the admin's
// overview say the same numbers.
import type { DbClient } from "@/lib/db";

export interface DataQuality {
  openDeals: number;
  noActivity: number;
  noBuyerActivity: number;
  /** No stage move recorded beyond the deal's creation. */
  noStageHistory: number;
  noAmount: number;
  /** Owner in no team: no team average cycle or manager for them. */
  noTeam: number;
  /** The organisation holds no activity at all (imported or logged). */
  noActivitiesAtAll: boolean;
  /**
   * Prospects whose source gave no opened date: stored as "date unknown"
   * (never invented), so they are left out of figures that need the date.
   */
  prospectsWithoutOpenedDate: number;
}

export async function getDataQuality(client: DbClient): Promise<DataQuality> {
  const [row] = await client.$queryRawUnsafe<(Omit<DataQuality, "noActivitiesAtAll"> & { activities: boolean })[]>(
    `SELECT count(*)::int AS "openDeals",
            count(*) FILTER (WHERE o."lastActivityAt" IS NULL)::int AS "noActivity",
            count(*) FILTER (WHERE o."lastBuyerActivityAt" IS NULL)::int AS "noBuyerActivity",
            count(*) FILTER (WHERE NOT EXISTS (
              SELECT 1 FROM "StageChange" c WHERE c."opportunityId" = o.id AND c.direction <> 'created'))::int
              AS "noStageHistory",
            count(*) FILTER (WHERE o.amount = 0)::int AS "noAmount",
            count(*) FILTER (WHERE u."teamId" IS NULL)::int AS "noTeam",
            EXISTS (SELECT 1 FROM "Activity") AS activities,
            (SELECT count(*) FROM "Opportunity" p WHERE p.status = 'prospect' AND p."openedAt" IS NULL)::int
              AS "prospectsWithoutOpenedDate"
       FROM "Opportunity" o JOIN "User" u ON u.id = o."ownerId"
      WHERE o.status = 'open'`,
  );
  const { activities, ...counts } = row ?? {
    openDeals: 0,
    noActivity: 0,
    noBuyerActivity: 0,
    noStageHistory: 0,
    noAmount: 0,
    noTeam: 0,
    activities: false,
    prospectsWithoutOpenedDate: 0,
  };
  return { ...counts, noActivitiesAtAll: !activities };
}

/** The report in plain sentences, for the command line and the pages. */
export function describeDataQuality(quality: DataQuality): string[] {
  const of = (n: number) => `${n.toLocaleString("en-US")} of ${quality.openDeals.toLocaleString("en-US")} open deals`;
  const lines: string[] = [];
  if (quality.noActivitiesAtAll) {
    lines.push(
      "No activities imported at all: the rules that read activities (untouched, follow-up gap, one-sided, buyer effort) have nothing to judge (untouched still judges deals whose deals file gave a last-activity date). Import your CRM's activity export (calls, emails, meetings) too.",
    );
  }
  lines.push(`${of(quality.noActivity)} have no activity.`);
  lines.push(`${of(quality.noBuyerActivity)} have no buyer-side activity.`);
  lines.push(
    `${of(quality.noStageHistory)} have no stage history (their time in stage counts from when they were opened).`,
  );
  lines.push(`${of(quality.noAmount)} have no amount.`);
  lines.push(`${of(quality.noTeam)} belong to a rep in no team (give reps a team with a people file or on /users).`);
  if (quality.prospectsWithoutOpenedDate > 0) {
    const n = quality.prospectsWithoutOpenedDate;
    lines.push(
      `${n.toLocaleString("en-US")} ${n === 1 ? "prospect has" : "prospects have"} no opened date: shown as "date unknown" and left out of figures that need the date (add a Created / Opened date column to count them).`,
    );
  }
  return lines;
}
