// Sending the weekly messages: what is due now, once each.
//
// sendDueMessages(now) is what the daily scheduler (or `npm run digest` from
// cron) calls. It is idempotent: every send first claims its row in
// MessageDelivery (unique per person, message, meeting and channel), so
// calling it twice, from two instances, or after a crash sends nothing twice.
// A failed send is recorded with the server's error and retried with backoff
// by later calls (see schedule.ts).
import "server-only";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { type DbClient, db } from "@/lib/db";
import { getOrgContext } from "@/lib/settings/data";
import type { WeeklyMessage } from "./content";
import {
  type Audience,
  getMessagingConfig,
  getTeamWebhook,
  listAudience,
  loadManagerBrief,
  loadRepDigest,
  type MessagingConfig,
} from "./data";
import {
  claimDelivery,
  claimRetry,
  type DeliveryKey,
  listRecordedChannels,
  listRetriesDue,
  recordFailure,
  recordSent,
} from "./mutations";
import { type RenderedMessage, renderMessage } from "./render";
import { dueMeetingDay, MESSAGE_KINDS, type MessageKind, nextMeetingDay } from "./schedule";
import {
  appUrl,
  createMailTransport,
  type MailSettings,
  mailFor,
  mailSettingsFromEnv,
  postToWebhook,
} from "./transport";

export interface SendDependencies {
  client?: DbClient;
  /** SMTP settings; default from the environment. */
  mail?: MailSettings;
  /** A ready transport (the dry run's buffer transport); default SMTP from `mail`. */
  transport?: Transporter;
  fetch?: typeof fetch;
  baseUrl?: string;
}

export interface DeliveryOutcome {
  userId: string;
  name: string;
  kind: MessageKind;
  period: string;
  channel: "email" | "webhook";
  error?: string;
}

export interface SendReport {
  /** Set when nothing was sent because delivery is off or not configured: what to do. */
  notSending?: string;
  sent: DeliveryOutcome[];
  failed: DeliveryOutcome[];
  /** Due but not sent: turned off by the person, or nothing to say. */
  skipped: (DeliveryOutcome & { reason: string })[];
}

/** Builds one person's message for one meeting; null when there is nothing to send (clean, and they chose silence). */
export async function buildMessage(
  person: Audience,
  kind: MessageKind,
  meetingDay: string,
  asOf: Date,
  client: DbClient = db,
): Promise<WeeklyMessage | null> {
  if (kind === "manager-brief") return loadManagerBrief(person, asOf, meetingDay, client);
  const digest = await loadRepDigest(person, asOf, meetingDay, client);
  if (digest.reviewed && digest.deals.length === 0 && !person.cleanNote) return null;
  return digest;
}

/** One person's message as it would go out for their team's next meeting (the preview page, a test send). */
export async function previewMessage(
  userId: string,
  kind: MessageKind,
  now: Date,
  client: DbClient = db,
): Promise<{ person: Audience; rendered: RenderedMessage | null } | null> {
  const config = await getMessagingConfig(client);
  const [person] = await listAudience(kind, config, { userId }, client);
  if (!person) return null;
  const org = await getOrgContext(now, client);
  const meetingDay = nextMeetingDay(now, person.timeZone, person.meetingWeekday);
  const message = await buildMessage(person, kind, meetingDay, org.asOf, client);
  return { person, rendered: message ? renderMessage(message, appUrl()) : null };
}

interface Sender {
  mail: MailSettings | null;
  transport: Transporter | null;
  fetch: typeof fetch;
  baseUrl: string;
}

function senderFrom(deps: SendDependencies): Sender | { problem: string } {
  const mail = deps.mail ?? mailSettingsFromEnv();
  if ("problem" in mail) return mail;
  return {
    mail,
    transport: deps.transport ?? createMailTransport(mail),
    fetch: deps.fetch ?? fetch,
    baseUrl: deps.baseUrl ?? appUrl(),
  };
}

