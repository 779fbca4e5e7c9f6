// The meeting's agenda: who is on it and each rep's headline figures, the
// team's summary and trend, rep- and team-level flags — in a fixed number of
// queries for every rep at once, never a query per rep or per deal.
//
// A meeting is one team's (an admin chooses it; lib/meeting/scope.ts). The
// deals a rep's screens go through (rep-deals.ts) are counted for every rep
// but loaded only for the first reps; the deck asks for the others' as their
// screens come near, so no read loads a whole organisation's or a large
// team's deals at once. Decisions: decisions.ts.
import { flagWordingSelect } from "@/lib/flags/flag-explanation";
import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { epochMs, pgArray, prismaQuery } from "@/lib/db/bulk-sql";
import { currentFlagSql, currentFlagWhere } from "@/lib/flags/current-flags";
import { loadSnapshotTrend } from "@/lib/reviews/snapshot-trend";
import { activityWindowStart, daysBetween, startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import { compareFlags, countDiscussedDeals, loadDiscussedDeals, loadDiscussionBasis, toMeetingFlag } from "./rep-deals";
import { type MeetingScope, meetingUsersWhere } from "./scope";
import type { MeetingAgenda, MeetingFigures, MeetingFlag, MeetingRep } from "./types";

export { getMeetingDecisions } from "./decisions";
export { getMeetingRepDeals } from "./rep-deals";
export type * from "./types";
export { MEETING_DEALS_PER_SCREEN, paginate } from "./types";

/** Weeks of pipeline snapshots in the trend. */
export const MEETING_TREND_WEEKS = 12;
/** "New pipeline" window on a rep's headline. */
export const NEW_PIPELINE_DAYS = 30;
/** Reps whose deals come with the agenda; the deck loads the others' as their screens come near. */
export const MEETING_REPS_LOADED_AHEAD = 10;

const Decimal = Prisma.Decimal;
type Decimal = Prisma.Decimal;
const zero = () => new Decimal(0);

export interface MeetingAgendaOptions extends MeetingScope {
  /** Load the deals of this many reps (in agenda order) with the agenda; the rest are counted only. Default: every rep's. */
  loadDealsOfFirstReps?: number;
}

function emptyFigures(): MeetingFigures {
  return {
    openDeals: 0,
    openValue: zero(),
    weightedValue: zero(),
    staleDeals: 0,
    staleValue: zero(),
    staleShare: 0,
    flaggedDeals: 0,
    flaggedValue: zero(),
    bySeverity: {
      stale: { deals: 0, value: zero() },
      at_risk: { deals: 0, value: zero() },
      nudge: { deals: 0, value: zero() },
    },
    newPipelineDeals: 0,
    newPipelineValue: zero(),
    quota: null,
    coverage: null,
  };
}

function finishFigures(figures: MeetingFigures, quotaHolders: { open: Decimal; stale: Decimal } | null): void {
  figures.staleShare = figures.openValue.isZero() ? 0 : figures.staleValue.div(figures.openValue).toNumber();
  if (figures.quota && quotaHolders && figures.quota.remaining.greaterThan(0)) {
    figures.coverage = {
      raw: quotaHolders.open.div(figures.quota.remaining).toNumber(),
      adjusted: quotaHolders.open.minus(quotaHolders.stale).div(figures.quota.remaining).toNumber(),
    };
  }
}

/** Per rep and stage: the open deals and their flags, and every deal opened by the as-of date (any status now). */
interface DealTotalsRow {
  owner_id: string;
  stage_id: number;
  open_deals: number;
  open_value: string;
  flagged_deals: number;
  flagged_value: string;
  stale_deals: number;
  stale_value: string;
  at_risk_deals: number;
  at_risk_value: string;
  nudge_deals: number;
  nudge_value: string;
  last_opened_ms: string | null;
  new_deals: number;
  new_value: string;
}

/**
 * One pass over the reps' deals opened by the as-of date: the open pipeline by
 * stage (weighted and early-stage values need the stage), the open deals'
 * worst current flag (looked up by each deal's index), the last deal opened
 * and the new pipeline. Replaces four aggregates that each read the deals again.
 */
async function loadDealTotals(
  client: DbClient,
  repIds: readonly string[],
  asOf: Date,
  newPipelineSince: Date,
): Promise<DealTotalsRow[]> {
  if (repIds.length === 0) return [];
  return prismaQuery(client)<DealTotalsRow>(
    `SELECT o."ownerId" AS owner_id, o."stageId" AS stage_id,
            count(*) FILTER (WHERE o.status = 'open')::int AS open_deals,
            coalesce(sum(o.amount) FILTER (WHERE o.status = 'open'), 0)::text AS open_value,
            count(worst.severity)::int AS flagged_deals,
            coalesce(sum(o.amount) FILTER (WHERE worst.severity IS NOT NULL), 0)::text AS flagged_value,
            count(*) FILTER (WHERE worst.severity = 'stale')::int AS stale_deals,
            coalesce(sum(o.amount) FILTER (WHERE worst.severity = 'stale'), 0)::text AS stale_value,
            count(*) FILTER (WHERE worst.severity = 'at_risk')::int AS at_risk_deals,
            coalesce(sum(o.amount) FILTER (WHERE worst.severity = 'at_risk'), 0)::text AS at_risk_value,
            count(*) FILTER (WHERE worst.severity = 'nudge')::int AS nudge_deals,
            coalesce(sum(o.amount) FILTER (WHERE worst.severity = 'nudge'), 0)::text AS nudge_value,
            ${epochMs(`max(o."openedAt")`)}::text AS last_opened_ms,
            count(*) FILTER (WHERE o."openedAt" >= $3::timestamptz)::int AS new_deals,
            coalesce(sum(o.amount) FILTER (WHERE o."openedAt" >= $3::timestamptz), 0)::text AS new_value
       FROM unnest($1::text::text[]) AS r(id)
       -- Each rep's deals by the owner index. OFFSET 0 keeps this a per-rep lookup:
       -- flattened into a join, the planner scanned every deal of the organisation.
       CROSS JOIN LATERAL (
         SELECT o.id, o."ownerId", o."stageId", o.status, o.amount, o."openedAt" FROM "Opportunity" o
          WHERE o."ownerId" = r.id AND o."openedAt" <= $2::timestamptz OFFSET 0
       ) o
       -- Open deals only; the enum's order is stale, at_risk, nudge, warning: min() is the worst.
       LEFT JOIN LATERAL (
         SELECT min(f.severity)::text AS severity FROM "Flag" f
          WHERE o.status = 'open' AND f."opportunityId" = o.id AND ${currentFlagSql("f")}
       ) worst ON true
      GROUP BY o."ownerId", o."stageId"`,
    [pgArray([...repIds]), asOf.toISOString(), newPipelineSince.toISOString()],
  );
}

interface QuotaRow {
  user_id: string;
  quota: string;
  period_start: string;
  period_end: string;
  won: string;
}

export async function getMeetingAgenda(
  viewer: Viewer,
  asOf: Date,
  client: DbClient = db,
  options: MeetingAgendaOptions = {},
): Promise<MeetingAgenda> {
  const asOfDay = startOfUtcDayNumber(utcDayNumber(asOf));
  const asOfDayText = asOfDay.toISOString().slice(0, 10);

  const [reps, basis] = await Promise.all([
    client.user.findMany({
      // Deactivated reps stay on the agenda while they still own open deals.
      where: {
        AND: [
          meetingUsersWhere(viewer, options),
          { role: "rep" },
          { OR: [{ active: true }, { opportunities: { some: { status: "open" } } }] },
        ],
      },
      orderBy: [{ team: { name: "asc" } }, { name: "asc" }],
      select: { id: true, name: true, teamId: true, team: { select: { name: true } } },
    }),
    loadDiscussionBasis(viewer, asOf, client),
  ]);
  const { stages, review: latestReview } = basis;
  const repIds = reps.map((rep) => rep.id);
  const loadedRepIds = repIds.slice(0, options.loadDealsOfFirstReps ?? repIds.length);
  const everyRepLoaded = loadedRepIds.length === repIds.length;
  const teamIds = [...new Set(reps.map((rep) => rep.teamId).filter((id): id is string => id !== null))];
  // "In the last 30 days" as the engine counts it: UTC calendar days.
  const newPipelineSince = activityWindowStart(asOf, NEW_PIPELINE_DAYS);
  const [dealTotals, quotaRows, dealsByRep, discussed, snapshots, personFlags, reviewer] = await Promise.all([
    loadDealTotals(client, repIds, asOf, newPipelineSince),
    repIds.length
      ? client.$queryRawUnsafe<QuotaRow[]>(
          // Won this period so far: quota periods are calendar days, UTC.
          `SELECT q."userId" AS user_id, q.amount::text AS quota,
                    q."periodStart"::text AS period_start, q."periodEnd"::text AS period_end,
                    coalesce(sum(o.amount), 0)::text AS won
               FROM "Quota" q
               LEFT JOIN "Opportunity" o
                 ON o."ownerId" = q."userId" AND o.status = 'won'
                AND o."closedAt" >= (q."periodStart"::timestamp AT TIME ZONE 'UTC') AND o."closedAt" <= $2
              WHERE q."userId" = ANY($1::text[]) AND q."periodStart" <= $3::date AND q."periodEnd" >= $3::date
              GROUP BY q.id
              ORDER BY q."periodStart" DESC`,
          repIds,
          asOf,
          asOfDayText,
        )
      : Promise.resolve([]),
    loadDiscussedDeals(viewer, loadedRepIds, basis, client),
    // Counted without loading for the reps whose deals come later.
    everyRepLoaded ? Promise.resolve(null) : countDiscussedDeals(repIds.slice(loadedRepIds.length), basis, client),
    // repIds are the viewer's visible reps already; the trend is scope-true (snapshot-trend.ts).
    loadSnapshotTrend(client, repIds, new Date(asOf.getTime() - (MEETING_TREND_WEEKS + 1) * 7 * 86_400_000), asOf).then(
      (weeks) => weeks.slice(-MEETING_TREND_WEEKS).reverse(),
    ),
    client.flag.findMany({
      where: {
        AND: [
          currentFlagWhere,
          { OR: [{ userId: { in: repIds } }, ...(teamIds.length ? [{ teamId: { in: teamIds } }] : [])] },
        ],
      },
      select: { ...flagWordingSelect, userId: true, teamId: true, severity: true },
    }),
    latestReview?.byId
      ? client.user.findUnique({ where: { id: latestReview.byId }, select: { name: true } })
      : Promise.resolve(null),
  ]);

  const stageById = new Map(stages.map((stage) => [stage.id, stage]));

  const figuresByRep = new Map(repIds.map((id) => [id, emptyFigures()]));
  const earlyByRep = new Map(repIds.map((id) => [id, { deals: 0, value: zero() }]));
  const lastOpenedByRep = new Map<string, Date>();
  for (const row of dealTotals) {
    const figures = figuresByRep.get(row.owner_id);
    const stage = stageById.get(row.stage_id);
    if (!figures || !stage) continue;
    if (row.last_opened_ms !== null) {
      const opened = new Date(Number(row.last_opened_ms));
      const known = lastOpenedByRep.get(row.owner_id);
      if (!known || opened > known) lastOpenedByRep.set(row.owner_id, opened);
    }
    figures.newPipelineDeals += row.new_deals;
    figures.newPipelineValue = figures.newPipelineValue.add(row.new_value);
    if (row.open_deals === 0) continue;
    const value = new Decimal(row.open_value);
    figures.openDeals += row.open_deals;
    figures.openValue = figures.openValue.add(value);
    figures.weightedValue = figures.weightedValue.add(value.mul(stage.probability).div(100));
    if (stage.early) {
      const early = earlyByRep.get(row.owner_id);
      if (early) {
        early.deals += row.open_deals;
        early.value = early.value.add(value);
      }
    }
    // A breakdown: each flagged deal counts once, at its worst severity.
    figures.flaggedDeals += row.flagged_deals;
    figures.flaggedValue = figures.flaggedValue.add(row.flagged_value);
    for (const [severity, deals, dealsValue] of [
      ["stale", row.stale_deals, row.stale_value],
      ["at_risk", row.at_risk_deals, row.at_risk_value],
      ["nudge", row.nudge_deals, row.nudge_value],
    ] as const) {
      figures.bySeverity[severity] = {
        deals: figures.bySeverity[severity].deals + deals,
        value: figures.bySeverity[severity].value.add(dealsValue),
      };
    }
    figures.staleDeals = figures.bySeverity.stale.deals;
    figures.staleValue = figures.bySeverity.stale.value;
  }
  for (const row of quotaRows) {
    const figures = figuresByRep.get(row.user_id);
    if (!figures || figures.quota) continue;
    const amount = new Decimal(row.quota);
    const won = new Decimal(row.won);
    figures.quota = {
      amount,
      won,
      remaining: Decimal.max(amount.minus(won), 0),
      periodStart: new Date(`${row.period_start}T00:00:00.000Z`),
      periodEnd: new Date(`${row.period_end}T00:00:00.000Z`),
    };
  }

  const repFlags = new Map<string, MeetingFlag[]>();
  const teamNames = new Map(
    reps.filter((rep) => rep.teamId).map((rep) => [rep.teamId as string, rep.team?.name ?? ""]),
  );
  const teamWarnings: MeetingAgenda["teamWarnings"] = [];
  for (const flag of personFlags.sort(compareFlags)) {
    if (flag.userId) repFlags.set(flag.userId, [...(repFlags.get(flag.userId) ?? []), toMeetingFlag(flag, asOf)]);
    else if (flag.teamId)
      teamWarnings.push({ ...toMeetingFlag(flag, asOf), teamName: teamNames.get(flag.teamId) ?? "" });
  }

  const summary = emptyFigures();
  let summaryQuotaHolders: { open: Decimal; stale: Decimal } | null = null;
  const agendaReps = reps.map((rep): MeetingRep => {
    const figures = figuresByRep.get(rep.id) ?? emptyFigures();
    finishFigures(figures, { open: figures.openValue, stale: figures.staleValue });
    addFigures(summary, figures);
    if (figures.quota) {
      summaryQuotaHolders ??= { open: zero(), stale: zero() };
      summaryQuotaHolders.open = summaryQuotaHolders.open.add(figures.openValue);
      summaryQuotaHolders.stale = summaryQuotaHolders.stale.add(figures.staleValue);
    }

    const deals = dealsByRep.get(rep.id);
    const early = earlyByRep.get(rep.id) ?? { deals: 0, value: zero() };
    // Early-stage deals singled out (flagged) are not in the early-stage line.
    const earlyDiscussed = deals
      ? deals
          .filter((deal) => deal.early && deal.status === "open")
          .reduce((sum, deal) => ({ deals: sum.deals + 1, value: sum.value.add(deal.amount) }), {
            deals: 0,
            value: zero(),
          })
      : (discussed?.get(rep.id)?.earlyOpen ?? { deals: 0, value: zero() });
    const lastNewDeal = lastOpenedByRep.get(rep.id);
    return {
      repId: rep.id,
      repName: rep.name,
      teamName: rep.team?.name ?? null,
      figures,
      daysSinceLastNewDeal: lastNewDeal ? daysBetween(lastNewDeal, asOf) : null,
      flags: repFlags.get(rep.id) ?? [],
      earlyGroup: { deals: early.deals - earlyDiscussed.deals, value: early.value.minus(earlyDiscussed.value) },
      discussedDeals: deals ? deals.length : (discussed?.get(rep.id)?.deals ?? 0),
      deals: deals ?? [],
      dealsLoaded: deals !== undefined,
    };
  });
  finishFigures(summary, summaryQuotaHolders);

  return {
    asOf,
    review: latestReview
      ? {
          id: latestReview.id,
          at: latestReview.at,
          asOf: latestReview.asOf,
          byName: reviewer?.name ?? null,
          teamId: latestReview.teamId,
        }
      : null,
    summary,
    teamWarnings,
    trend: snapshots
      .map((row) => ({
        weekStart: row.weekStart,
        openValue: row._sum.openValue ?? zero(),
        staleValue: row._sum.staleValue ?? zero(),
        newPipelineValue: row._sum.newPipelineValue ?? zero(),
        wonValue: row._sum.wonValue ?? zero(),
      }))
      .reverse(),
    reps: agendaReps,
  };
}

const earlier = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);
const later = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

