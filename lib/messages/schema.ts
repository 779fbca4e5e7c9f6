// What the message forms accept, shared by the forms and the server actions.
import { z } from "zod";
import { isLocale, isTimeZone } from "./locale";

const checkbox = z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean());
const optionalText = z.preprocess(
  (value) => (typeof value === "string" && value.trim() !== "" ? value.trim() : null),
  z.string().nullable(),
);

const timeZone = z
  .string()
  .trim()
  .refine(isTimeZone, { error: "Pick a time zone from the list (for example Europe/Berlin or America/New_York)." });
const locale = z
  .string()
  .trim()
  .refine(isLocale, { error: "Use a language tag such as en-US, en-GB, de-DE or fr-FR." });

export const orgMessagingSchema = z.object({
  deliveryEnabled: checkbox,
  defaultTimeZone: timeZone,
  defaultLocale: locale,
});

export const teamMessagingSchema = z
  .object({
    teamId: z.string().min(1, { error: "Pick a team." }),
    meetingWeekday: z.coerce
      .number({ error: "Pick the meeting day." })
      .int()
      .min(0, { error: "Pick the meeting day." })
      .max(6, { error: "Pick the meeting day." }),
    webhookKind: z.enum(["slack", "teams"], { error: "Pick Slack or Microsoft Teams." }).default("slack"),
    /** Empty: keep the stored webhook. */
    webhookUrl: optionalText.refine((value) => value === null || /^https?:\/\/\S+$/.test(value), {
      error: "Paste the whole webhook address, starting with https://.",
    }),
    removeWebhook: checkbox,
  })
  .transform(({ webhookKind, webhookUrl, removeWebhook, ...rest }) => ({
    ...rest,
    webhook: removeWebhook ? null : webhookUrl ? { kind: webhookKind, url: webhookUrl } : undefined,
  }));

export const preferenceSchema = z.object({
  repDigest: checkbox,
  managerBrief: checkbox,
  cleanNote: checkbox,
  timeZone: optionalText.refine((value) => value === null || isTimeZone(value), {
    error: "Pick a time zone from the list (for example Europe/Berlin), or leave it empty for the organisation's.",
  }),
  locale: optionalText.refine((value) => value === null || isLocale(value), {
    error: "Use a language tag such as en-US, en-GB, de-DE, or leave it empty for the organisation's.",
  }),
});

export const testSendSchema = z.object({
  userId: z.string().min(1, { error: "Pick whose message to send yourself." }),
  kind: z.enum(["rep-digest", "manager-brief"], { error: "Pick the rep digest or the manager brief." }),
});