async function deliver(
  sender: Sender,
  person: Audience,
  key: DeliveryKey,
  rendered: RenderedMessage,
  client: DbClient,
): Promise<void> {
  if (key.channel === "webhook") {
    const webhook = await getTeamWebhook(person.teamId, client);
    if (!webhook) throw new Error(`${person.teamName} has no chat webhook any more.`);
    await postToWebhook(webhook, rendered.chat, sender.fetch);
    return;
  }
  if (!sender.transport || !sender.mail) throw new Error("Email is not configured.");
  await sender.transport.sendMail(mailFor(rendered, person, sender.mail.from));
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const smtp = error as Error & { response?: string; responseCode?: number };
    return smtp.response ? `${smtp.response}` : error.message;
  }
  return String(error);
}

/**
 * Sends every message due at `now` that has not been sent, and retries failed
 * sends whose time has come. Safe to call as often as you like.
 */
export async function sendDueMessages(now: Date = new Date(), deps: SendDependencies = {}): Promise<SendReport> {
  const client = deps.client ?? db;
  const report: SendReport = { sent: [], failed: [], skipped: [] };
  const config = await getMessagingConfig(client);
  if (!config.deliveryEnabled) {
    report.notSending =
      "Delivery is off. An admin turns it on in Settings → Messages (npm run digest -- --dry-run previews without sending).";
    return report;
  }
  const sender = senderFrom(deps);
  if ("problem" in sender) {
    report.notSending = sender.problem;
    return report;
  }
  const org = await getOrgContext(now, client);
  const people = new Map<MessageKind, Audience[]>();
  for (const kind of MESSAGE_KINDS) people.set(kind, await listAudience(kind, config, {}, client));

  const attempt = async (person: Audience, key: DeliveryKey, id: number, message: WeeklyMessage) => {
    const outcome: DeliveryOutcome = {
      userId: person.userId,
      name: person.name,
      kind: key.kind as MessageKind,
      period: key.period,
      channel: key.channel,
    };
    try {
      await deliver(sender, person, key, renderMessage(message, sender.baseUrl), client);
      await recordSent(client, id, new Date());
      report.sent.push(outcome);
    } catch (error) {
      const text = describeError(error);
      await recordFailure(client, id, text, now);
      report.failed.push({ ...outcome, error: text });
    }
  };

  // Retries first: a failed send from an earlier run whose backoff has passed.
  for (const retry of await listRetriesDue(client, now)) {
    const kind = retry.kind as MessageKind;
    const person = people.get(kind)?.find((candidate) => candidate.userId === retry.userId);
    if (!person || !(await claimRetry(client, retry.id, now))) continue;
    const message = await buildMessage(person, kind, retry.period, org.asOf, client);
    if (!message) {
      await recordFailure(
        client,
        retry.id,
        "Nothing to send any more (the pipeline is clean and the person chose no note).",
        now,
      );
      continue;
    }
    await attempt(person, { ...retry, channel: retry.channel as DeliveryKey["channel"] }, retry.id, message);
  }

  for (const kind of MESSAGE_KINDS) {
    for (const person of people.get(kind) ?? []) {
      const period = dueMeetingDay(kind, now, person.timeZone, person.meetingWeekday);
      if (!period) continue;
      const base = { userId: person.userId, name: person.name, kind, period };
      if (!person.wants[kind]) {
        report.skipped.push({ ...base, channel: "email", reason: "turned off by the person" });
        continue;
      }
      const channels: DeliveryKey["channel"][] = ["email"];
      if (kind === "manager-brief" && (await getTeamWebhook(person.teamId, client))) channels.push("webhook");
      const already = await listRecordedChannels(client, { userId: person.userId, kind, period });
      const open = channels.filter((channel) => !already.includes(channel));
      if (open.length === 0) continue;
      const message = await buildMessage(person, kind, period, org.asOf, client);
      if (!message) {
        report.skipped.push({
          ...base,
          channel: "email",
          reason: "nothing flagged, and the person chose no clean-pipeline note",
        });
        continue;
      }
      for (const channel of open) {
        const key: DeliveryKey = { userId: person.userId, kind, period, channel };
        const recipient = channel === "email" ? person.email : `${person.teamName} chat`;
        const id = await claimDelivery(client, key, recipient, now);
        if (id === null) continue; // another sender got there first
        await attempt(person, key, id, message);
      }
    }
  }
  return report;
}

