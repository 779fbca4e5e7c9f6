// Reads for the team overview (/): the viewer's reps and their open pipeline
// with the current flags, quota coverage, the last review and the cycle it
// used, the sales-trap warning, weekly snapshots and deal ages. A fixed number
// of queries whatever the number of reps or deals: per-rep figures and deal
// ages from RepFigures, the trend from TeamWeekTotals (both kept on write,
// lib/figures), the rest aggregated in SQL.
//
// Money comes back as integer cents (exact sums; formatted by lib/format).
// Raw SQL never returns instants: the PGlite adapter shifts timestamptz in raw
// results, so ages are computed in SQL as UTC day numbers — the same count as
// lib/rules/days.ts's daysBetween — and instants are passed in as epoch ms.
import "server-only";
import { visibleDealsWhere, visibleTeamsWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { columnRows, pgArray, prismaQuery } from "@/lib/db/bulk-sql";
import { getRepFigures, type OpeningDayCutoffs, type RepFiguresRow } from "@/lib/figures/data";
import { NEW_PIPELINE_DAYS } from "@/lib/figures/mutations";
import type { Prisma } from "@/lib/generated/prisma/client";
import { currentFlagSql } from "@/lib/flags/current-flags";
import { loadSnapshotTrend } from "@/lib/reviews/snapshot-trend";
import type { FlaggedBreakdown } from "@/lib/reviews/flagged-breakdown";
import type { ReviewTotals } from "@/lib/reviews/mutations";
import { activityWindowStart, daysBetween, startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import { parseRuleSettings } from "@/lib/rules/settings";
import type { AverageCycle } from "@/lib/rules/statistics";
import {
  type AgeDistribution,
  type BucketedAgeGroup,
  ageBucketEdges,
  ageBucketOpeningDays,
  ageBucketSql,
  bucketsFromOpenedUpTo,
  tallyAgeBuckets,
} from "./age-buckets";
import type { RepOverviewRow, Tally } from "./rep-table";

export { NEW_PIPELINE_DAYS };
export const TREND_WEEKS = 26;

export interface OverviewContext {
  asOf: Date;
  /** OrgSettings.rules JSON (the past-its-time multiple and the default cycle). */
  rules: unknown;
}

export type Coverage =
  | { kind: "no-quota" }
  | { kind: "quota-met"; quotaCents: number; wonCents: number; period: QuotaPeriod | null }
  | {
      kind: "coverage";
      quotaCents: number;
      wonCents: number;
      remainingCents: number;
      /** Open pipeline of the reps with a quota, over the remaining quota. */
      raw: number;
      /** The same without their stale deals. */
      adjusted: number;
      pipelineCents: number;
      stalePipelineCents: number;
      repsWithQuota: number;
      period: QuotaPeriod | null;
    };

export interface QuotaPeriod {
  /** UTC midnight of the first and last day (inclusive). */
  start: Date;
  end: Date;
}

export interface CycleInUse {
  cycle: AverageCycle;
  /** The team it applies to; null for the organisation. */
  teamName: string | null;
}

export interface LastReview {
  id: number;
  at: Date;
  asOf: Date;
  byName: string | null;
  /** The team reviewed; null for the whole organisation. */
  teamName: string | null;
  flaggedDeals: number;
  openDeals: number;
  /** The review's flagged deals, each once at its worst severity (the parts add up to flaggedDeals). */
  breakdown: FlaggedBreakdown;
}

export interface TrendWeek {
  /** Monday of the week (UTC midnight). */
  weekStart: Date;
  openCents: number;
  staleCents: number;
  newPipelineCents: number;
  wonCents: number;
}

export interface SalesTrapWarning {
  teamName: string;
  explanation: string;
}

export interface TeamOverview {
  /** "Central team", "All teams", "Your pipeline". */
  scopeLabel: string;
  /** False when the viewer's scope holds no deal at all (any status): show how to import or load the demo. */
  hasDeals: boolean;
  figures: {
    openDeals: number;
    openValueCents: number;
    weightedValueCents: number;
    staleDeals: number;
    staleValueCents: number;
    /** Stale value over open value, 0–1; null without open pipeline. */
    staleShare: number | null;
    flaggedDeals: number;
    /** The flagged deals now, each once at its worst severity. */
    breakdown: FlaggedBreakdown;
  };
  coverage: Coverage;
  cycles: CycleInUse[];
  lastReview: LastReview | null;
  salesTraps: SalesTrapWarning[];
  reps: RepOverviewRow[];
  trend: TrendWeek[];
  ages: AgeDistribution;
}

const toCents = (value: unknown): number => Number(value ?? 0);
const tally = (count: unknown, cents: unknown): Tally => ({ count: Number(count ?? 0), valueCents: toCents(cents) });
/** Prisma Decimal (typed queries) → integer cents, exactly. */
const decimalCents = (value: Prisma.Decimal | null | undefined): number =>
  value ? Number(value.mul(100).toFixed(0)) : 0;

type PipelineRow = RepFiguresRow;

interface QuotaRow {
  user_id: string;
  quota_cents: string;
  won_cents: string;
  period_start: string;
  period_end: string;
}

/** The cycle each team's deals are measured against; teams not listed use the organisation's. */
interface CyclesInUse {
  organisationDays: number;
  byTeam: { teamId: string; days: number }[];
}

export async function getTeamOverview(
  viewer: Viewer,
  context: OverviewContext,
  client: DbClient = db,
): Promise<TeamOverview> {
  const { asOf } = context;
  const settings = parseRuleSettings(context.rules);
  const asOfMs = asOf.getTime();
  const asOfDay = utcDayNumber(asOf);
  const asOfDate = startOfUtcDayNumber(asOfDay).toISOString().slice(0, 10);

  // Reps in scope, and anyone else in scope who still owns open deals (their deals count too).
  const [people, teams, latestReview] = await Promise.all([
    loadPeople(client, viewer, asOf),
    client.team.findMany({
      where: visibleTeamsWhere(viewer),
      orderBy: { name: "asc" },
      select: { id: true, name: true },
    }),
    client.review.findFirst({
      where:
        viewer.role === "admin"
          ? {}
          : { OR: [{ teamId: null }, ...(viewer.teamId ? [{ teamId: viewer.teamId }] : [])] },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      select: { id: true, at: true, asOf: true, byId: true, teamId: true, totals: true },
    }),
  ]);
  const ids = people.map((person) => person.id);
  const teamIds = teams.map((team) => team.id);
  const teamNames = new Map(teams.map((team) => [team.id, team.name]));

  // The cycle each deal is measured against: from the last review, else the default.
  const totals = (latestReview?.totals ?? null) as ReviewTotals | null;
  const defaultCycle: AverageCycle = {
    days: settings.defaultCycleDays,
    scope: "default",
    sampleSize: 0,
    statistic: settings.cycleStatistic,
  };
  const organisationCycle = totals?.organisationCycle ?? defaultCycle;
  const cycleOfTeam = (teamId: string | null) =>
    (teamId ? totals?.byTeam?.[teamId]?.cycle : undefined) ?? organisationCycle;
  const newSince = activityWindowStart(asOf, NEW_PIPELINE_DAYS);
  const trendFrom = startOfUtcDayNumber(asOfDay - TREND_WEEKS * 7);
  const cyclesInUse: CyclesInUse = {
    organisationDays: organisationCycle.days,
    byTeam: Object.entries(totals?.byTeam ?? {}).flatMap(([teamId, team]) =>
      team?.cycle ? [{ teamId, days: team.cycle.days }] : [],
    ),
  };
  const [{ pipelines, ageGroups }, quotas, trend, trapFlags, reviewer] = await Promise.all([
    loadPipelinesAndAges(client, ids, asOf, settings.pastItsTimeMultiple, cyclesInUse, newSince),
    ids.length ? loadQuotas(client, ids, asOfMs, asOfDate) : Promise.resolve([]),
    ids.length ? loadTrend(client, viewer, ids, trendFrom, asOf) : Promise.resolve([]),
    teamIds.length ? loadSalesTrapFlags(client, teamIds) : Promise.resolve([]),
    latestReview?.byId
      ? client.user.findUnique({ where: { id: latestReview.byId }, select: { name: true } })
      : Promise.resolve(null),
  ]);

  // Rep rows.
  const pipelineByRep = new Map(pipelines.map((row) => [row.owner_id, row]));
  const reps: RepOverviewRow[] = people.map((person) => {
    const row = pipelineByRep.get(person.id);
    const openValueCents = toCents(row?.open_cents);
    const staleCents = toCents(row?.stale_cents);
    const atRiskOnlyCents = toCents(row?.at_risk_only_cents);
    return {
      repId: person.id,
      repName: person.name,
      teamName: person.team_name,
      openDeals: row?.open_deals ?? 0,
      openValueCents,
      weightedValueCents: toCents(row?.weighted_cents),
      stale: tally(row?.stale_deals, row?.stale_cents),
      atRisk: tally(row?.at_risk_deals, row?.at_risk_cents),
      nudge: tally(row?.nudge_deals, row?.nudge_cents),
      flagged: tally(row?.flagged_deals, row?.flagged_cents),
      health: { healthyCents: openValueCents - staleCents - atRiskOnlyCents, atRiskCents: atRiskOnlyCents, staleCents },
      oldestDealDays: row?.oldest_opened_day == null ? null : asOfDay - Number(row.oldest_opened_day),
      daysSinceLastActivity: row?.last_activity_day == null ? null : asOfDay - Number(row.last_activity_day),
      newPipeline30: { count: row?.new_deals ?? 0, valueCents: toCents(row?.new_cents) },
    };
  });

  const sum = (pick: (rep: RepOverviewRow) => number) => reps.reduce((total, rep) => total + pick(rep), 0);
  const openValueCents = sum((rep) => rep.openValueCents);
  const staleValueCents = sum((rep) => rep.stale.valueCents);
  const figures = {
    openDeals: sum((rep) => rep.openDeals),
    openValueCents,
    weightedValueCents: sum((rep) => rep.weightedValueCents),
    staleDeals: sum((rep) => rep.stale.count),
    staleValueCents,
    staleShare: openValueCents > 0 ? staleValueCents / openValueCents : null,
    flaggedDeals: sum((rep) => rep.flagged.count),
    breakdown: {
      flagged: sum((rep) => rep.flagged.count),
      stale: sum((rep) => rep.stale.count),
      atRisk: pipelines.reduce((total, row) => total + Number(row.at_risk_worst_deals ?? 0), 0),
      nudge: pipelines.reduce((total, row) => total + Number(row.nudge_worst_deals ?? 0), 0),
    },
  };

  const cycles: CycleInUse[] =
    viewer.role === "admin" || !viewer.teamId
      ? [
          { cycle: organisationCycle, teamName: null },
          ...teams
            .filter((team) => totals?.byTeam?.[team.id])
            .map((team) => ({ cycle: cycleOfTeam(team.id), teamName: team.name })),
        ]
      : [{ cycle: cycleOfTeam(viewer.teamId), teamName: teamNames.get(viewer.teamId) ?? null }];

  const ages = tallyAgeBuckets(ageGroups, settings.pastItsTimeMultiple);

  const lastReview: LastReview | null = latestReview
    ? {
        id: latestReview.id,
        at: latestReview.at,
        asOf: latestReview.asOf,
        byName: reviewer?.name ?? null,
        teamName: latestReview.teamId ? (teamNames.get(latestReview.teamId) ?? "another team") : null,
        flaggedDeals: totals?.flaggedDeals ?? 0,
        openDeals: totals?.openDeals ?? 0,
        breakdown: {
          flagged: totals?.flaggedDeals ?? 0,
          stale: totals?.bySeverity?.stale?.count ?? 0,
          atRisk: totals?.bySeverity?.at_risk?.count ?? 0,
          nudge: totals?.bySeverity?.nudge?.count ?? 0,
        },
      }
    : null;

  // One warning per team (the newest current flag).
  const salesTraps: SalesTrapWarning[] = [];
  const warned = new Set<string>();
  for (const flag of trapFlags) {
    if (!flag.teamId || warned.has(flag.teamId)) continue;
    warned.add(flag.teamId);
    salesTraps.push({ teamName: teamNames.get(flag.teamId) ?? "A team", explanation: flag.explanation });
  }

  // Any deal at all (closed ones too) — only worth asking when none is open.
  const hasDeals =
    figures.openDeals > 0 ||
    (await client.opportunity.findFirst({ where: visibleDealsWhere(viewer), select: { id: true } })) !== null;

  return {
    scopeLabel: scopeLabel(viewer, teamNames),
    hasDeals,
    figures,
    coverage: coverageOf(quotas, pipelineByRep),
    cycles,
    lastReview,
    salesTraps,
    reps,
    trend,
    ages,
  };
}

function scopeLabel(viewer: Viewer, teamNames: Map<string, string>): string {
  if (viewer.role === "admin") return "All teams";
  if (viewer.role === "rep") return "Your pipeline";
  const name = viewer.teamId ? teamNames.get(viewer.teamId) : undefined;
  return name ? `${name} team` : "Your pipeline";
}

interface PersonRow {
  id: string;
  name: string;
  team_name: string | null;
}

/**
 * The people the overview lists: reps in scope, and anyone else in scope who
 * still owns deals open by the as-of date (their deals count too), known from
 * their stored figures (oldest open deal); only people without figures yet are
 * looked up in the deals. The scope is visibleUsersWhere's (admin: everyone;
 * manager: their team, or themselves without one; rep: themselves), in SQL so
 * 2,000 people come back column by column.
 */
async function loadPeople(client: DbClient, viewer: Viewer, asOf: Date): Promise<PersonRow[]> {
  const teamId = viewer.role === "manager" ? viewer.teamId : null;
  const onlyUserId = viewer.role === "admin" || teamId ? null : viewer.userId;
  return columnRows<PersonRow>(
    prismaQuery(client),
    `SELECT u.id, u.name, t.name AS team_name
       FROM "User" u
       LEFT JOIN "Team" t ON t.id = u."teamId"
       LEFT JOIN "RepFigures" f ON f."repId" = u.id
      WHERE ($1::text IS NULL OR u."teamId" = $1::text) AND ($2::text IS NULL OR u.id = $2::text)
        AND ((u.role = 'rep' AND u.active)
             OR f."oldestOpenedAt" <= to_timestamp($3::float8 / 1000)
             OR (f."repId" IS NULL AND EXISTS (
                   SELECT 1 FROM "Opportunity" o
                    WHERE o."ownerId" = u.id AND o.status = 'open' AND o."openedAt" <= to_timestamp($3::float8 / 1000))))
      ORDER BY u.name, u.id`,
    [teamId, onlyUserId, asOf.getTime()],
    ["id", "name", "team_name"],
  );
}

/**
 * Per owner: open deals, value, weighted value, flagged deals by severity,
 * oldest deal, last activity, new pipeline; and the open deals' age groups.
 * One stored row per rep (lib/figures), the ages totalled from its running
 * totals by opening day up to the days that split the buckets for its team's
 * cycle (exact for any as-of date: a stored day is as old as the calendar
 * says); only reps whose row does not hold as of the date are aggregated from
 * their deals.
 */
async function loadPipelinesAndAges(
  client: DbClient,
  ownerIds: string[],
  asOf: Date,
  lineMultiple: number,
  cycles: CyclesInUse,
  newSince: Date,
): Promise<{ pipelines: PipelineRow[]; ageGroups: BucketedAgeGroup[] }> {
  // One group per cycle in use; the organisation's is the last, for reps of no listed team.
  const asOfDay = utcDayNumber(asOf);
  const cycleDays = [...new Set([...cycles.byTeam.map((team) => team.days), cycles.organisationDays])];
  const groupOf = (days: number) => cycleDays.indexOf(days);
  const cutoff = (teamId: string | null, days: number): OpeningDayCutoffs => ({
    teamId,
    group: groupOf(days),
    days: ageBucketOpeningDays(asOfDay, days, lineMultiple),
  });
  const stored = await getRepFigures(client, ownerIds, asOf, [
    ...cycles.byTeam.map((team) => cutoff(team.teamId, team.days)),
    cutoff(null, cycles.organisationDays),
  ]);
  const storedAges = stored.openedUpTo.flatMap((group) =>
    bucketsFromOpenedUpTo(cycleDays[group.group] as number, group.deals, group.cents),
  );
  if (stored.computeLive.length === 0) return { pipelines: stored.rows, ageGroups: storedAges };
  const [livePipelines, liveNew, liveAges] = await Promise.all([
    computePipelines(client, stored.computeLive, asOf.getTime()),
    loadNewPipeline(client, stored.computeLive, newSince, asOf),
    loadAgeGroups(client, stored.computeLive, asOf, lineMultiple, cycles),
  ]);
  const pipelineByRep = new Map(livePipelines.map((row) => [row.owner_id, row]));
  const newByRep = new Map(liveNew.map((row) => [row.owner_id, row]));
  // Reps with no open deal as of the date get a row too: they may have opened (and closed) deals in the window.
  const live = stored.computeLive.map((repId): PipelineRow => {
    const fresh = newByRep.get(repId);
    const row = pipelineByRep.get(repId) ?? noOpenPipeline(repId);
    return { ...row, new_deals: fresh?.count ?? 0, new_cents: fresh?.value_cents ?? "0" };
  });
  return { pipelines: [...stored.rows, ...live], ageGroups: [...storedAges, ...liveAges] };
}

function noOpenPipeline(ownerId: string): Omit<PipelineRow, "new_deals" | "new_cents"> {
  return {
    owner_id: ownerId,
    open_deals: 0,
    open_cents: "0",
    weighted_cents: "0",
    stale_deals: 0,
    stale_cents: "0",
    at_risk_deals: 0,
    at_risk_cents: "0",
    at_risk_only_cents: "0",
    nudge_deals: 0,
    at_risk_worst_deals: 0,
    nudge_worst_deals: 0,
    nudge_cents: "0",
    flagged_deals: 0,
    flagged_cents: "0",
    oldest_opened_day: null,
    last_activity_day: null,
  };
}

/**
 * The weekly trend: an admin's is the organisation's team totals added up per
 * week, a manager's their team's (lib/figures/week-totals.ts, a row per team
 * and week); a rep's, or a manager's without a team, from their own snapshots.
 */
async function loadTrend(
  client: DbClient,
  viewer: Viewer,
  ids: string[],
  after: Date,
  asOf: Date,
): Promise<TrendWeek[]> {
  const teamKey = viewer.role === "manager" && viewer.teamId ? viewer.teamId : null;
  if (viewer.role !== "admin" && !teamKey) {
    const rows = await loadSnapshotTrend(client, ids, after, asOf);
    return rows.map((row) => ({
      weekStart: row.weekStart,
      openCents: decimalCents(row._sum.openValue),
      staleCents: decimalCents(row._sum.staleValue),
      newPipelineCents: decimalCents(row._sum.newPipelineValue),
      wonCents: decimalCents(row._sum.wonValue),
    }));
  }
  const rows = await prismaQuery(client)<{ week: string; open: string; stale: string; fresh: string; won: string }>(
    `SELECT to_char("weekStart", 'YYYY-MM-DD') AS week, sum("openCents")::text AS open,
            sum("staleCents")::text AS stale, sum("newPipelineCents")::text AS fresh, sum("wonCents")::text AS won
       FROM "TeamWeekTotals"
      WHERE "weekStart" > $1::date AND "weekStart" <= $2::date AND ($3::text IS NULL OR ("teamKey" = $3 AND snapshots > 0))
      GROUP BY "weekStart"
      ORDER BY "weekStart"`,
    [utcDate(after), utcDate(asOf), teamKey],
  );
  return rows.map((row) => ({
    weekStart: new Date(`${row.week}T00:00:00.000Z`),
    openCents: toCents(row.open),
    staleCents: toCents(row.stale),
    newPipelineCents: toCents(row.fresh),
    wonCents: toCents(row.won),
  }));
}

const utcDate = (date: Date) => startOfUtcDayNumber(utcDayNumber(date)).toISOString().slice(0, 10);

/** The same figures aggregated from the deals and their current flags, as of the date. */
async function computePipelines(
  client: DbClient,
  ownerIds: string[],
  asOfMs: number,
): Promise<Omit<PipelineRow, "new_deals" | "new_cents">[]> {
  return client.$queryRawUnsafe<Omit<PipelineRow, "new_deals" | "new_cents">[]>(
    `WITH deals AS (
       SELECT o."ownerId" AS owner_id, o.amount, st.probability,
              floor(date_part('epoch', o."openedAt") / 86400)::int AS opened_day,
              CASE WHEN o."lastActivityAt" <= to_timestamp($2::float8 / 1000)
                   THEN floor(date_part('epoch', o."lastActivityAt") / 86400)::int END AS activity_day,
              coalesce(fl.stale, false) AS stale, coalesce(fl.at_risk, false) AS at_risk,
              coalesce(fl.nudge, false) AS nudge, fl.flagged IS NOT NULL AS flagged
         FROM "Opportunity" o
         JOIN "Stage" st ON st.id = o."stageId"
         LEFT JOIN LATERAL (
           SELECT bool_or(f.severity = 'stale') AS stale, bool_or(f.severity = 'at_risk') AS at_risk,
                  bool_or(f.severity = 'nudge') AS nudge, true AS flagged
             FROM "Flag" f
            WHERE f."opportunityId" = o.id AND ${currentFlagSql("f")}
           HAVING count(*) > 0
         ) fl ON true
        WHERE o."ownerId" = ANY($1::text[]) AND o.status = 'open' AND o."openedAt" <= to_timestamp($2::float8 / 1000)
     )
     SELECT owner_id,
            count(*)::int AS open_deals,
            round(sum(amount) * 100)::int8::text AS open_cents,
            round(sum(amount * probability))::int8::text AS weighted_cents,
            count(*) FILTER (WHERE stale)::int AS stale_deals,
            coalesce(round(sum(amount) FILTER (WHERE stale) * 100), 0)::int8::text AS stale_cents,
            count(*) FILTER (WHERE at_risk)::int AS at_risk_deals,
            coalesce(round(sum(amount) FILTER (WHERE at_risk) * 100), 0)::int8::text AS at_risk_cents,
            coalesce(round(sum(amount) FILTER (WHERE at_risk AND NOT stale) * 100), 0)::int8::text AS at_risk_only_cents,
            count(*) FILTER (WHERE nudge)::int AS nudge_deals,
            count(*) FILTER (WHERE at_risk AND NOT stale)::int AS at_risk_worst_deals,
            count(*) FILTER (WHERE nudge AND NOT stale AND NOT at_risk)::int AS nudge_worst_deals,
            coalesce(round(sum(amount) FILTER (WHERE nudge) * 100), 0)::int8::text AS nudge_cents,
            count(*) FILTER (WHERE flagged)::int AS flagged_deals,
            coalesce(round(sum(amount) FILTER (WHERE flagged) * 100), 0)::int8::text AS flagged_cents,
            min(opened_day) AS oldest_opened_day,
            max(activity_day) AS last_activity_day
       FROM deals
      GROUP BY owner_id`,
    ownerIds,
    asOfMs,
  );
}

/**
 * The teams' current sales-trap flags, newest first. One array parameter, not
 * Prisma's `IN` with a bind parameter per team (223 for an admin), whose
 * building and planning cost more than the index read itself.
 */
async function loadSalesTrapFlags(client: DbClient, teamIds: string[]) {
  return prismaQuery(client)<{ teamId: string | null; explanation: string }>(
    `SELECT f."teamId", f.explanation FROM "Flag" f
      WHERE f.rule = 'sales-trap' AND f."teamId" = ANY($1::text::text[]) AND ${currentFlagSql("f")}
      ORDER BY f."createdAt" DESC, f.id DESC`,
    [pgArray(teamIds)],
  );
}

/**
 * Deals each owner opened in the window (any status since), for reps whose
 * stored figures do not hold as of the date: one range read of the deals
 * opened in the last NEW_PIPELINE_DAYS days.
 */
async function loadNewPipeline(client: DbClient, ownerIds: string[], since: Date, asOf: Date) {
  return columnRows<{ owner_id: string; count: number; value_cents: string }>(
    prismaQuery(client),
    `SELECT o."ownerId" AS owner_id, count(*)::int AS count, round(sum(o.amount) * 100)::int8::text AS value_cents
       FROM "Opportunity" o JOIN unnest($1::text::text[]) AS r(id) ON r.id = o."ownerId"
      WHERE o."openedAt" >= to_timestamp($2::float8 / 1000) AND o."openedAt" <= to_timestamp($3::float8 / 1000)
      GROUP BY 1`,
    [pgArray(ownerIds), since.getTime(), asOf.getTime()],
    ["owner_id", "count", "value_cents"],
  );
}

/**
 * Open deals by age bucket (lib/overview/age-buckets.ts) and the cycle they
 * were measured against: the database compares each deal's age in UTC days
 * (as daysBetween counts) with its team's cycle, so a handful of rows come
 * back whatever the number of deals.
 */
async function loadAgeGroups(
  client: DbClient,
  ownerIds: string[],
  asOf: Date,
  lineMultiple: number,
  cycles: CyclesInUse,
): Promise<BucketedAgeGroup[]> {
  const edges = ageBucketEdges(lineMultiple);
  const edgeParams = edges.map((_, index) => `$${index + 7}`);
  const rows = await prismaQuery(client)<{ bucket: number; cycle_days: number; count: number; value_cents: string }>(
    `WITH team_cycles AS (SELECT * FROM unnest($4::text::text[], $5::text::float8[]) AS c(team_id, days)),
     deals AS (
       SELECT ($2::int - floor(date_part('epoch', o."openedAt") / 86400)::int) AS age_days,
              coalesce(tc.days, $6::float8) AS cycle_days, o.amount
         FROM "Opportunity" o
         JOIN unnest($1::text::text[]) AS r(id) ON r.id = o."ownerId"
         JOIN "User" u ON u.id = o."ownerId"
         LEFT JOIN team_cycles tc ON tc.team_id = u."teamId"
        WHERE o.status = 'open' AND o."openedAt" <= to_timestamp($3::float8 / 1000)
     )
     SELECT ${ageBucketSql("age_days", "cycle_days", edgeParams)} AS bucket, cycle_days,
            count(*)::int AS count, round(sum(amount) * 100)::int8::text AS value_cents
       FROM deals
      GROUP BY 1, 2`,
    [
      pgArray(ownerIds),
      utcDayNumber(asOf),
      asOf.getTime(),
      pgArray(cycles.byTeam.map((team) => team.teamId)),
      pgArray(cycles.byTeam.map((team) => team.days)),
      cycles.organisationDays,
      ...edges,
    ],
  );
  return rows.map((row) => ({
    bucket: Number(row.bucket),
    cycleDays: Number(row.cycle_days),
    count: Number(row.count),
    valueCents: toCents(row.value_cents),
  }));
}

/**
 * Each rep's quota for the period holding the as-of date, and what they won in
 * that period up to the as-of date. Period days are UTC calendar days. One
 * join, not a sum per rep: the won deals closed since the earliest period start
 * are read once by their close date. Reps are joined as a list, not matched
 * with = ANY (which compared every quota row with every id: 40M comparisons
 * for 2,000 reps with ten quarters each).
 */
async function loadQuotas(client: DbClient, ownerIds: string[], asOfMs: number, asOfDate: string) {
  return columnRows<QuotaRow>(
    prismaQuery(client),
    `WITH quotas AS (
       SELECT q.id, q."userId", q.amount, q."periodStart", q."periodEnd",
              (q."periodStart"::timestamp AT TIME ZONE 'UTC') AS starts,
              ((q."periodEnd" + 1)::timestamp AT TIME ZONE 'UTC') AS ends
         FROM "Quota" q JOIN unnest($1::text::text[]) AS r(id) ON r.id = q."userId"
        WHERE q."periodStart" <= $3::date AND q."periodEnd" >= $3::date
     ),
     won AS (
       SELECT q.id, round(sum(o.amount) * 100)::int8 AS won_cents
         FROM quotas q
         JOIN "Opportunity" o ON o."ownerId" = q."userId" AND o.status = 'won'
              AND o."closedAt" >= q.starts AND o."closedAt" < q.ends
        WHERE o."closedAt" >= (SELECT min(starts) FROM quotas)
          AND o."closedAt" <= to_timestamp($2::float8 / 1000)
        GROUP BY q.id
     )
     SELECT q."userId" AS user_id, round(q.amount * 100)::int8::text AS quota_cents,
            q."periodStart"::text AS period_start, q."periodEnd"::text AS period_end,
            coalesce(w.won_cents, 0)::text AS won_cents
       FROM quotas q LEFT JOIN won w ON w.id = q.id
      ORDER BY q.id`,
    [pgArray(ownerIds), asOfMs, asOfDate],
    ["user_id", "quota_cents", "period_start", "period_end", "won_cents"],
  );
}

function coverageOf(quotas: QuotaRow[], pipelineByRep: Map<string, PipelineRow>): Coverage {
  // A rep could have overlapping quota rows; count each rep once (the first).
  const byRep = new Map<string, QuotaRow>();
  for (const quota of quotas) if (!byRep.has(quota.user_id)) byRep.set(quota.user_id, quota);
  if (byRep.size === 0) return { kind: "no-quota" };

  let quotaCents = 0;
  let wonCents = 0;
  let pipelineCents = 0;
  let stalePipelineCents = 0;
  const periods = new Set<string>();
  for (const [repId, quota] of byRep) {
    quotaCents += toCents(quota.quota_cents);
    wonCents += toCents(quota.won_cents);
    pipelineCents += toCents(pipelineByRep.get(repId)?.open_cents);
    stalePipelineCents += toCents(pipelineByRep.get(repId)?.stale_cents);
    periods.add(`${quota.period_start}/${quota.period_end}`);
  }
  const [onlyPeriod] = periods.size === 1 ? [...periods] : [];
  const period = onlyPeriod
    ? {
        start: new Date(`${onlyPeriod.split("/")[0]}T00:00:00.000Z`),
        end: new Date(`${onlyPeriod.split("/")[1]}T00:00:00.000Z`),
      }
    : null;
  const remainingCents = quotaCents - wonCents;
  if (remainingCents <= 0) return { kind: "quota-met", quotaCents, wonCents, period };
  return {
    kind: "coverage",
    quotaCents,
    wonCents,
    remainingCents,
    raw: pipelineCents / remainingCents,
    adjusted: (pipelineCents - stalePipelineCents) / remainingCents,
    pipelineCents,
    stalePipelineCents,
    repsWithQuota: byRep.size,
    period,
  };
}

/** Days the period has left after the as-of date (for "with N days left"). */
export function daysLeftInPeriod(period: QuotaPeriod, asOf: Date): number {
  return Math.max(0, daysBetween(asOf, period.end));
}
