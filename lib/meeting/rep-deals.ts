// The deals a rep's meeting screens go through one by one, read for a few
// reps at a time: the agenda loads the first reps' deals with the page, the
// deck asks for the others' (getMeetingRepDeals) as their screens come near,
// so a team of 200 reps never loads every deal at once.
//
// Which deals: every open late-stage deal, every early-stage deal with a
// stale or at-risk flag (now or at the review), and every deal already
// decided in this review, whatever its status now — so a row keeps its place
// and shows its result after a decision, instead of vanishing when the deal
// leaves the pipeline. The remaining early-stage deals are one line on the
// screen ("12 early-stage deals, $340k — anything new?").
//
// Order: longest flagged first (issue 12: "flagged for 5 weeks"), then worst
// severity, then the largest amount. Both use the flags at the review as well
// as the current ones, so a decided deal keeps its row.
import { type FlagToWord, flagExplanation, flagWordingSelect } from "@/lib/flags/flag-explanation";
import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Severity } from "@/lib/generated/prisma/enums";
import { pgArray, prismaQuery } from "@/lib/db/bulk-sql";
import { currentFlagSql, currentFlagWhere, flaggedAtSql, flaggedAtWhere } from "@/lib/flags/current-flags";
import { flaggedDays, flaggedForText } from "@/lib/reviews/flagged-for";
import { daysBetween, startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import { RULES, type RuleName } from "@/lib/rules/types";
import { meetingDealsWhere } from "./scope";
import type { MeetingDealRow, MeetingFlag } from "./types";
import { pipelineOpenedAt } from "@/lib/deals/opened-date";

/** Worst first. */
const SEVERITY_RANK: Record<Severity, number> = { stale: 0, at_risk: 1, nudge: 2, warning: 3 };
const RULE_ORDER = Object.keys(RULES);
const Decimal = Prisma.Decimal;
/** Reps per deals query: Prisma loads each deal's flags, decisions and waivers with one bind parameter per deal (at most 65,535 a statement). */
const REPS_PER_QUERY = 100;

/** What the choice and the rows depend on besides the deals: the as-of date, the meeting's review, the stages. */
export interface DiscussionBasis {
  asOf: Date;
  review: { id: number; asOf: Date; at: Date; byId: string | null; teamId: string | null } | null;
  /** Average cycle (days) per team at the review; the organisation's under "*". */
  cycles: Map<string, number>;
  stages: { id: number; name: string; order: number; probability: number; early: boolean; active: boolean }[];
}

/** A stored flag for the meeting, its sentence worded as of the meeting's as-of date. */
export function toMeetingFlag(flag: FlagToWord & { severity: Severity }, asOf: Date): MeetingFlag {
  const rule = RULES[flag.rule as RuleName];
  return {
    rule: flag.rule,
    label: rule?.label ?? flag.rule,
    severity: flag.severity,
    explanation: flagExplanation(flag, asOf),
  };
}

export function compareFlags(a: { severity: Severity; rule: string }, b: { severity: Severity; rule: string }): number {
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

/** The stages and the meeting's review: two small reads every meeting read starts from. */
export async function loadDiscussionBasis(viewer: Viewer, asOf: Date, client: DbClient = db): Promise<DiscussionBasis> {
  const [stages, review] = await Promise.all([
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
  return {
    asOf,
    stages,
    cycles: cyclesFromTotals(review?.totals),
    review: review
      ? { id: review.id, at: review.at, asOf: review.asOf, byId: review.byId, teamId: review.teamId }
      : null,
  };
}

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

/**
 * The deals of these reps discussed one by one (see the header), as SQL over
 * the reps' own deals: each deal's flags and decisions are looked up by its
 * index (EXISTS per deal). Prisma's `flags: { some }` became `id IN (every
 * matching flag of the organisation)`, a scan of the whole Flag table for one
 * team. `ownerIds` must be people the viewer may see (the agenda's reps, or a
 * rep checked by the caller). Parameters: $1 the owners (array literal), $2
 * the as-of instant, $3 the review's as-of instant, $4 the review's id.
 */
function discussedDealsSql(columns: string, hasReview: boolean): string {
  // A deal is discussed individually for these even in an early stage.
  const serious = `f.severity IN ('stale', 'at_risk')`;
  return `SELECT ${columns}
    FROM unnest($1::text::text[]) AS r(id)
    -- Each rep's deals by the owner index (OFFSET 0: not flattened into a scan of every deal).
    CROSS JOIN LATERAL (
      SELECT o.id, o."ownerId", o."stageId", o.status, o.amount, o."openedAt" FROM "Opportunity" o
       WHERE o."ownerId" = r.id OFFSET 0
    ) o
    JOIN "Stage" st ON st.id = o."stageId"
   WHERE (o.status = 'open' AND o."openedAt" <= $2::timestamptz AND (
            NOT st.early
            OR EXISTS (SELECT 1 FROM "Flag" f WHERE f."opportunityId" = o.id AND ${currentFlagSql("f")} AND ${serious})
            ${
              hasReview
                ? `OR EXISTS (SELECT 1 FROM "Flag" f WHERE f."opportunityId" = o.id AND ${serious}
                     AND (${flaggedAtSql("f", "$3::timestamptz")} OR (f."startedAt" = $3::timestamptz AND f."endedAt" = $3::timestamptz)))`
                : ""
            }))
      ${hasReview ? `OR EXISTS (SELECT 1 FROM "Decision" d WHERE d."opportunityId" = o.id AND d."reviewId" = $4::int)` : ""}`;
}

function discussedDealsParams(ownerIds: readonly string[], basis: DiscussionBasis): unknown[] {
  const params: unknown[] = [pgArray([...ownerIds]), basis.asOf.toISOString()];
  if (basis.review) params.push(basis.review.asOf.toISOString(), basis.review.id);
  return params;
}

/** Per rep: how many deals the screens go through, and the open early-stage ones among them (left out of the early line). */
export interface DiscussedCount {
  deals: number;
  earlyOpen: { deals: number; value: Prisma.Decimal };
}

/** How many deals each rep's screens go through, without loading them: the deck's screen count. `ownerIds`: people the viewer may see. */
export async function countDiscussedDeals(
  ownerIds: readonly string[],
  basis: DiscussionBasis,
  client: DbClient = db,
): Promise<Map<string, DiscussedCount>> {
  if (ownerIds.length === 0) return new Map();
  const rows = await prismaQuery(client)<{ owner_id: string; early_open: boolean; deals: number; value: string }>(
    `SELECT owner_id, early_open, count(*)::int AS deals, coalesce(sum(amount), 0)::text AS value
       FROM (${discussedDealsSql(`o."ownerId" AS owner_id, o.amount, (o.status = 'open' AND st.early) AS early_open`, basis.review !== null)}) discussed
      GROUP BY owner_id, early_open`,
    discussedDealsParams(ownerIds, basis),
  );
  const counts = new Map<string, DiscussedCount>();
  for (const row of rows) {
    const count = counts.get(row.owner_id) ?? { deals: 0, earlyOpen: { deals: 0, value: new Decimal(0) } };
    count.deals += row.deals;
    if (row.early_open) {
      count.earlyOpen.deals += row.deals;
      count.earlyOpen.value = count.earlyOpen.value.add(row.value);
    }
    counts.set(row.owner_id, count);
  }
  return counts;
}

/** Each rep's deals discussed one by one, in meeting order (see the header). */
export async function loadDiscussedDeals(
  viewer: Viewer,
  ownerIds: readonly string[],
  basis: DiscussionBasis,
  client: DbClient = db,
): Promise<Map<string, MeetingDealRow[]>> {
  const { asOf, review } = basis;
  const asOfDay = startOfUtcDayNumber(utcDayNumber(asOf));
  const flaggedAtReview = review ? flaggedAtReviewWhere(review.asOf) : null;
  const load = async (someOwners: string[]) => {
    const chosen = await prismaQuery(client)<{ id: number }>(
      discussedDealsSql("o.id", review !== null),
      discussedDealsParams(someOwners, basis),
    );
    if (chosen.length === 0) return [];
    return client.opportunity.findMany({
      // The viewer's own limits once more: the ids came from owners the caller vouched for.
      where: { AND: [meetingDealsWhere(viewer, {}), { id: { in: chosen.map((row) => row.id) } }] },
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
          select: { ...flagWordingSelect, severity: true, startedAt: true },
        },
        decisions: review
          ? {
              where: { reviewId: review.id },
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
  };
  const owners = [...ownerIds];
  const batches: string[][] = [];
  for (let start = 0; start < owners.length; start += REPS_PER_QUERY) {
    batches.push(owners.slice(start, start + REPS_PER_QUERY));
  }
  const dealRows = (await Promise.all(batches.map(load))).flat();

  const activeStages = basis.stages.filter((stage) => stage.active);
  const previousStage = (order: number) => activeStages.filter((stage) => stage.order < order).at(-1) ?? null;
  const reviewAsOf = review?.asOf.getTime();
  type Sortable = { row: MeetingDealRow; rank: number; flaggedSinceMs: number | null };
  const byRep = new Map<string, Sortable[]>(owners.map((id) => [id, []]));
  for (const deal of dealRows) {
    const current = deal.flags.filter((flag) => flag.endedAt === null).sort(compareFlags);
    const atReview = reviewAsOf === undefined ? [] : deal.flags.filter((flag) => wasFlaggedAtReview(flag, reviewAsOf));
    const rank = Math.min(worstRank(atReview.length ? atReview : current), worstRank(current));
    const oldestStart = (flags: readonly { startedAt: Date }[]) =>
      flags.reduce<Date | null>(
        (oldest, flag) => (oldest === null || flag.startedAt < oldest ? flag.startedAt : oldest),
        null,
      );
    const flaggedSince = oldestStart(current);
    const orderedSince = oldestStart([...current, ...atReview]);
    const decision = deal.decisions?.[0] ?? null;
    const waiver = deal.waivers[0] ?? null;
    const cycle = basis.cycles.get(deal.owner.teamId ?? "") ?? basis.cycles.get("*") ?? null;
    const ageDays = daysBetween(pipelineOpenedAt(deal), asOf);
    const previous = deal.status === "open" ? previousStage(deal.stage.order) : null;
    byRep.get(deal.ownerId)?.push({
      rank,
      flaggedSinceMs: orderedSince?.getTime() ?? null,
      row: {
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
        flags: current.map((flag) => toMeetingFlag(flag, asOf)),
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
      },
    });
  }
  const ordered = new Map<string, MeetingDealRow[]>();
  for (const [repId, deals] of byRep) {
    ordered.set(
      repId,
      deals.sort(meetingOrder).map((deal) => deal.row),
    );
  }
  return ordered;
}

/** Longest flagged first (never-flagged last), then worst severity, then the largest amount. */
function meetingOrder(
  a: { row: MeetingDealRow; rank: number; flaggedSinceMs: number | null },
  b: { row: MeetingDealRow; rank: number; flaggedSinceMs: number | null },
): number {
  const since = (deal: { flaggedSinceMs: number | null }) => deal.flaggedSinceMs ?? Number.POSITIVE_INFINITY;
  return since(a) - since(b) || a.rank - b.rank || b.row.amount.comparedTo(a.row.amount) || a.row.id - b.row.id;
}

/**
 * One rep's deals for their meeting screens, as the deck asks for them when
 * the rep's screen comes near. Empty when the viewer may not see the rep's deals.
 */
export async function getMeetingRepDeals(
  viewer: Viewer,
  repId: string,
  asOf: Date,
  client: DbClient = db,
): Promise<MeetingDealRow[]> {
  const basis = await loadDiscussionBasis(viewer, asOf, client);
  const deals = await loadDiscussedDeals(viewer, [repId], basis, client);
  return deals.get(repId) ?? [];
}