/**
 * "Send me a test": the chosen person's message for their next meeting, to
 * the admin's own address, marked as a test. Recorded like any send.
 */
export async function sendTestMessage(
  admin: { userId: string; name: string; email: string },
  subject: { userId: string; kind: MessageKind },
  now: Date,
  deps: SendDependencies = {},
): Promise<{ ok: true; to: string } | { ok: false; message: string }> {
  const client = deps.client ?? db;
  const sender = senderFrom(deps);
  if ("problem" in sender) return { ok: false, message: sender.problem };
  const preview = await previewMessage(subject.userId, subject.kind, now, client);
  if (!preview)
    return {
      ok: false,
      message: "That person does not get this message (pick a rep for the digest, a team manager for the brief).",
    };
  if (!preview.rendered)
    return {
      ok: false,
      message: `${preview.person.name} has nothing flagged and chose not to get a clean-pipeline note: there is no message to send.`,
    };
  const rendered = {
    ...preview.rendered,
    subject: `[Test] ${preview.rendered.subject} (as ${preview.person.name} gets it)`,
  };
  const key: DeliveryKey = { userId: admin.userId, kind: "test", period: now.toISOString(), channel: "email" };
  const id = await claimDelivery(client, key, admin.email, now);
  if (id === null) return { ok: false, message: "A test was just sent; wait a moment and try again." };
  try {
    await sender.transport?.sendMail(mailFor(rendered, admin, sender.mail?.from ?? ""));
    await recordSent(client, id, new Date());
    return { ok: true, to: admin.email };
  } catch (error) {
    const text = describeError(error);
    // A test is not retried: the admin sees the error now and can press the button again.
    await recordFailure(client, id, text, now, { retry: false });
    return { ok: false, message: `The mail server refused the test: ${text}. Check the SMTP settings and try again.` };
  }
}

/**
 * The dry run: every person's message for their team's next meeting (or only
 * those due now) as one .eml file each, written with nodemailer's stream
 * transport — exactly the bytes SMTP would carry — and nothing recorded.
 */
export async function writeDryRun(
  now: Date,
  outDir: string,
  options: { dueOnly?: boolean; from?: string; client?: DbClient } = {},
): Promise<{ file: string; name: string; kind: MessageKind; subject: string }[]> {
  const client = options.client ?? db;
  const config: MessagingConfig = await getMessagingConfig(client);
  const org = await getOrgContext(now, client);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const from = options.from ?? (process.env.MAIL_FROM?.trim() || "Pipeline Integrity <pipeline@localhost>");
  await mkdir(outDir, { recursive: true });
  const written: { file: string; name: string; kind: MessageKind; subject: string }[] = [];
  for (const kind of MESSAGE_KINDS) {
    for (const person of await listAudience(kind, config, {}, client)) {
      if (!person.wants[kind]) continue;
      const meetingDay = options.dueOnly
        ? dueMeetingDay(kind, now, person.timeZone, person.meetingWeekday)
        : nextMeetingDay(now, person.timeZone, person.meetingWeekday);
      if (!meetingDay) continue;
      const message = await buildMessage(person, kind, meetingDay, org.asOf, client);
      if (!message) continue;
      const rendered = renderMessage(message, appUrl());
      const info = await transport.sendMail(mailFor(rendered, person, from));
      const slug = person.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
      const file = path.join(outDir, `${kind}-${slug}-${person.userId}.eml`);
      await writeFile(file, info.message as Buffer);
      written.push({ file, name: person.name, kind, subject: rendered.subject });
    }
  }
  return written;
}
