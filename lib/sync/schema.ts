// What the connections page sends: which CRM, and its credentials.
import { z } from "zod";
import { CRMS } from "./records";

export const crmSchema = z.enum(CRMS, { error: "Choose HubSpot, Pipedrive or Salesforce." });

const secret = (what: string) =>
  z
    .string({ error: `Paste the ${what}.` })
    .trim()
    .min(8, `That is too short for a ${what}: paste the whole of it.`)
    .max(20_000, `That is too long for a ${what}.`);

const httpsUrl = z
  .string()
  .trim()
  .url("Write the address as https://….")
  .refine((value) => /^https?:\/\//.test(value), "Write the address as https://….");

export const saveConnectionSchema = z.discriminatedUnion("crm", [
  z.object({
    crm: z.literal("hubspot"),
    secret: secret("private app access token"),
    resetCursor: z.coerce.boolean().default(false),
  }),
  z.object({
    crm: z.literal("pipedrive"),
    secret: secret("API token"),
    resetCursor: z.coerce.boolean().default(false),
  }),
  z.object({
    crm: z.literal("salesforce"),
    /** JWT bearer flow: the connected app's private key (PEM). */
    secret: secret("private key (PEM)"),
    clientId: z.string().trim().min(1, "Enter the connected app's consumer key (client id)."),
    username: z.string().trim().email("Enter the Salesforce username the sync acts as (an email address)."),
    loginUrl: httpsUrl.optional().or(z.literal("").transform(() => undefined)),
    resetCursor: z.coerce.boolean().default(false),
  }),
]);
export type SaveConnectionInput = z.infer<typeof saveConnectionSchema>;

/** The web-server flow's start: the connected app's consumer key and secret, and where to sign in. */
export const salesforceSignInSchema = z.object({
  clientId: z.string().trim().min(1, "Enter the connected app's consumer key (client id)."),
  clientSecret: z
    .string({ error: "Paste the connected app's consumer secret." })
    .trim()
    .min(8, "That is too short for a consumer secret: paste the whole of it.")
    .max(500, "That is too long for a consumer secret."),
  loginUrl: httpsUrl.optional().or(z.literal("").transform(() => undefined)),
});
