// Shared row shaping for the deal screens: the one select that reads an open
// deal with its current flags and waivers, and its conversion to a
// DealRowView. Money leaves here as integer cents (Decimal × 100, exact);
// clocks are UTC calendar days counted with lib/rules/days.ts, as the rules count.
import { flagExplanation, flagWordingSelect } from "@/lib/flags/flag-explanation";
import "server-only";
import type { DbClient } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { currentFlagWhere } from "@/lib/flags/current-flags";
import { flaggedDays, flaggedForText } from "@/lib/reviews/flagged-for";
import { daysBetween, startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import { type DealRowView, flagViews, type StageOption } from "./deal-row-view";
import { pipelineOpenedAt } from "./opened-date";

/** Prisma Decimal → integer cents, exactly. */
export function cents(value: Prisma.Decimal | null | undefined): number {
  return value ? Number(value.mul(100).toFixed(0)) : 0;
}

/** Days from an instant to asOf; null when it never happened or happens after asOf (not yet, as of then). */
export function daysSince(instant: Date | null, asOf: Date): number | null {
  if (!instant || instant.getTime() > asOf.getTime()) return null;
  return daysBetween(instant, asOf);
}

export function asOfDay(asOf: Date): Date {
  return startOfUtcDayNumber(utcDayNumber(asOf));
}

/** Waivers in effect on asOf's day (granted by then, not replaced, not expired). */
export function waiversInEffectWhere(asOf: Date): Prisma.WaiverWhereInput {
  return {
    until: { gte: asOfDay(asOf) },
    createdAt: { lte: asOf },
    OR: [{ endedAt: null }, { endedAt: { gt: asOf } }],
  };
}

export const dealRowSelect = (asOf: Date) =>
  ({
    id: true,
    source: true,
    externalId: true,
    name: true,
    version: true,
    ownerId: true,
    amount: true,
    currency: true,
    openedAt: true,
    expectedCloseDate: true,
    lastActivityAt: true,
    lastBuyerActivityAt: true,
    stageEnteredAt: true,
    closeDatePushCount: true,
    nextStep: true,
    owner: { select: { teamId: true } },
    account: { select: { name: true } },
    stage: { select: { id: true, name: true, order: true, early: true, probability: true } },
    flags: {
      where: currentFlagWhere,
      select: { ...flagWordingSelect, severity: true, startedAt: true },
    },
    waivers: {
      where: waiversInEffectWhere(asOf),
      orderBy: { until: "desc" },
      select: { id: true, kind: true, until: true, reason: true, byId: true },
    },
  }) satisfies Prisma.OpportunitySelect;

type DealRowRecord = Prisma.OpportunityGetPayload<{ select: ReturnType<typeof dealRowSelect> }>;

export function toDealRow(deal: DealRowRecord, asOf: Date, cycleDays: number, names: Map<string, string>): DealRowView {
  const ageDays = daysBetween(pipelineOpenedAt(deal), asOf);
  const flaggedSince = deal.flags.reduce<Date | null>(
    (oldest, flag) => (oldest === null || flag.startedAt < oldest ? flag.startedAt : oldest),
    null,
  );
  return {
    id: deal.id,
    source: deal.source,
    externalId: deal.externalId,
    name: deal.name,
    version: deal.version,
    accountName: deal.account?.name ?? null,
    ownerId: deal.ownerId,
    stageId: deal.stage.id,
    stageName: deal.stage.name,
    stageOrder: deal.stage.order,
    early: deal.stage.early,
    amountCents: cents(deal.amount),
    currency: deal.currency,
    ageDays,
    ageMultiple: Math.round((ageDays / Math.max(1, cycleDays)) * 10) / 10,
    daysInStage: daysSince(deal.stageEnteredAt, asOf),
    lastActivityAt: deal.lastActivityAt,
    daysSinceActivity: daysSince(deal.lastActivityAt, asOf),
    lastBuyerActivityAt: deal.lastBuyerActivityAt,
    daysSinceBuyerActivity: daysSince(deal.lastBuyerActivityAt, asOf),
    expectedCloseDate: deal.expectedCloseDate,
    closeDatePushCount: deal.closeDatePushCount,
    nextStep: deal.nextStep,
    flags: flagViews(deal.flags.map((flag) => ({ ...flag, explanation: flagExplanation(flag, asOf) }))),
    flaggedSince,
    flaggedDays: flaggedSince ? flaggedDays(flaggedSince, asOf) : null,
    flaggedFor: flaggedSince ? flaggedForText(flaggedSince, asOf) : null,
    waivers: deal.waivers.map((waiver) => ({
      id: waiver.id,
      kind: waiver.kind,
      until: waiver.until,
      reason: waiver.reason,
      byName: waiver.byId ? (names.get(waiver.byId) ?? null) : null,
    })),
  };
}

export async function userNames(
  client: DbClient,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, string>> {
  const unique = [...new Set([...ids].filter((id): id is string => Boolean(id)))];
  if (unique.length === 0) return new Map();
  const users = await client.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } });
  return new Map(users.map((user) => [user.id, user.name]));
}

export async function activeStages(client: DbClient): Promise<StageOption[]> {
  return client.stage.findMany({
    where: { active: true },
    orderBy: { order: "asc" },
    select: { id: true, name: true, order: true, early: true, probability: true },
  });
}
