// Connecting Salesforce by the web-server flow, for an admin who signs in to
// Salesforce in the browser. The consumer secret must survive the round trip
// to Salesforce and back without being shown or stored unconnected: it rides
// in a short-lived, httpOnly cookie, encrypted with CONNECTIONS_KEY like every
// saved secret, together with the `state` that ties the callback to this
// start (a callback without the matching state is refused). The callback
// exchanges the code, proves the refresh token works by reading one
// opportunity, and only then saves the connection.
import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { type Credentials, type ReaderOptions, readerFor, SyncRefused, salesforceSecret } from "./credentials";
import { saveConnection } from "./mutations";
import { authorizeUrl, exchangeCode } from "./salesforce-auth";
import { decryptSecret, encryptSecret } from "./secrets";

export const PENDING_COOKIE = "salesforce_sign_in";
export const CALLBACK_PATH = "/settings/connections/salesforce/callback";
/** How long the admin has to approve the app at Salesforce. */
export const PENDING_MAX_AGE_S = 10 * 60;

interface Pending {
  clientId: string;
  clientSecret: string;
  loginUrl?: string;
  state: string;
  redirectUri: string;
  startedAt: number;
}

/** Where to send the admin, and the encrypted cookie that remembers this start. */
export function beginWebSignIn(
  input: { clientId: string; clientSecret: string; loginUrl?: string },
  appOrigin: string,
  now: number = Date.now(),
): { url: string; cookie: string } {
  const pending: Pending = {
    ...input,
    state: randomBytes(16).toString("base64url"),
    redirectUri: new URL(CALLBACK_PATH, appOrigin).toString(),
    startedAt: now,
  };
  return {
    url: authorizeUrl({
      loginUrl: input.loginUrl,
      clientId: input.clientId,
      redirectUri: pending.redirectUri,
      state: pending.state,
    }),
    cookie: encryptSecret(JSON.stringify(pending)),
  };
}

const START_AGAIN = "start again from Settings → Connections → Salesforce → Sign in with Salesforce.";

function pendingFrom(cookie: string | undefined, state: string | undefined, now: number): Pending {
  if (!cookie)
    throw new SyncRefused(`This Salesforce sign-in was not started in this browser, or took too long: ${START_AGAIN}`);
  let pending: Pending;
  try {
    pending = JSON.parse(decryptSecret(cookie)) as Pending;
  } catch {
    throw new SyncRefused(`This Salesforce sign-in cannot be read (was CONNECTIONS_KEY changed?): ${START_AGAIN}`);
  }
  if (!state || state !== pending.state)
    throw new SyncRefused(`Salesforce came back with a sign-in this page did not start: ${START_AGAIN}`);
  if (now - pending.startedAt > PENDING_MAX_AGE_S * 1000)
    throw new SyncRefused(`The Salesforce sign-in took longer than 10 minutes: ${START_AGAIN}`);
  return pending;
}

/**
 * The callback's work: check the state, exchange the code, read one
 * opportunity with the refresh token (as every later sync will), then save
 * the connection. Returns what it read, for the page to say.
 */
export async function finishWebSignIn(
  query: { code?: string | null; state?: string | null; error?: string | null; error_description?: string | null },
  cookie: string | undefined,
  actorId: string,
  options: ReaderOptions & { now?: number } = {},
): Promise<string> {
  if (query.error) {
    throw new SyncRefused(
      `Salesforce did not connect (${query.error}${query.error_description ? `: ${query.error_description}` : ""}): ${START_AGAIN}`,
    );
  }
  const pending = pendingFrom(cookie, query.state ?? undefined, options.now ?? Date.now());
  if (!query.code) throw new SyncRefused(`Salesforce came back without an authorization code: ${START_AGAIN}`);
  const session = await exchangeCode(
    {
      code: query.code,
      clientId: pending.clientId,
      clientSecret: pending.clientSecret,
      redirectUri: pending.redirectUri,
    },
    { loginUrl: pending.loginUrl, http: options.http },
  );
  const credentials: Credentials = {
    crm: "salesforce",
    origin: "page",
    secret: salesforceSecret({ clientSecret: pending.clientSecret, refreshToken: session.refreshToken }),
    settings: {
      flow: "web",
      clientId: pending.clientId,
      loginUrl: pending.loginUrl,
      instanceUrl: session.instanceUrl,
    },
  };
  const tested = await readerFor(credentials, options).testConnection();
  const encryptedSecret = encryptSecret(credentials.secret);
  await db.$transaction((tx) =>
    saveConnection(tx, {
      crm: "salesforce",
      encryptedSecret,
      settings: credentials.settings,
      actorId,
      resetCursor: false,
    }),
  );
  return tested;
}
