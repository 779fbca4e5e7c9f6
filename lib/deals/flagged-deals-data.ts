// Reads for the flagged-deals page (/deals): every flagged open deal in the
// viewer's scope (./flagged-deals-list.ts's listFlaggedDeals, the same list as the
// CSV), each with when its flags' episodes began, filtered and paged by the
// URL's view (./flagged-view.ts). Two queries more than the CSV: the flags'
// start dates and the stages for the filter.
import "server-only";
import { visibleDealsWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { currentFlagWhere } from "@/lib/flags/current-flags";
import type { StageOption } from "./deal-row-view";
import { type FlaggedDealRow, listFlaggedDeals } from "./flagged-deals-list";
import { type FlaggedDealsView, type FlaggedPage, flaggedForDays, matchesFlaggedView, pageOf } from "./flagged-view";

export interface FlaggedDealListRow extends FlaggedDealRow {
  /** Days since the earliest flag the view is about began (its episode's start). */
  flaggedForDays: number;
}

export interface FlaggedDealsPage {
  deals: FlaggedPage<FlaggedDealListRow>;
  /** Flagged deals in scope before the filters. */
  flaggedInScope: number;
  reps: { id: string; name: string }[];
  stages: StageOption[];
  currency: string;
}

export async function getFlaggedDealsPage(
  viewer: Viewer,
  asOf: Date,
  view: FlaggedDealsView,
  client: DbClient = db,
): Promise<FlaggedDealsPage> {
  const [rows, starts, stages, org] = await Promise.all([
    listFlaggedDeals(viewer, asOf, client),
    // Selected through the deal's scope (a relation filter), not by a list of ids: no bind parameter per deal.
    client.flag.findMany({
      where: {
        ...currentFlagWhere,
        opportunity: { AND: [visibleDealsWhere(viewer), { status: "open" }] },
      },
      select: { opportunityId: true, rule: true, startedAt: true },
    }),
    client.stage.findMany({
      where: { active: true },
      orderBy: { order: "asc" },
      select: { id: true, name: true, order: true, early: true, probability: true },
    }),
    client.orgSettings.findUnique({ where: { id: 1 }, select: { currency: true } }),
  ]);

  // A flag written before episodes were recorded has no start: count it from the as-of date.
  const startOf = new Map(starts.map((flag) => [`${flag.opportunityId}:${flag.rule}`, flag.startedAt ?? asOf]));
  const matching: FlaggedDealListRow[] = [];
  for (const row of rows) {
    const facts = {
      ownerId: row.ownerId,
      stageId: row.stageId,
      flags: row.flags.map((flag) => ({ ...flag, startedAt: startOf.get(`${row.id}:${flag.rule}`) ?? asOf })),
    };
    if (!matchesFlaggedView(facts, view, asOf)) continue;
    matching.push({ ...row, flaggedForDays: flaggedForDays(facts, view, asOf) ?? 0 });
  }

  const reps = new Map(rows.map((row) => [row.ownerId, row.ownerName]));
  return {
    deals: pageOf(matching, view.page),
    flaggedInScope: rows.length,
    reps: [...reps].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    stages,
    currency: org?.currency ?? "USD",
  };
}
