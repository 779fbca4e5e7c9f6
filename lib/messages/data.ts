// Reads for the weekly messages: who gets what, and the content of one
// person's message. Each message is read through the same scoped reads the
// screens use, with the recipient as the viewer — a rep's digest is their
// "My deals" (getMyDeals as that rep), a manager's brief is their team's
// meeting agenda (getMeetingAgenda as the manager of that team) — so a
// message can never show a deal its reader could not open.
import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { getWhatChanged } from "@/lib/changes/data";
import { MOVEMENT_LABELS, MOVEMENTS, type PipelineChanges, WATERFALL_SIGN } from "@/lib/changes/movements";
import { getMyDeals } from "@/lib/deals/my-deals";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getMeetingAgenda } from "@/lib/meeting/data";
import { currentFlagWhere } from "@/lib/flags/current-flags";
import { daysBetween, MS_PER_DAY, startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import {
  type DigestDeal,
  type ManagerBrief,
  oneAction,
  orderDigestDeals,
  type Recipient,
  type RepDigest,
  type WhatChangedSummary,
} from "./content";
import type { MessageKind } from "./schedule";

/** "Flagged for the first time this week": a flag episode that started in the 7 days before the digest. */
export const NEW_FLAG_DAYS = 7;

export interface MessagingConfig {
  deliveryEnabled: boolean;
  defaultTimeZone: string;
  defaultLocale: string;
}

export async function getMessagingConfig(client: DbClient = db): Promise<MessagingConfig> {
  const row = await client.messagingSettings.findUnique({ where: { id: 1 } });
  return {
    deliveryEnabled: row?.deliveryEnabled ?? false,
    defaultTimeZone: row?.defaultTimeZone ?? "UTC",
    defaultLocale: row?.defaultLocale ?? "en-US",
  };
}

/** A person who may get a weekly message, with their choices and their team's meeting day. */
export interface Audience extends Recipient {
  role: Viewer["role"];
  /** The team whose meeting the message prepares: a rep's own team, a manager's managed team. */
  teamId: string;
  teamName: string;
  meetingWeekday: number;
  wants: Record<MessageKind, boolean>;
  cleanNote: boolean;
}

const audienceSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  team: { select: { id: true, name: true, messaging: { select: { meetingWeekday: true } } } },
  managedTeam: { select: { id: true, name: true, messaging: { select: { meetingWeekday: true } } } },
  messagePreference: true,
} satisfies Prisma.UserSelect;

type AudienceRow = Prisma.UserGetPayload<{ select: typeof audienceSelect }>;

function toAudience(user: AudienceRow, kind: MessageKind, config: MessagingConfig): Audience | null {
  const team = kind === "rep-digest" ? user.team : user.managedTeam;
  if (!team) return null;
  const preference = user.messagePreference;
  return {
    userId: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    teamId: team.id,
    teamName: team.name,
    meetingWeekday: team.messaging?.meetingWeekday ?? 1,
    timeZone: preference?.timeZone ?? config.defaultTimeZone,
    locale: preference?.locale ?? config.defaultLocale,
    wants: { "rep-digest": preference?.repDigest ?? true, "manager-brief": preference?.managerBrief ?? true },
    cleanNote: preference?.cleanNote ?? true,
  };
}

/**
 * Everyone a message kind goes to, whether or not they turned it off (the
 * caller decides): active reps in a team for the digest, active managers of a
 * team for the brief.
 */
