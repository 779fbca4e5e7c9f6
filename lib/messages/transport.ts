// How messages leave the app: SMTP through nodemailer, configured from the
// environment (passwords never live in the database), and a team chat's
// incoming webhook (Slack or Microsoft Teams) for the manager brief.
//
//   SMTP_HOST, SMTP_PORT (default 587), SMTP_TLS (starttls | required | implicit | off;
//   default starttls: upgrade when the server offers it), SMTP_USER, SMTP_PASSWORD,
//   MAIL_FROM ("Pipeline Integrity <pipeline@example.com>"), APP_URL (the address
//   people open the app at, for the links; default http://localhost:3000).
import nodemailer, { type Transporter } from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import type { Recipient } from "./content";
import type { RenderedMessage } from "./render";

export interface MailSettings {
  host: string;
  port: number;
  tls: "starttls" | "required" | "implicit" | "off";
  user: string | null;
  password: string | null;
  from: string;
}

export function appUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.APP_URL?.trim() || "http://localhost:3000").replace(/\/+$/, "");
}

/** The SMTP settings, or what is missing in plain words. */
export function mailSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MailSettings | { problem: string } {
  const host = env.SMTP_HOST?.trim();
  const from = env.MAIL_FROM?.trim();
  const missing = [host ? null : "SMTP_HOST", from ? null : "MAIL_FROM"].filter(Boolean);
  if (!host || !from)
    return {
      problem: `Email is not configured: set ${missing.join(" and ")} in the server's environment (see README, "Weekly messages").`,
    };
  const port = Number(env.SMTP_PORT ?? 587);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    return { problem: `SMTP_PORT must be a port number such as 587, not "${env.SMTP_PORT}".` };
  const tls = (env.SMTP_TLS?.trim() || "starttls") as MailSettings["tls"];
  if (!["starttls", "required", "implicit", "off"].includes(tls))
    return { problem: `SMTP_TLS must be starttls, required, implicit or off, not "${env.SMTP_TLS}".` };
  return { host, port, tls, user: env.SMTP_USER?.trim() || null, password: env.SMTP_PASSWORD ?? null, from };
}

export function createMailTransport(settings: MailSettings): Transporter {
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.tls === "implicit",
    requireTLS: settings.tls === "required",
    ignoreTLS: settings.tls === "off",
    auth: settings.user ? { user: settings.user, pass: settings.password ?? "" } : undefined,
    // A dead server must fail the attempt (and schedule a retry), not hang the scheduler.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
}

export function mailFor(
  rendered: RenderedMessage,
  to: Recipient | { name: string; email: string },
  from: string,
): Mail.Options {
  return {
    from,
    to: { name: to.name, address: to.email },
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
  };
}

/** Slack and Teams incoming webhooks both take a JSON body with `text`. Throws with the answer when refused. */
export async function postToWebhook(
  webhook: { kind: "slack" | "teams"; url: string },
  text: string,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const response = await fetchImpl(webhook.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) {
    const body = (await response.text().catch(() => "")).slice(0, 200);
    throw new Error(
      `The ${webhook.kind === "teams" ? "Teams" : "Slack"} webhook answered ${response.status}${body ? `: ${body}` : ""}`,
    );
  }
}
