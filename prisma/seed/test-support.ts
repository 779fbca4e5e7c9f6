// Helpers for the generator's tests: the generated rows indexed the way the
// tests ask about them (by deal, by rep, by team), with plain loops so the
// checks do not share code with the generator they check.
import { DAY_MS } from "./calendar";
import type {
  ActivityRow,
  AmountChangeRow,
  CloseDateChangeRow,
  DemoOrganisation,
  OpportunityRow,
  StageChangeRow,
  UserRow,
} from "./rows";
import { decimalToCents } from "./rows";

export interface IndexedOrganisation {
  org: DemoOrganisation;
  todayMs: number;
  todayDay: number;
  deal: (externalId: string) => OpportunityRow;
  user: (email: string) => UserRow;
  activitiesOf: Map<number, ActivityRow[]>;
  stageChangesOf: Map<number, StageChangeRow[]>;
  closeDateChangesOf: Map<number, CloseDateChangeRow[]>;
  amountChangesOf: Map<number, AmountChangeRow[]>;
  dealsOf: Map<string, OpportunityRow[]>;
  teamOf: Map<string, string>;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => number | string): Map<number | string, T[]> {
  const groups = new Map<number | string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

export function indexOrganisation(org: DemoOrganisation): IndexedOrganisation {
  const byExternalId = new Map(org.opportunities.map((deal) => [deal.externalId, deal]));
  const byEmail = new Map(org.users.map((user) => [user.email, user]));
  return {
    org,
    todayMs: org.today.getTime(),
    todayDay: org.today.getTime() / DAY_MS,
    deal(externalId) {
      const found = byExternalId.get(externalId);
      if (!found) throw new Error(`No deal ${externalId}`);
      return found;
    },
    user(email) {
      const found = byEmail.get(email);
      if (!found) throw new Error(`No user ${email}`);
      return found;
    },
    activitiesOf: groupBy(org.activities, (row) => row.opportunityId) as Map<number, ActivityRow[]>,
    stageChangesOf: groupBy(org.stageChanges, (row) => row.opportunityId) as Map<number, StageChangeRow[]>,
    closeDateChangesOf: groupBy(org.closeDateChanges, (row) => row.opportunityId) as Map<number, CloseDateChangeRow[]>,
    amountChangesOf: groupBy(org.amountChanges, (row) => row.opportunityId) as Map<number, AmountChangeRow[]>,
    dealsOf: groupBy(org.opportunities, (row) => row.ownerId) as Map<string, OpportunityRow[]>,
    teamOf: new Map(org.users.map((user) => [user.id, user.teamId ?? ""])),
  };
}

/** The value, or a failure naming what was missing (the lint forbids `!`). */
export function present<T>(value: T | null | undefined, what = "a value"): T {
  if (value === null || value === undefined) throw new Error(`Expected ${what}, got ${value}`);
  return value;
}

/** Whole UTC days from an instant to the demo's today (the engine's way of counting). */
export function daysAgo(ix: IndexedOrganisation, instant: Date | null): number | null {
  if (!instant) return null;
  return ix.todayDay - Math.floor(instant.getTime() / DAY_MS);
}

export function cents(amount: string): number {
  return decimalToCents(amount);
}

export function sumCents(deals: readonly OpportunityRow[]): number {
  let total = 0;
  for (const deal of deals) total += cents(deal.amount);
  return total;
}

/** The quota row of a rep for the quarter containing the demo's today. */
export function currentQuotaCents(ix: IndexedOrganisation, userId: string): number {
  const quota = ix.org.quotas.find(
    (q) => q.userId === userId && q.periodStart.getTime() <= ix.todayMs && q.periodEnd.getTime() >= ix.todayMs,
  );
  if (!quota) throw new Error(`No current quota for ${userId}`);
  return cents(quota.amount);
}

/** Open at an instant (the review's definition: opened by then, not closed by then; prospects left out). */
export function openAt(deal: OpportunityRow, ms: number): boolean {
  if (deal.status === "prospect") return false;
  return deal.openedAt.getTime() <= ms && (deal.closedAt === null || deal.closedAt.getTime() > ms);
}
