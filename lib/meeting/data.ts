// Reads for meeting mode: the weekly pipeline meeting walks the team from a
// summary to one screen per rep, then the decisions taken.
//
// One agenda for the whole scope in a fixed number of queries (reps, stages,
// the current review, then per-rep aggregates and the deals to discuss, each
// one query for every rep at once) — never a query per rep or per deal.
//
// Which deals are discussed one by one: every open late-stage deal, every
// early-stage deal with a stale or at-risk flag (now or at the review), and
// every deal already decided in this review, whatever its status now — so a
// row keeps its place and shows its result after a decision, instead of
// vanishing when the deal leaves the pipeline. The remaining early-stage deals
// are one line: "12 early-stage deals, $340k — anything new?".
import "server-only";
import { visibleDealsWhere, visibleUsersWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { DealStatus, DecisionAction, Severity } from "@/lib/generated/prisma/enums";
import { activityWindowStart, daysBetween, startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import { chunks } from "@/lib/db/bulk-sql";
import { currentFlagSql, currentFlagWhere, flaggedAtWhere } from "@/lib/flags/current-flags";
import { flaggedDays, flaggedForText } from "@/lib/reviews/flagged-for";
import { loadSnapshotTrend } from "@/lib/reviews/snapshot-trend";

/**
 * The flags "at the review": the episodes current at its as-of instant, and
 * those that started at it and ended at the same instant — with a fixed as-of
 * date a decision taken in the meeting ends a flag at the review's own as-of.
 */
function flaggedAtReviewWhere(asOf: Date): Prisma.FlagWhereInput {
  return { OR: [flaggedAtWhere(asOf), { startedAt: asOf, endedAt: asOf }] };
}

function wasFlaggedAtReview(flag: { startedAt: Date; endedAt: Date | null }, asOf: number): boolean {
  const started = flag.startedAt.getTime();
  const ended = flag.endedAt?.getTime() ?? null;
  return (started <= asOf && (ended === null || ended > asOf)) || (started === asOf && ended === asOf);
}
import { RULES, type RuleName } from "@/lib/rules/types";
import { pipelineOpenedAt } from "@/lib/deals/opened-date";

/** Deals per rep screen: fits a 1280×720 projector without scrolling, with a row wrapping a long name onto two lines and the rep's "since last week" line. */
export const MEETING_DEALS_PER_SCREEN = 12;
/** Weeks of pipeline snapshots in the trend. */
export const MEETING_TREND_WEEKS = 12;
/** "New pipeline" window on a rep's headline. */
export const NEW_PIPELINE_DAYS = 30;

const Decimal = Prisma.Decimal;
type Decimal = Prisma.Decimal;
const zero = () => new Decimal(0);

/** Worst first; a deal is discussed individually for these even in an early stage. */
const SEVERITY_RANK: Record<Severity, number> = { stale: 0, at_risk: 1, nudge: 2, warning: 3 };
const DISCUSS_SEVERITIES: Severity[] = ["stale", "at_risk"];
const RULE_ORDER = Object.keys(RULES);

export interface MeetingReview {
  id: number;
  at: Date;
  asOf: Date;
  byName: string | null;
  /** Null: the whole organisation was reviewed. */
  teamId: string | null;
}

export interface MeetingFlag {
  rule: string;
  label: string;
  severity: Severity;
  explanation: string;
}

export interface MeetingOutcome {
  action: DecisionAction;
  reason: string;
  /** What the action recorded: { from, to } for a move back, { until } for a waiver, { stage } otherwise. */
  details: Record<string, unknown> | null;
  at: Date;
}

export interface MeetingDealRow {
  id: number;
  name: string;
  /** Optimistic concurrency: the decision forms send it back. */
  version: number;
  accountName: string | null;
  stageName: string;
  early: boolean;
  status: DealStatus;
  amount: Decimal;
  currency: string;
  /** Days from openedAt to asOf: moving back does not reset it. */
  ageDays: number;
  /** Age over the team's average cycle at the review (null without a review). */
  cycleMultiple: number | null;
  /** Null when no stage history says when it entered its stage. */
  daysInStage: number | null;
  /** Current flags, worst first: the first is the one to talk about. */
  flags: MeetingFlag[];
  /** "flagged for 5 weeks (since Oct 30)", from the oldest current flag; null when not flagged. */
  flaggedFor: string | null;
  /** Whole days flagged (for ordering); null when not flagged. */
  flaggedDays: number | null;
  /** An active waiver (manager keep or waiting on buyer) holding its flags back. */
  waiver: { kind: "waiting_on_buyer" | "manager_keep"; until: Date; reason: string } | null;
  /** The latest decision on this deal in the current review. */
  decision: MeetingOutcome | null;
  /** The stage "move back" would put it in; null in the first stage or when not open. */
  previousStageName: string | null;
}

export interface MeetingQuota {
  amount: Decimal;
  /** Won this period up to asOf. */
  won: Decimal;
  /** Quota left after this period's won deals, never below zero (for a team: total quota − total won). */
  remaining: Decimal;
  periodStart: Date;
  periodEnd: Date;
}

export interface MeetingFigures {
  openDeals: number;
  openValue: Decimal;
  weightedValue: Decimal;
  /** Deals with a current stale flag, and their value. */
  staleDeals: number;
  staleValue: Decimal;
  /** Stale value / open value, 0..1 (0 with no open pipeline). */
  staleShare: number;
  flaggedDeals: number;
  flaggedValue: Decimal;
  /** Deals with at least one current flag of the severity (a deal counts once per severity). */
  bySeverity: Record<"stale" | "at_risk" | "nudge", { deals: number; value: Decimal }>;
  newPipelineDeals: number;
  newPipelineValue: Decimal;
  /** Quota of the people who have one this period; null when nobody has one. */
  quota: MeetingQuota | null;
  /** Open value (raw) and open value without stale deals (integrity-adjusted) over the remaining quota. */
  coverage: { raw: number; adjusted: number } | null;
}

export interface MeetingRep {
  repId: string;
  repName: string;
  teamName: string | null;
  figures: MeetingFigures;
  /** Days since the rep last opened a deal; null when they never did. */
  daysSinceLastNewDeal: number | null;
  /** Rep-level flags (no new pipeline). */
  flags: MeetingFlag[];
  /** Early-stage open deals not discussed one by one. */
  earlyGroup: { deals: number; value: Decimal };
  /** The deals discussed one by one, worst first; `pages` splits them per screen. */
  deals: MeetingDealRow[];
  pages: MeetingDealRow[][];
}

export interface MeetingTrendPoint {
  weekStart: Date;
  openValue: Decimal;
  staleValue: Decimal;
  newPipelineValue: Decimal;
  wonValue: Decimal;
}

export interface MeetingAgenda {
  asOf: Date;
  review: MeetingReview | null;
  /** The whole scope: every rep on the agenda together. */
  summary: MeetingFigures;
  /** Team-level warnings (the sales trap), with the team's name. */
  teamWarnings: (MeetingFlag & { teamName: string })[];
  /** Weekly snapshots of the scope, oldest first. */
  trend: MeetingTrendPoint[];
  reps: MeetingRep[];
}

/** Splits a rep's deals into screens of at most `size` (at least one screen, even when empty). */
export function paginate<T>(items: readonly T[], size = MEETING_DEALS_PER_SCREEN): T[][] {
  if (items.length === 0) return [[]];
  const pages: T[][] = [];
  for (let start = 0; start < items.length; start += size) pages.push(items.slice(start, start + size));
  return pages;
}

function toMeetingFlag(flag: { rule: string; severity: Severity; explanation: string }): MeetingFlag {
  const rule = RULES[flag.rule as RuleName];
  return { rule: flag.rule, label: rule?.label ?? flag.rule, severity: flag.severity, explanation: flag.explanation };
}

function compareFlags(a: { severity: Severity; rule: string }, b: { severity: Severity; rule: string }): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule)
  );
}

