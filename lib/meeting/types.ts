// The shapes meeting mode's reads return (lib/meeting/data.ts for the agenda,
// rep-deals.ts for a rep's deals, decisions.ts for the decisions), shared by
// the screens builder and the tests. Types and pure helpers only: no database.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { DealStatus, DecisionAction, Severity } from "@/lib/generated/prisma/enums";

type Decimal = Prisma.Decimal;

/**
 * Deals per rep screen as the server estimates it, before the browser has
 * measured the rows: the deck then re-cuts each rep's screens to what really
 * fits (lib/meeting/fit.ts), so a screen never scrolls and nothing is cut.
 */
export const MEETING_DEALS_PER_SCREEN = 10;

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
  /** Whole days flagged (from the oldest current flag); null when not flagged. */
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
  /** How many deals are discussed one by one (known before they are loaded, so the deck knows its screens). */
  discussedDeals: number;
  /**
   * The deals discussed one by one, longest flagged first; empty until loaded
   * when `dealsLoaded` is false (the deck asks for them as the rep's screen
   * comes near: rep-deals.ts getMeetingRepDeals).
   */
  deals: MeetingDealRow[];
  dealsLoaded: boolean;
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

export interface MeetingDecision {
  id: number;
  at: Date;
  action: DecisionAction;
  reason: string;
  details: Record<string, unknown> | null;
  deal: { id: number; name: string; accountName: string | null; ownerName: string; amount: Decimal; currency: string };
  /** Who decided; null for the system or an import. */
  byName: string | null;
  /** Decided in meeting mode (recorded against the review) or elsewhere during the meeting's period (a deal page). */
  inMeeting: boolean;
}

/** Splits a rep's deals into screens of at most `size` (at least one screen, even when empty). */
export function paginate<T>(items: readonly T[], size = MEETING_DEALS_PER_SCREEN): T[][] {
  if (items.length === 0) return [[]];
  const pages: T[][] = [];
  for (let start = 0; start < items.length; start += size) pages.push(items.slice(start, start + size));
  return pages;
}

/** Screens a rep with `discussed` deals takes (at least one, for the rep's figures). */
export function screensFor(discussed: number, size = MEETING_DEALS_PER_SCREEN): number {
  return Math.max(1, Math.ceil(discussed / size));
}

/** The rows of screen `page` (1-based) of `pages`: the last screen takes any rows past the count the agenda knew, so none is hidden. */
export function dealsOnPage<T>(deals: readonly T[], page: number, pages: number, size = MEETING_DEALS_PER_SCREEN): T[] {
  const start = (page - 1) * size;
  return deals.slice(start, page >= pages ? undefined : start + size);
}