export async function listAudience(
  kind: MessageKind,
  config: MessagingConfig,
  options: { userId?: string } = {},
  client: DbClient = db,
): Promise<Audience[]> {
  const users = await client.user.findMany({
    where: {
      active: true,
      ...(options.userId ? { id: options.userId } : {}),
      ...(kind === "rep-digest" ? { role: "rep", teamId: { not: null } } : { managedTeam: { isNot: null } }),
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: audienceSelect,
  });
  return users.flatMap((user) => toAudience(user, kind, config) ?? []);
}

function cents(value: Prisma.Decimal): number {
  return Number(value.mul(100).toFixed(0));
}

async function reviewedFor(teamId: string, client: DbClient): Promise<boolean> {
  const review = await client.review.findFirst({
    where: { OR: [{ teamId }, { teamId: null }] },
    select: { id: true },
  });
  return review !== null;
}

/** The rep's digest as of `asOf`, for the meeting on `meetingDay`. */
export async function loadRepDigest(
  person: Audience,
  asOf: Date,
  meetingDay: string,
  client: DbClient = db,
): Promise<RepDigest> {
  const asRep: Viewer = { userId: person.userId, name: person.name, role: "rep", teamId: person.teamId };
  const [mine, reviewed] = await Promise.all([
    getMyDeals(asRep, asOf, null, client),
    reviewedFor(person.teamId, client),
  ]);
  if (!mine) throw new Error(`${person.name} no longer exists.`);
  const flaggedIds = mine.flagged.map((deal) => deal.id);
  const episodes = flaggedIds.length
    ? await client.flag.groupBy({
        by: ["opportunityId"],
        where: { opportunityId: { in: flaggedIds }, ...currentFlagWhere },
        _min: { startedAt: true },
      })
    : [];
  const since = new Map(episodes.map((row) => [row.opportunityId, row._min.startedAt]));
  const deals: DigestDeal[] = mine.flagged.map((deal) => {
    // Deal rows list flags worst first: the first is the one that matters most.
    const worst = deal.flags[0];
    const flaggedSince = since.get(deal.id) ?? null;
    return {
      id: deal.id,
      name: deal.name,
      accountName: deal.accountName,
      stageName: deal.stageName,
      amountCents: deal.amountCents,
      currency: deal.currency,
      flagLabel: worst?.label ?? "Flagged",
      severity: worst?.severity ?? "nudge",
      explanation: worst?.explanation ?? "",
      action: oneAction(worst?.rule ?? ""),
      flaggedSince,
      newThisWeek: flaggedSince !== null && daysBetween(flaggedSince, asOf) < NEW_FLAG_DAYS,
    };
  });
  return {
    kind: "rep-digest",
    recipient: person,
    meetingDay,
    asOf,
    reviewed,
    deals: orderDigestDeals(deals),
    daysSinceLastNewDeal: mine.daysSinceLastNewDeal,
    noNewPipelineDays: mine.noNewPipelineDays,
    openDeals: mine.flagged.length + mine.others.length,
  };
}

/** "What changed since last week": the 7 days before the brief's as-of instant. */
export const WHAT_CHANGED_DAYS = 7;

function summariseChanges(changes: PipelineChanges): WhatChangedSummary {
  return {
    openBefore: { deals: changes.openAtFrom.count, valueCents: changes.openAtFrom.valueCents },
    openNow: { deals: changes.openAtTo.count, valueCents: changes.openAtTo.valueCents },
    lines: MOVEMENTS.map((kind) => ({
      label: MOVEMENT_LABELS[kind],
      deals: changes.movements[kind].count,
      valueCents: changes.movements[kind].valueCents,
      sign: kind in WATERFALL_SIGN ? WATERFALL_SIGN[kind as keyof typeof WATERFALL_SIGN] : 0,
    })),
  };
}

/** The manager's brief for their team's meeting on `meetingDay`, as of `asOf`. */
export async function loadManagerBrief(
  person: Audience,
  asOf: Date,
  meetingDay: string,
  client: DbClient = db,
): Promise<ManagerBrief> {
  // The team's manager, whatever their role: an admin who manages a team gets that team's brief, not the organisation's.
  const asManager: Viewer = { userId: person.userId, name: person.name, role: "manager", teamId: person.teamId };
  const asOfDay = startOfUtcDayNumber(utcDayNumber(asOf));
  const [agenda, changes, waivers, org] = await Promise.all([
    getMeetingAgenda(asManager, asOf, client),
    getWhatChanged(
      asManager,
      { from: new Date(asOf.getTime() - WHAT_CHANGED_DAYS * MS_PER_DAY), to: asOf, teamId: person.teamId },
      client,
    ),
    client.waiver.findMany({
      where: {
        endedAt: null,
        until: { gte: asOfDay, lte: new Date(`${meetingDay}T00:00:00.000Z`) },
        createdAt: { lte: asOf },
        opportunity: { status: "open", owner: { teamId: person.teamId } },
      },
      orderBy: [{ until: "asc" }, { id: "asc" }],
      select: {
        kind: true,
        until: true,
        reason: true,
        opportunity: { select: { id: true, name: true, owner: { select: { name: true } } } },
      },
    }),
    client.orgSettings.findUnique({ where: { id: 1 }, select: { currency: true } }),
  ]);
  return {
    kind: "manager-brief",
    recipient: person,
    teamName: person.teamName,
    meetingDay,
    asOf,
    reviewed: agenda.review !== null,
    currency: org?.currency ?? "USD",
    whatChanged: summariseChanges(changes.total),
    reps: agenda.reps.map((rep) => ({
      repId: rep.repId,
      repName: rep.repName,
      deals: rep.deals
        .filter((deal) => deal.status === "open")
        .map((deal) => ({
          id: deal.id,
          name: deal.name,
          stageName: deal.stageName,
          amountCents: cents(deal.amount),
          currency: deal.currency,
          flagLabel: deal.flags[0]?.label ?? null,
          explanation: deal.flags[0]?.explanation ?? null,
        })),
      earlyGroup: { deals: rep.earlyGroup.deals, valueCents: cents(rep.earlyGroup.value) },
    })),
    expiringWaivers: waivers.map((waiver) => ({
      dealId: waiver.opportunity.id,
      dealName: waiver.opportunity.name,
      repName: waiver.opportunity.owner.name,
      kind: waiver.kind,
      until: waiver.until,
      reason: waiver.reason,
    })),
    salesTrap: agenda.teamWarnings.filter((flag) => flag.rule === "sales-trap").map((flag) => flag.explanation),
  };
}

/** Team settings for the admin page (the webhook address itself never leaves the server). */
export async function listTeamMessaging(client: DbClient = db) {
  const teams = await client.team.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      manager: { select: { name: true } },
      messaging: { select: { meetingWeekday: true, webhookKind: true, webhookUrl: true } },
    },
  });
  return teams.map((team) => ({
    id: team.id,
    name: team.name,
    managerName: team.manager?.name ?? null,
    meetingWeekday: team.messaging?.meetingWeekday ?? 1,
    webhookKind: team.messaging?.webhookUrl ? (team.messaging.webhookKind ?? "slack") : null,
  }));
}

