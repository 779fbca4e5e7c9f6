// Builders for the engine's tests: a healthy deal that no rule flags, which
// each test changes in the one way it is about.
import { MS_PER_DAY } from "./days";
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from "./settings";
import { buildRuleContext, type RuleContext, type TeamRef, type WonDealFacts, type WonStageStint } from "./statistics";
import type { DealFacts } from "./types";

/** Mid-afternoon UTC, which is late morning in New York (tests run there). */
export const AS_OF = new Date("2024-06-14T15:00:00Z");

/** The same time of day, `n` UTC days earlier (negative: later). */
export function daysBefore(n: number, from: Date = AS_OF): Date {
  return new Date(from.getTime() - n * MS_PER_DAY);
}

/** A calendar date as a `date` column arrives from Prisma: UTC midnight. */
export function utcDate(isoDay: string): Date {
  return new Date(`${isoDay}T00:00:00Z`);
}

export function settingsWith(overrides: Partial<RuleSettings> = {}): RuleSettings {
  return { ...DEFAULT_RULE_SETTINGS, ...overrides };
}

/** Opened 30 days ago, both sides active 2 days ago, moved forward 10 days ago, closing next month. */
export function healthyDeal(overrides: Partial<DealFacts> = {}): DealFacts {
  return {
    id: 1,
    name: "Acme renewal",
    ownerId: "rep-1",
    teamId: null,
    stageId: 3,
    stageName: "Proposal",
    stageOrder: 3,
    stageMaxDaysInStage: null,
    amountCents: 5_000_000,
    currency: "USD",
    openedAt: daysBefore(30),
    expectedCloseDate: utcDate("2024-07-15"),
    lastActivityAt: daysBefore(2),
    lastBuyerActivityAt: daysBefore(2),
    lastSellerActivityAt: daysBefore(2),
    stageEnteredAt: daysBefore(10),
    lastForwardMoveAt: daysBefore(10),
    closeDatePushCount: 0,
    sellerActivitiesInWindow: 3,
    buyerActivitiesInWindow: 2,
    waivers: [],
    ...overrides,
  };
}

/** `count` won deals of `cycleDays` each, won `closedDaysAgo` days before AS_OF. */
export function wonDeals(count: number, cycleDays: number, teamId: string | null, closedDaysAgo = 10): WonDealFacts[] {
  return Array.from({ length: count }, () => ({
    teamId,
    openedAt: daysBefore(closedDaysAgo + cycleDays),
    closedAt: daysBefore(closedDaysAgo),
  }));
}

/** Won deals that each spent `daysInStage` in `stageId`, with ids from `firstDealId`. */
export function wonStints(count: number, stageId: number, daysInStage: number, firstDealId = 1000): WonStageStint[] {
  return Array.from({ length: count }, (_, i) => ({
    dealId: firstDealId + i,
    stageId,
    enteredAt: daysBefore(20 + daysInStage),
    leftAt: daysBefore(20),
    closedAt: daysBefore(15),
  }));
}

export function contextWith(
  input: {
    teams?: TeamRef[];
    wonDeals?: WonDealFacts[];
    wonStageStints?: WonStageStint[];
    /** False: the organisation has no activities at all. */
    activitiesRecorded?: boolean;
  } = {},
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
  asOf: Date = AS_OF,
): RuleContext {
  return buildRuleContext(
    {
      teams: input.teams ?? [],
      wonDeals: input.wonDeals ?? [],
      wonStageStints: input.wonStageStints ?? [],
      activitiesRecorded: input.activitiesRecorded ?? true,
    },
    settings,
    asOf,
  );
}