/** Adds a rep's figures into the scope's (quota and coverage are summed separately). */
function addFigures(total: MeetingFigures, rep: MeetingFigures): void {
  total.openDeals += rep.openDeals;
  total.openValue = total.openValue.add(rep.openValue);
  total.weightedValue = total.weightedValue.add(rep.weightedValue);
  total.staleDeals += rep.staleDeals;
  total.staleValue = total.staleValue.add(rep.staleValue);
  total.flaggedDeals += rep.flaggedDeals;
  total.flaggedValue = total.flaggedValue.add(rep.flaggedValue);
  for (const severity of ["stale", "at_risk", "nudge"] as const) {
    total.bySeverity[severity] = {
      deals: total.bySeverity[severity].deals + rep.bySeverity[severity].deals,
      value: total.bySeverity[severity].value.add(rep.bySeverity[severity].value),
    };
  }
  total.newPipelineDeals += rep.newPipelineDeals;
  total.newPipelineValue = total.newPipelineValue.add(rep.newPipelineValue);
  if (rep.quota) {
    // As the team overview counts it: the team's quota minus what the team won.
    const amount = total.quota ? total.quota.amount.add(rep.quota.amount) : rep.quota.amount;
    const won = total.quota ? total.quota.won.add(rep.quota.won) : rep.quota.won;
    total.quota = {
      amount,
      won,
      remaining: Decimal.max(amount.minus(won), 0),
      periodStart: total.quota ? earlier(total.quota.periodStart, rep.quota.periodStart) : rep.quota.periodStart,
      periodEnd: total.quota ? later(total.quota.periodEnd, rep.quota.periodEnd) : rep.quota.periodEnd,
    };
  }
}