export async function getTeamWebhook(
  teamId: string,
  client: DbClient = db,
): Promise<{ kind: "slack" | "teams"; url: string } | null> {
  const row = await client.teamMessaging.findUnique({ where: { teamId } });
  if (!row?.webhookUrl) return null;
  return { kind: row.webhookKind === "teams" ? "teams" : "slack", url: row.webhookUrl };
}

/** People an admin may preview a message for: reps (digest) and team managers (brief). */
export async function listPreviewPeople(client: DbClient = db) {
  const users = await client.user.findMany({
    where: { active: true, OR: [{ role: "rep", teamId: { not: null } }, { managedTeam: { isNot: null } }] },
    orderBy: [{ name: "asc" }],
    select: {
      id: true,
      name: true,
      role: true,
      team: { select: { name: true } },
      managedTeam: { select: { name: true } },
    },
  });
  return users.map((user) => ({
    id: user.id,
    name: user.name,
    kind: (user.managedTeam ? "manager-brief" : "rep-digest") as MessageKind,
    teamName: user.managedTeam?.name ?? user.team?.name ?? "",
  }));
}

export async function getMessagePreference(userId: string, config: MessagingConfig, client: DbClient = db) {
  const [row, user] = await Promise.all([
    client.messagePreference.findUnique({ where: { userId } }),
    client.user.findUnique({ where: { id: userId }, select: { role: true, managedTeam: { select: { id: true } } } }),
  ]);
  return {
    repDigest: row?.repDigest ?? true,
    managerBrief: row?.managerBrief ?? true,
    cleanNote: row?.cleanNote ?? true,
    timeZone: row?.timeZone ?? null,
    locale: row?.locale ?? null,
    defaultTimeZone: config.defaultTimeZone,
    defaultLocale: config.defaultLocale,
    getsDigest: user?.role === "rep",
    getsBrief: Boolean(user?.managedTeam),
  };
}

export async function listRecentDeliveries(limit = 50, client: DbClient = db) {
  return client.messageDelivery.findMany({
    orderBy: { id: "desc" },
    take: limit,
    select: {
      id: true,
      kind: true,
      period: true,
      channel: true,
      status: true,
      recipient: true,
      attempts: true,
      lastError: true,
      nextAttemptAt: true,
      sentAt: true,
      claimedAt: true,
      user: { select: { name: true } },
    },
  });
}

export async function getUserEmail(userId: string, client: DbClient = db): Promise<string | null> {
  const user = await client.user.findUnique({ where: { id: userId }, select: { email: true } });
  return user?.email ?? null;
}
