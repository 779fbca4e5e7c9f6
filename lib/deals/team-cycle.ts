// The average cycle a team's deals are measured against: the latest review's
// figure for the team (or the organisation's), or computed now by the engine
// when no review has run yet.
import "server-only";
import type { DbClient } from "@/lib/db";
import { prismaQuery } from "@/lib/db/bulk-sql";
import { loadTeamOverrides, teamThresholds, widestReadSettings } from "@/lib/org/team-thresholds";
import { loadCycleInputs } from "@/lib/reviews/facts";
import type { ReviewTotals } from "@/lib/reviews/mutations";
import type { RuleSettings } from "@/lib/rules/settings";
import { type AverageCycle, averageCycleForTeam, buildRuleContext, type CycleTable } from "@/lib/rules/statistics";
import { describeCycle } from "@/lib/rules/wording";

export interface CycleInUse {
  days: number;
  /** "the Central team's 88-day average cycle (41 won deals)". */
  description: string;
  /** Where it came from: the latest review's totals, or computed now (no review yet). */
  source: "review" | "computed";
}

export interface LatestReview {
  id: number;
  at: Date;
  asOf: Date;
}

/** Every team's cycle computed now, each with its own cycle settings, as a review would. */
async function computeCycles(client: DbClient, settings: RuleSettings, asOf: Date): Promise<CycleTable> {
  const query = prismaQuery(client);
  const stored = await loadTeamOverrides(query);
  const inputs = await loadCycleInputs(query, widestReadSettings(settings, stored), asOf);
  return buildRuleContext(inputs, settings, asOf, teamThresholds(settings, stored)).cycles;
}

/** The cycle a review measured the team's deals against (its own, or the organisation's). */
function reviewCycle(totals: unknown, teamId: string | null): AverageCycle | undefined {
  const known = (totals ?? null) as Partial<ReviewTotals> | null;
  return (teamId ? known?.byTeam?.[teamId]?.cycle : undefined) ?? known?.organisationCycle;
}

/**
 * The cycle the latest review covering the team measured deals against; with
 * no review yet, the same statistics computed now by the engine.
 */
export async function cycleForTeam(
  client: DbClient,
  teamId: string | null,
  asOf: Date,
  settings: RuleSettings,
): Promise<{ cycle: CycleInUse; latestReview: LatestReview | null }> {
  const review = await client.review.findFirst({
    where: { OR: [{ teamId: null }, ...(teamId ? [{ teamId }] : [])] },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { id: true, at: true, asOf: true, totals: true },
  });
  const fromReview = reviewCycle(review?.totals, teamId);
  const latestReview = review ? { id: review.id, at: review.at, asOf: review.asOf } : null;
  if (fromReview) {
    return { cycle: { days: fromReview.days, description: describeCycle(fromReview), source: "review" }, latestReview };
  }
  const cycle = averageCycleForTeam(await computeCycles(client, settings, asOf), teamId);
  return { cycle: { days: cycle.days, description: describeCycle(cycle), source: "computed" }, latestReview };
}

/**
 * cycleForTeam for many teams at once (an admin's flagged deals span every
 * team): the latest organisation-wide review and each team's latest review
 * are read in two queries, and the engine computes the cycles at most once.
 */
export async function cycleDaysForTeams(
  client: DbClient,
  teamIds: (string | null)[],
  asOf: Date,
  settings: RuleSettings,
): Promise<Map<string | null, number>> {
  const named = teamIds.filter((id): id is string => id !== null);
  const [orgReview, teamReviews] = await Promise.all([
    client.review.findFirst({
      where: { teamId: null },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      select: { at: true, id: true, totals: true },
    }),
    named.length
      ? client.review.findMany({
          where: { teamId: { in: named } },
          orderBy: [{ at: "desc" }, { id: "desc" }],
          distinct: ["teamId"],
          select: { at: true, id: true, teamId: true, totals: true },
        })
      : Promise.resolve([]),
  ]);
  const byTeam = new Map(teamReviews.map((review) => [review.teamId, review]));
  let computed: CycleTable | undefined;
  const days = new Map<string | null, number>();
  for (const teamId of teamIds) {
    const teamReview = teamId ? byTeam.get(teamId) : undefined;
    // The latest review covering the team, as cycleForTeam picks it.
    const review =
      teamReview &&
      (!orgReview || teamReview.at > orgReview.at || (+teamReview.at === +orgReview.at && teamReview.id > orgReview.id))
        ? teamReview
        : orgReview;
    const fromReview = reviewCycle(review?.totals, teamId);
    if (fromReview) {
      days.set(teamId, fromReview.days);
      continue;
    }
    computed ??= await computeCycles(client, settings, asOf);
    days.set(teamId, averageCycleForTeam(computed, teamId).days);
  }
  return days;
}