function worstRank(flags: readonly { severity: Severity }[]): number {
  return flags.reduce((best, flag) => Math.min(best, SEVERITY_RANK[flag.severity]), 4);
}

/**
 * The review this meeting records decisions against: the latest one covering
 * the viewer's scope (their team's, or an organisation-wide one).
 */
function currentReviewWhere(viewer: Viewer): Prisma.ReviewWhereInput {
  if (viewer.role === "admin") return {};
  return viewer.teamId ? { OR: [{ teamId: viewer.teamId }, { teamId: null }] } : { teamId: null };
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

/** Average cycle (days) per team from the review's stored totals; the organisation's under "*". */
function cyclesFromTotals(totals: unknown): Map<string, number> {
  const cycles = new Map<string, number>();
  if (typeof totals !== "object" || totals === null) return cycles;
  const record = totals as {
    organisationCycle?: { days?: unknown };
    byTeam?: Record<string, { cycle?: { days?: unknown } }>;
  };
  const organisation = Number(record.organisationCycle?.days);
  if (organisation > 0) cycles.set("*", organisation);
  for (const [teamId, team] of Object.entries(record.byTeam ?? {})) {
    const days = Number(team?.cycle?.days);
    if (days > 0) cycles.set(teamId, days);
  }
  return cycles;
}

interface FlagAggregateRow {
  owner_id: string;
  severity: Severity | "any";
  deals: number;
  value: string;
}

interface QuotaRow {
  user_id: string;
  quota: string;
  period_start: string;
  period_end: string;
  won: string;
}

const MEETING_REPS_PER_QUERY = 100;

export async function getMeetingAgenda(viewer: Viewer, asOf: Date, client: DbClient = db): Promise<MeetingAgenda> {
  const asOfDay = startOfUtcDayNumber(utcDayNumber(asOf));
  const asOfDayText = asOfDay.toISOString().slice(0, 10);

  const [reps, stages, latestReview] = await Promise.all([
    client.user.findMany({
      // Deactivated reps stay on the agenda while they still own open deals.
      where: {
        AND: [
          visibleUsersWhere(viewer),
          { role: "rep" },
          { OR: [{ active: true }, { opportunities: { some: { status: "open" } } }] },
        ],
      },
      orderBy: [{ team: { name: "asc" } }, { name: "asc" }],
      select: { id: true, name: true, teamId: true, team: { select: { name: true } } },
    }),
    client.stage.findMany({
      orderBy: { order: "asc" },
      select: { id: true, name: true, order: true, probability: true, early: true, active: true },
    }),
    client.review.findFirst({
      where: currentReviewWhere(viewer),
      orderBy: { id: "desc" },
      select: { id: true, at: true, asOf: true, byId: true, teamId: true, totals: true },
    }),
  ]);
  const repIds = reps.map((rep) => rep.id);
  const reviewId = latestReview?.id ?? null;
  const flaggedAtReview = latestReview ? flaggedAtReviewWhere(latestReview.asOf) : null;
  const teamIds = [...new Set(reps.map((rep) => rep.teamId).filter((id): id is string => id !== null))];
  // "In the last 30 days" as the engine counts it: UTC calendar days.
  const newPipelineSince = activityWindowStart(asOf, NEW_PIPELINE_DAYS);
  const openInScope: Prisma.OpportunityWhereInput = {
    AND: [visibleDealsWhere(viewer), { ownerId: { in: repIds }, status: "open", openedAt: { lte: asOf } }],
  };

  const loadDeals = (ownerIds: string[]) =>
    client.opportunity.findMany({
      where: {
        AND: [
          visibleDealsWhere(viewer),
          { ownerId: { in: ownerIds } },
          {
            OR: [
              {
                status: "open",
                openedAt: { lte: asOf },
                OR: [
                  { stage: { early: false } },
                  { flags: { some: { ...currentFlagWhere, severity: { in: DISCUSS_SEVERITIES } } } },
                  ...(flaggedAtReview
                    ? [{ flags: { some: { ...flaggedAtReview, severity: { in: DISCUSS_SEVERITIES } } } }]
                    : []),
                ],
              },
              ...(reviewId ? [{ decisions: { some: { reviewId } } }] : []),
            ],
          },
        ],
      },
      select: {
        id: true,
        name: true,
        version: true,
        ownerId: true,
        amount: true,
        currency: true,
        status: true,
        openedAt: true,
        stageEnteredAt: true,
        account: { select: { name: true } },
        stage: { select: { name: true, order: true, early: true } },
        owner: { select: { teamId: true } },
        flags: {
          where: flaggedAtReview ? { OR: [currentFlagWhere, flaggedAtReview] } : currentFlagWhere,
          select: { rule: true, severity: true, explanation: true, startedAt: true, endedAt: true },
        },
        decisions: reviewId
          ? {
              where: { reviewId },
              orderBy: [{ at: "desc" }, { id: "desc" }],
              select: { action: true, reason: true, details: true, at: true },
            }
          : false,
        waivers: {
          where: { endedAt: null, until: { gte: asOfDay }, createdAt: { lte: asOf } },
          orderBy: { until: "desc" },
          select: { kind: true, until: true, reason: true },
        },
      },
    });
  const [stageTotals, flagTotals, quotaRows, lastOpened, newPipeline, dealRows, snapshots, personFlags, reviewer] =
    await Promise.all([
      client.opportunity.groupBy({
        by: ["ownerId", "stageId"],
        where: openInScope,
        _count: { _all: true },
        _sum: { amount: true },
      }),
      repIds.length
        ? client.$queryRawUnsafe<FlagAggregateRow[]>(
            // A breakdown: each flagged deal counts once, at its worst severity
            // (the enum's order is stale, at_risk, nudge, warning).
            `WITH flagged AS (
               SELECT o.id, o."ownerId" AS owner_id, o.amount, min(f.severity)::text AS severity
                 FROM "Flag" f
                 JOIN "Opportunity" o ON o.id = f."opportunityId"
                WHERE ${currentFlagSql("f")} AND o.status = 'open' AND o."openedAt" <= $2
                  AND o."ownerId" = ANY($1::text[])
                GROUP BY o.id, o."ownerId", o.amount
             )
             SELECT owner_id, severity, count(*)::int AS deals, sum(amount)::text AS value
               FROM flagged GROUP BY owner_id, severity
             UNION ALL
             SELECT owner_id, 'any', count(*)::int, sum(amount)::text
               FROM (SELECT DISTINCT id, owner_id, amount FROM flagged) deal GROUP BY owner_id`,
            repIds,
            asOf,
          )
        : Promise.resolve([]),
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
      client.opportunity.groupBy({
        by: ["ownerId"],
        where: { AND: [visibleDealsWhere(viewer), { ownerId: { in: repIds }, openedAt: { lte: asOf } }] },
        _max: { openedAt: true },
      }),
      client.opportunity.groupBy({
        by: ["ownerId"],
        where: {
          AND: [visibleDealsWhere(viewer), { ownerId: { in: repIds }, openedAt: { gte: newPipelineSince, lte: asOf } }],
        },
        _count: { _all: true },
        _sum: { amount: true },
      }),
      // A hundred reps at a time: Prisma loads each deal's flags, decisions
      // and waivers with one parameter per deal, and a statement takes at most
      // 65,535 (an admin's meeting over 2,000 reps and 73,000 deals to discuss
      // failed with "bind message has 8200 parameter formats").
      Promise.all(chunks(repIds, MEETING_REPS_PER_QUERY).map(loadDeals)).then((parts) => parts.flat()),
      // repIds are the viewer's visible reps already; the trend is scope-true (snapshot-trend.ts).
      loadSnapshotTrend(
        client,
        repIds,
        new Date(asOf.getTime() - (MEETING_TREND_WEEKS + 1) * 7 * 86_400_000),
        asOf,
      ).then((weeks) => weeks.slice(-MEETING_TREND_WEEKS).reverse()),
      client.flag.findMany({
        where: {
          AND: [
            currentFlagWhere,
            { OR: [{ userId: { in: repIds } }, ...(teamIds.length ? [{ teamId: { in: teamIds } }] : [])] },
          ],
        },
        select: { userId: true, teamId: true, rule: true, severity: true, explanation: true },
      }),
      latestReview?.byId
        ? client.user.findUnique({ where: { id: latestReview.byId }, select: { name: true } })
        : Promise.resolve(null),
    ]);

  const stageById = new Map(stages.map((stage) => [stage.id, stage]));
  const activeStages = stages.filter((stage) => stage.active);
  const previousStage = (order: number) => activeStages.filter((stage) => stage.order < order).at(-1) ?? null;
  const cycles = cyclesFromTotals(latestReview?.totals);

  const figuresByRep = new Map(repIds.map((id) => [id, emptyFigures()]));
  const earlyByRep = new Map(repIds.map((id) => [id, { deals: 0, value: zero() }]));
  for (const row of stageTotals) {
    const figures = figuresByRep.get(row.ownerId);
    const stage = stageById.get(row.stageId);
    if (!figures || !stage) continue;
    const value = row._sum.amount ?? zero();
    figures.openDeals += row._count._all;
    figures.openValue = figures.openValue.add(value);
    figures.weightedValue = figures.weightedValue.add(value.mul(stage.probability).div(100));
    if (stage.early) {
      const early = earlyByRep.get(row.ownerId);
      if (early) {
        early.deals += row._count._all;
        early.value = early.value.add(value);
      }
    }
  }
  for (const row of flagTotals) {
    const figures = figuresByRep.get(row.owner_id);
    if (!figures) continue;
    const value = new Decimal(row.value ?? 0);
    if (row.severity === "any") {
      figures.flaggedDeals = row.deals;
      figures.flaggedValue = value;
    } else if (row.severity === "stale" || row.severity === "at_risk" || row.severity === "nudge") {
      figures.bySeverity[row.severity] = { deals: row.deals, value };
      if (row.severity === "stale") {
        figures.staleDeals = row.deals;
        figures.staleValue = value;
      }
    }
  }
  for (const row of newPipeline) {
    const figures = figuresByRep.get(row.ownerId);
    if (!figures) continue;
    figures.newPipelineDeals = row._count._all;
    figures.newPipelineValue = row._sum.amount ?? zero();
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

  // Deals discussed one by one, grouped per rep, worst first. The order uses
  // the flags at the review when there is one, so a row keeps its place after
  // a decision clears its current flags.
  const dealsByRep = new Map<string, (MeetingDealRow & { rank: number })[]>(repIds.map((id) => [id, []]));
  for (const deal of dealRows) {
    const current = deal.flags.filter((flag) => flag.endedAt === null).sort(compareFlags);
    const reviewAsOf = latestReview?.asOf.getTime();
    const atReview = reviewAsOf === undefined ? [] : deal.flags.filter((flag) => wasFlaggedAtReview(flag, reviewAsOf));
    const rank = Math.min(worstRank(atReview.length ? atReview : current), worstRank(current));
    const flaggedSince = current.reduce<Date | null>(
      (oldest, flag) => (oldest === null || flag.startedAt < oldest ? flag.startedAt : oldest),
      null,
    );
    const decision = deal.decisions?.[0] ?? null;
    const waiver = deal.waivers[0] ?? null;
    const cycle = cycles.get(deal.owner.teamId ?? "") ?? cycles.get("*") ?? null;
    const ageDays = daysBetween(pipelineOpenedAt(deal), asOf);
    const previous = deal.status === "open" ? previousStage(deal.stage.order) : null;
    dealsByRep.get(deal.ownerId)?.push({
      rank,
      id: deal.id,
      name: deal.name,
      version: deal.version,
      accountName: deal.account?.name ?? null,
      stageName: deal.stage.name,
      early: deal.stage.early,
      status: deal.status,
      amount: deal.amount,
      currency: deal.currency,
      ageDays,
      cycleMultiple: cycle ? Math.round((ageDays / cycle) * 10) / 10 : null,
      daysInStage: deal.stageEnteredAt ? Math.max(0, daysBetween(deal.stageEnteredAt, asOf)) : null,
      flags: current.map(toMeetingFlag),
      flaggedFor: flaggedSince ? flaggedForText(flaggedSince, asOf) : null,
      flaggedDays: flaggedSince ? flaggedDays(flaggedSince, asOf) : null,
      waiver: waiver ? { kind: waiver.kind, until: waiver.until, reason: waiver.reason } : null,
      decision: decision
        ? {
            action: decision.action,
            reason: decision.reason,
            details:
              decision.details && typeof decision.details === "object" && !Array.isArray(decision.details)
                ? (decision.details as Record<string, unknown>)
                : null,
            at: decision.at,
          }
        : null,
      previousStageName: previous?.name ?? null,
    });
  }

  const repFlags = new Map<string, MeetingFlag[]>();
  const teamNames = new Map(
    reps.filter((rep) => rep.teamId).map((rep) => [rep.teamId as string, rep.team?.name ?? ""]),
  );
  const teamWarnings: MeetingAgenda["teamWarnings"] = [];
  for (const flag of personFlags.sort(compareFlags)) {
    if (flag.userId) repFlags.set(flag.userId, [...(repFlags.get(flag.userId) ?? []), toMeetingFlag(flag)]);
    else if (flag.teamId) teamWarnings.push({ ...toMeetingFlag(flag), teamName: teamNames.get(flag.teamId) ?? "" });
  }
  const lastOpenedByRep = new Map(lastOpened.map((row) => [row.ownerId, row._max.openedAt]));

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

    const deals = (dealsByRep.get(rep.id) ?? [])
      .sort((a, b) => a.rank - b.rank || b.amount.comparedTo(a.amount) || a.id - b.id)
      .map(({ rank: _rank, ...deal }) => deal);
    const early = earlyByRep.get(rep.id) ?? { deals: 0, value: zero() };
    const earlyDiscussed = deals.filter((deal) => deal.early && deal.status === "open");
    const lastNewDeal = lastOpenedByRep.get(rep.id);
    return {
      repId: rep.id,
      repName: rep.name,
      teamName: rep.team?.name ?? null,
      figures,
      daysSinceLastNewDeal: lastNewDeal ? daysBetween(lastNewDeal, asOf) : null,
      flags: repFlags.get(rep.id) ?? [],
      earlyGroup: {
        deals: early.deals - earlyDiscussed.length,
        value: earlyDiscussed.reduce((value, deal) => value.minus(deal.amount), early.value),
      },
      deals,
      pages: paginate(deals),
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

export interface MeetingDecision {
  id: number;
  at: Date;
  action: DecisionAction;
  reason: string;
  details: Record<string, unknown> | null;
  deal: { id: number; name: string; accountName: string | null; ownerName: string; amount: Decimal; currency: string };
  /** Who decided; null for the system or an import. */
  byName: string | null;
}

/** Decisions recorded against a review on deals the viewer may see, in the order they were taken. */
export async function getMeetingDecisions(
  viewer: Viewer,
  reviewId: number,
  client: DbClient = db,
): Promise<MeetingDecision[]> {
  const decisions = await client.decision.findMany({
    where: { reviewId, opportunity: visibleDealsWhere(viewer) },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: {
      id: true,
      at: true,
      action: true,
      reason: true,
      details: true,
      byId: true,
      opportunity: {
        select: {
          id: true,
          name: true,
          amount: true,
          currency: true,
          account: { select: { name: true } },
          owner: { select: { name: true } },
        },
      },
    },
  });
  const byIds = [...new Set(decisions.map((decision) => decision.byId).filter((id): id is string => id !== null))];
  const people = byIds.length
    ? await client.user.findMany({ where: { id: { in: byIds } }, select: { id: true, name: true } })
    : [];
  const nameById = new Map(people.map((person) => [person.id, person.name]));
  return decisions.map((decision) => ({
    id: decision.id,
    at: decision.at,
    action: decision.action,
    reason: decision.reason,
    details:
      decision.details && typeof decision.details === "object" && !Array.isArray(decision.details)
        ? (decision.details as Record<string, unknown>)
        : null,
    deal: {
      id: decision.opportunity.id,
      name: decision.opportunity.name,
      accountName: decision.opportunity.account?.name ?? null,
      ownerName: decision.opportunity.owner.name,
      amount: decision.opportunity.amount,
      currency: decision.opportunity.currency,
    },
    byName: decision.byId ? (nameById.get(decision.byId) ?? null) : null,
  }));
}