export interface MeetingTeamChoice {
  teamId: string;
  name: string;
  managerName: string | null;
  reps: number;
  openDeals: number;
}

/** The teams an admin may hold a meeting for, with their size, and how many reps have no team (no meeting holds them). */
export async function listMeetingTeams(
  viewer: Viewer,
  client: DbClient = db,
): Promise<{ teams: MeetingTeamChoice[]; repsWithoutTeam: number }> {
  if (viewer.role !== "admin") return { teams: [], repsWithoutTeam: 0 };
  const [teams, repsWithoutTeam] = await Promise.all([
    client.$queryRawUnsafe<{ id: string; name: string; manager: string | null; reps: number; open_deals: number }[]>(
      // One aggregate for every team: reps first, then their open deals.
      `SELECT t.id, t.name, m.name AS manager,
              (SELECT count(*)::int FROM "User" r WHERE r."teamId" = t.id AND r.role = 'rep' AND r.active) AS reps,
              (SELECT count(*)::int FROM "Opportunity" o JOIN "User" r ON r.id = o."ownerId"
                WHERE r."teamId" = t.id AND o.status = 'open') AS open_deals
         FROM "Team" t LEFT JOIN "User" m ON m.id = t."managerId"
        ORDER BY t.name`,
    ),
    client.user.count({ where: { role: "rep", active: true, teamId: null } }),
  ]);
  return {
    teams: teams.map((team) => ({
      teamId: team.id,
      name: team.name,
      managerName: team.manager,
      reps: team.reps,
      openDeals: team.open_deals,
    })),
    repsWithoutTeam,
  };
}
