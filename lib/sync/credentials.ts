// Which credentials a sync uses and where the CRM is: a connection saved on
// Settings → Connections (secret decrypted here, only to build the reader),
// else — for a server or a cron job with no page — the environment:
//   HubSpot     HUBSPOT_ACCESS_TOKEN            (HUBSPOT_API_BASE overrides the address)
//   Pipedrive   PIPEDRIVE_API_TOKEN             (PIPEDRIVE_API_BASE)
//   Salesforce  SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME, SALESFORCE_PRIVATE_KEY_FILE
//               (JWT bearer flow; SALESFORCE_LOGIN_URL)
import { readFileSync } from "node:fs";
import { hubspotReader } from "./hubspot";
import { pipedriveReader } from "./pipedrive";
import { salesforceReader } from "./salesforce";
import type { SalesforceSignIn } from "./salesforce-auth";
import type { HttpOptions } from "./http";
import type { Crm, CrmReader } from "./records";
import { decryptSecret } from "./secrets";

export class SyncRefused extends Error {}

/** process.env, or the few variables a test passes. */
export type Environment = Record<string, string | undefined>;

/** What a saved connection holds besides its secret (never secret itself). */
export interface ConnectionSettings {
  /** Salesforce: "jwt" (server) or "web" (a person signed in). */
  flow?: "jwt" | "web";
  clientId?: string;
  username?: string;
  loginUrl?: string;
  instanceUrl?: string;
}

export interface Credentials {
  crm: Crm;
  origin: "page" | "environment";
  /** Access token, API token, refresh token or private key (PEM). */
  secret: string;
  settings: ConnectionSettings;
}

const env = (name: string, source: Environment) => source[name]?.trim() || undefined;

/** Credentials from the environment, or null when the variables are not set. */
export function environmentCredentials(crm: Crm, source: Environment = process.env): Credentials | null {
  switch (crm) {
    case "hubspot": {
      const token = env("HUBSPOT_ACCESS_TOKEN", source);
      return token ? { crm, origin: "environment", secret: token, settings: {} } : null;
    }
    case "pipedrive": {
      const token = env("PIPEDRIVE_API_TOKEN", source);
      return token ? { crm, origin: "environment", secret: token, settings: {} } : null;
    }
    case "salesforce": {
      const clientId = env("SALESFORCE_CLIENT_ID", source);
      const username = env("SALESFORCE_USERNAME", source);
      const keyFile = env("SALESFORCE_PRIVATE_KEY_FILE", source);
      if (!clientId || !username || !keyFile) return null;
      let key: string;
      try {
        key = readFileSync(keyFile, "utf8");
      } catch (error) {
        throw new SyncRefused(
          `SALESFORCE_PRIVATE_KEY_FILE names ${keyFile}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}): point it at the PEM private key of the connected app's certificate.`,
        );
      }
      return { crm, origin: "environment", secret: key, settings: { flow: "jwt", clientId, username } };
    }
  }
}

export const MISSING_CREDENTIALS: Record<Crm, string> = {
  hubspot:
    "No HubSpot connection is saved and HUBSPOT_ACCESS_TOKEN is not set: save the private app's access token on Settings → Connections, or set HUBSPOT_ACCESS_TOKEN.",
  pipedrive:
    "No Pipedrive connection is saved and PIPEDRIVE_API_TOKEN is not set: save the API token on Settings → Connections, or set PIPEDRIVE_API_TOKEN.",
  salesforce:
    "No Salesforce connection is saved and SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME and SALESFORCE_PRIVATE_KEY_FILE are not all set: connect Salesforce on Settings → Connections, or set the three variables for the JWT bearer flow.",
};

/** A saved connection's credentials (its secret decrypted). */
export function savedCredentials(crm: Crm, row: { secret: string | null; settings: unknown }): Credentials | null {
  if (!row.secret) return null;
  return {
    crm,
    origin: "page",
    secret: decryptSecret(row.secret),
    settings: (row.settings ?? {}) as ConnectionSettings,
  };
}

export interface ReaderOptions {
  http?: Partial<HttpOptions>;
  source?: Environment;
}

/** The reader for a CRM, at the address the environment may override. */
export function readerFor(credentials: Credentials, options: ReaderOptions = {}): CrmReader {
  const source = options.source ?? process.env;
  switch (credentials.crm) {
    case "hubspot":
      return hubspotReader({
        accessToken: credentials.secret,
        baseUrl: env("HUBSPOT_API_BASE", source),
        http: options.http,
      });
    case "pipedrive":
      return pipedriveReader({
        apiToken: credentials.secret,
        baseUrl: env("PIPEDRIVE_API_BASE", source),
        http: options.http,
      });
    case "salesforce":
      return salesforceReader({
        signIn: salesforceSignIn(credentials),
        // A connection saved on the page names its login address; else the environment's, else Salesforce's.
        loginUrl: credentials.settings.loginUrl || env("SALESFORCE_LOGIN_URL", source),
        http: options.http,
      });
  }
}

/**
 * The web-server flow keeps two secrets (the consumer secret and the refresh
 * token) in the one encrypted secret, as JSON; the JWT flow keeps the PEM key.
 */
export function salesforceSecret(parts: { clientSecret: string; refreshToken: string }): string {
  return JSON.stringify({ clientSecret: parts.clientSecret, refreshToken: parts.refreshToken });
}

function salesforceSignIn(credentials: Credentials): SalesforceSignIn {
  const clientId = credentials.settings.clientId ?? "";
  if (credentials.settings.flow === "web") {
    let parts: { clientSecret?: string; refreshToken?: string } = {};
    try {
      parts = JSON.parse(credentials.secret);
    } catch {
      // Not JSON: refused just below.
    }
    if (!parts.clientSecret || !parts.refreshToken)
      throw new SyncRefused(
        "The saved Salesforce sign-in is incomplete: connect Salesforce again on Settings → Connections.",
      );
    return { flow: "web", clientId, clientSecret: parts.clientSecret, refreshToken: parts.refreshToken };
  }
  return { flow: "jwt", clientId, username: credentials.settings.username ?? "", privateKey: credentials.secret };
}
