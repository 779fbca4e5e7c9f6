// Reads for a rep's open pipeline (/reps/[id]): the deals in the chosen view,
// the summary over the whole pipeline (stale share, quota coverage) and the
// rep-level flags. Returns null when the rep is outside what the viewer may see.
import { flagExplanation, flagWordingSelect } from "@/lib/flags/flag-explanation";
import "server-only";
import { canActOnDeal } from "@/lib/auth/permissions";
import { visibleUsersWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { currentFlagWhere } from "@/lib/flags/current-flags";
import { startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import { parseRuleSettings } from "@/lib/rules/settings";
import { type DealFlagView, type DealRowView, ruleLabel, type StageOption } from "./deal-row-view";
import { activeStages, asOfDay, cents, daysSince, dealRowSelect, toDealRow, userNames } from "./deal-rows";
import { cycleForTeam, type CycleInUse, type LatestReview } from "./team-cycle";
import { DEFAULT_PIPELINE_VIEW, matchesView, type PipelineView, sortDeals } from "./pipeline-view";

export interface QuotaCoverage {
  quotaCents: number;
  periodStart: Date;
  periodEnd: Date;
  wonCents: number;
  remainingCents: number;
  /** Open pipeline over the whole period's quota ("8× quota"). */
  ofQuota: number | null;
  /** Open pipeline over the remaining quota; null when the quota is already met. */
  raw: number | null;
  /** The same without stale deals. */
  adjusted: number | null;
}

export interface RepPipelineSummary {
  openDeals: number;
  openValueCents: number;
  weightedValueCents: number;
  staleDeals: number;
  staleValueCents: number;
  /** 0–1; null without open pipeline. */
  staleShare: number | null;
  flaggedDeals: number;
  oldestDeal: { id: number; name: string; ageDays: number } | null;
  quota: QuotaCoverage | null;
  /** Days since the rep last opened a deal (any status); null if never. */
  daysSinceLastNewDeal: number | null;
}

export interface RepPipeline {
  rep: { id: string; name: string; role: Viewer["role"]; teamId: string | null; teamName: string | null };
  currency: string;
  cycle: CycleInUse;
  latestReview: LatestReview | null;
  /** Over the whole open pipeline, whatever the filters. */
  summary: RepPipelineSummary;
  /** The deals in the view (filtered and sorted). */
  deals: DealRowView[];
  view: PipelineView;
  stages: StageOption[];
  /** Rules that flag at least one of the rep's deals (for the filter). */
  rulesPresent: string[];
  /** Whether the viewer may act on these deals (bulk actions). */
  canAct: boolean;
  /** Current rep-level flags (no new pipeline). */
  repFlags: DealFlagView[];
}

export async function getRepPipeline(
  viewer: Viewer,
  repId: string,
  asOf: Date,
  view: PipelineView = DEFAULT_PIPELINE_VIEW,
  client: DbClient = db,
): Promise<RepPipeline | null> {
  const rep = await client.user.findFirst({
    where: { AND: [{ id: repId }, visibleUsersWhere(viewer)] },
    select: { id: true, name: true, role: true, teamId: true, team: { select: { name: true } } },
  });
  if (!rep) return null;

  const org = await client.orgSettings.findUnique({ where: { id: 1 }, select: { rules: true, currency: true } });
  const settings = parseRuleSettings(org?.rules ?? {});
  const [cycleInfo, dealRecords, stages, quota, lastOpened, repFlags] = await Promise.all([
    cycleForTeam(client, rep.teamId, asOf, settings),
    client.opportunity.findMany({
      where: { ownerId: rep.id, status: "open", openedAt: { lte: asOf } },
      select: dealRowSelect(asOf),
      orderBy: { id: "asc" },
    }),
    activeStages(client),
    loadQuotaCoverage(client, rep.id, asOf),
    client.opportunity.aggregate({ where: { ownerId: rep.id, openedAt: { lte: asOf } }, _max: { openedAt: true } }),
    client.flag.findMany({
      where: { userId: rep.id, ...currentFlagWhere },
      select: { ...flagWordingSelect, severity: true },
    }),
  ]);
  const names = await userNames(
    client,
    dealRecords.flatMap((deal) => deal.waivers.map((waiver) => waiver.byId)),
  );
  const all = dealRecords.map((deal) => toDealRow(deal, asOf, cycleInfo.cycle.days, names));

  const probability = new Map(dealRecords.map((deal) => [deal.id, deal.stage.probability]));
  let openValueCents = 0;
  let staleValueCents = 0;
  let staleDeals = 0;
  let flaggedDeals = 0;
  // Σ cents × percent: integers, exact; divided by 100 once at the end.
  let weighted = 0;
  for (const deal of all) {
    openValueCents += deal.amountCents;
    weighted += deal.amountCents * (probability.get(deal.id) ?? 0);
    if (deal.flags.length > 0) flaggedDeals += 1;
    if (deal.flags.some((flag) => flag.severity === "stale")) {
      staleDeals += 1;
      staleValueCents += deal.amountCents;
    }
  }
  const oldest = all.reduce<DealRowView | null>((max, deal) => (!max || deal.ageDays > max.ageDays ? deal : max), null);
  if (quota) {
    const remaining = quota.remainingCents;
    quota.ofQuota = quota.quotaCents > 0 ? openValueCents / quota.quotaCents : null;
    quota.raw = remaining > 0 ? openValueCents / remaining : null;
    quota.adjusted = remaining > 0 ? (openValueCents - staleValueCents) / remaining : null;
  }

  const deals = sortDeals(
    all.filter((deal) => matchesView(deal, view)),
    view.sort,
    view.dir,
  );
  return {
    rep: { id: rep.id, name: rep.name, role: rep.role, teamId: rep.teamId, teamName: rep.team?.name ?? null },
    currency: org?.currency ?? "USD",
    cycle: cycleInfo.cycle,
    latestReview: cycleInfo.latestReview,
    summary: {
      openDeals: all.length,
      openValueCents,
      weightedValueCents: Math.round(weighted / 100),
      staleDeals,
      staleValueCents,
      staleShare: openValueCents > 0 ? staleValueCents / openValueCents : null,
      flaggedDeals,
      oldestDeal: oldest ? { id: oldest.id, name: oldest.name, ageDays: oldest.ageDays } : null,
      quota,
      daysSinceLastNewDeal: daysSince(lastOpened._max.openedAt, asOf),
    },
    deals,
    view,
    stages,
    rulesPresent: [...new Set(all.flatMap((deal) => deal.flags.map((flag) => flag.rule)))].sort(),
    canAct: canActOnDeal(viewer, { id: 0, name: "", ownerId: rep.id, owner: { teamId: rep.teamId } }),
    repFlags: repFlags.map((flag) => ({
      rule: flag.rule,
      label: ruleLabel(flag.rule),
      severity: flag.severity,
      explanation: flagExplanation(flag, asOf),
    })),
  };
}

/** The rep's quota for the period holding asOf, and what they won in it up to asOf. */
export async function loadQuotaCoverage(client: DbClient, repId: string, asOf: Date): Promise<QuotaCoverage | null> {
  const day = asOfDay(asOf);
  const quota = await client.quota.findFirst({
    where: { userId: repId, periodStart: { lte: day }, periodEnd: { gte: day } },
    orderBy: { periodStart: "desc" },
  });
  if (!quota) return null;
  const periodEndExclusive = startOfUtcDayNumber(utcDayNumber(quota.periodEnd) + 1);
  const won = await client.opportunity.aggregate({
    where: {
      ownerId: repId,
      status: "won",
      closedAt: { gte: quota.periodStart, lt: periodEndExclusive, lte: asOf },
    },
    _sum: { amount: true },
  });
  const quotaCents = cents(quota.amount);
  const wonCents = cents(won._sum.amount);
  return {
    quotaCents,
    periodStart: quota.periodStart,
    periodEnd: quota.periodEnd,
    wonCents,
    remainingCents: quotaCents - wonCents,
    ofQuota: null,
    raw: null,
    adjusted: null,
  };
}
