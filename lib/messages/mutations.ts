// Writes for the weekly messages: the delivery record that makes "never sent
// twice" hold, and the settings people and admins change.
//
// Sending is claim → send → record. The claim is an insert on the unique key
// (person, message, meeting, channel) that does nothing when the row exists,
// so of two app instances (or a retry racing the scheduler) exactly one gets
// it; a failed send is taken over again only by a conditional update that
// one sender wins.
import type { DbClient } from "@/lib/db";
import { recordAudit } from "@/lib/audit/mutations";
import { ABANDONED_CLAIM_MS, nextAttemptAt } from "./schedule";

export interface DeliveryKey {
  userId: string;
  kind: string;
  period: string;
  channel: "email" | "webhook";
}

/** Claims a first send; null when someone already did (sent, sending, or failed and waiting for a retry). */
export async function claimDelivery(
  client: DbClient,
  key: DeliveryKey,
  recipient: string,
  now: Date,
): Promise<number | null> {
  const { count } = await client.messageDelivery.createMany({
    data: [{ ...key, recipient, status: "sending", claimedAt: now }],
    skipDuplicates: true,
  });
  if (count === 0) return null;
  const row = await client.messageDelivery.findUniqueOrThrow({
    where: { userId_kind_period_channel: key },
    select: { id: true },
  });
  return row.id;
}

/**
 * Takes over a failed send whose retry time has come, or a claim abandoned by
 * a sender that stopped mid-send. True when this caller won it.
 */
export async function claimRetry(client: DbClient, id: number, now: Date): Promise<boolean> {
  const { count } = await client.messageDelivery.updateMany({
    where: {
      id,
      OR: [
        { status: "failed", nextAttemptAt: { lte: now } },
        { status: "sending", claimedAt: { lt: new Date(now.getTime() - ABANDONED_CLAIM_MS) } },
      ],
    },
    data: { status: "sending", claimedAt: now },
  });
  return count === 1;
}

export async function recordSent(client: DbClient, id: number, now: Date): Promise<void> {
  await client.messageDelivery.update({
    where: { id },
    data: { status: "sent", sentAt: now, attempts: { increment: 1 }, lastError: null, nextAttemptAt: null },
  });
}

/** A failed attempt: the error as the server gave it, and when to try again (or that we gave up). */
export async function recordFailure(
  client: DbClient,
  id: number,
  error: string,
  now: Date,
  options: { retry?: boolean } = {},
): Promise<void> {
  const row = await client.messageDelivery.findUniqueOrThrow({ where: { id }, select: { attempts: true } });
  const attempts = row.attempts + 1;
  const retryAt = options.retry === false ? null : nextAttemptAt(attempts, now);
  await client.messageDelivery.update({
    where: { id },
    data: {
      status: retryAt ? "failed" : "gave-up",
      attempts,
      lastError: error.slice(0, 2000),
      nextAttemptAt: retryAt,
    },
  });
}

/** Channels already claimed (sent, sending or failed) for one person's message for one meeting. */
export async function listRecordedChannels(
  client: DbClient,
  key: { userId: string; kind: string; period: string },
): Promise<string[]> {
  const rows = await client.messageDelivery.findMany({ where: key, select: { channel: true } });
  return rows.map((row) => row.channel);
}

/** Deliveries a sender may take over now: failed ones due for a retry, and abandoned claims. */
export async function listRetriesDue(client: DbClient, now: Date) {
  return client.messageDelivery.findMany({
    where: {
      OR: [
        { status: "failed", nextAttemptAt: { lte: now } },
        { status: "sending", claimedAt: { lt: new Date(now.getTime() - ABANDONED_CLAIM_MS) } },
      ],
    },
    orderBy: { id: "asc" },
    select: { id: true, userId: true, kind: true, period: true, channel: true },
  });
}

// ---------------------------------------------------------------------------
// Settings

export interface OrgMessagingInput {
  deliveryEnabled: boolean;
  defaultTimeZone: string;
  defaultLocale: string;
}

export async function saveOrgMessaging(client: DbClient, actorId: string, input: OrgMessagingInput): Promise<void> {
  const before = await client.messagingSettings.findUnique({ where: { id: 1 } });
  await client.messagingSettings.upsert({ where: { id: 1 }, create: { id: 1, ...input }, update: input });
  await recordAudit(client, {
    actorId,
    action: "messages.settings",
    entityType: "settings",
    entityId: "messages",
    before: before
      ? {
          deliveryEnabled: before.deliveryEnabled,
          defaultTimeZone: before.defaultTimeZone,
          defaultLocale: before.defaultLocale,
        }
      : null,
    after: { ...input },
  });
}

export interface TeamMessagingInput {
  teamId: string;
  meetingWeekday: number;
  /** undefined: keep the stored webhook; null: remove it; a value: replace it. */
  webhook?: { kind: "slack" | "teams"; url: string } | null;
}

export async function saveTeamMessaging(client: DbClient, actorId: string, input: TeamMessagingInput): Promise<void> {
  const before = await client.teamMessaging.findUnique({ where: { teamId: input.teamId } });
  const webhook =
    input.webhook === undefined
      ? {}
      : input.webhook === null
        ? { webhookKind: null, webhookUrl: null }
        : { webhookKind: input.webhook.kind, webhookUrl: input.webhook.url };
  await client.teamMessaging.upsert({
    where: { teamId: input.teamId },
    create: { teamId: input.teamId, meetingWeekday: input.meetingWeekday, ...webhook },
    update: { meetingWeekday: input.meetingWeekday, ...webhook },
  });
  // The webhook address is a secret: the audit trail says that it changed, never what it is.
  await recordAudit(client, {
    actorId,
    action: "messages.team",
    entityType: "team",
    entityId: input.teamId,
    before: before
      ? { meetingWeekday: before.meetingWeekday, webhook: before.webhookUrl ? before.webhookKind : null }
      : null,
    after: {
      meetingWeekday: input.meetingWeekday,
      webhook:
        input.webhook === undefined ? (before?.webhookUrl ? before.webhookKind : null) : (input.webhook?.kind ?? null),
    },
  });
}

export interface PreferenceInput {
  repDigest: boolean;
  managerBrief: boolean;
  cleanNote: boolean;
  timeZone: string | null;
  locale: string | null;
}

export async function saveMessagePreference(client: DbClient, userId: string, input: PreferenceInput): Promise<void> {
  const before = await client.messagePreference.findUnique({ where: { userId } });
  await client.messagePreference.upsert({ where: { userId }, create: { userId, ...input }, update: input });
  await recordAudit(client, {
    actorId: userId,
    action: "messages.preference",
    entityType: "user",
    entityId: userId,
    before: before
      ? {
          repDigest: before.repDigest,
          managerBrief: before.managerBrief,
          cleanNote: before.cleanNote,
          timeZone: before.timeZone,
          locale: before.locale,
        }
      : null,
    after: { ...input },
  });
}
