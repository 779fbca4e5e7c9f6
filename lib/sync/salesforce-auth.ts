// Signing in to Salesforce (OAuth 2.0, "Authorize Apps with OAuth" in
// Salesforce Help), two ways:
// - JWT bearer flow, for a server with no person signed in ("OAuth 2.0 JWT
//   Bearer Flow for Server-to-Server Integration"): an RS256 assertion
//   {iss: consumer key, sub: username, aud: login URL, exp: in 3 minutes},
//   signed with the private key whose certificate the connected app holds
//   (node:crypto), POSTed to <login>/services/oauth2/token with
//   grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer;
// - web-server flow, for a person ("OAuth 2.0 Web Server Flow for Web App
//   Integration"): the browser goes to <login>/services/oauth2/authorize, comes
//   back to our callback with a code, which is exchanged (with the consumer
//   secret) for an access token and a refresh token; later runs trade the
//   refresh token (grant_type=refresh_token) for a fresh access token.
// Every token answer names the org's instance URL, where the API lives.
// Secrets only travel in POST bodies, never in a URL or a message.
import { createSign } from "node:crypto";
import { CrmRequestError, createHttpClient, type HttpOptions } from "./http";

export const SALESFORCE_DEFAULT_LOGIN = "https://login.salesforce.com";
const JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** Salesforce accepts an assertion whose exp is at most 3 minutes ahead. */
const ASSERTION_LIFETIME_S = 180;

/** What a connection keeps to sign in; the secret parts are encrypted at rest (secrets.ts). */
export type SalesforceSignIn =
  | { flow: "jwt"; clientId: string; username: string; privateKey: string }
  | { flow: "web"; clientId: string; clientSecret: string; refreshToken: string };

/** The token endpoint's answer (documented fields; refresh_token only in the web-server flow's code exchange). */
export interface SalesforceToken {
  access_token: string;
  instance_url: string;
  id?: string;
  token_type?: string;
  issued_at?: string;
  signature?: string;
  scope?: string;
  refresh_token?: string;
}

export interface Session {
  accessToken: string;
  instanceUrl: string;
}

export const loginBase = (loginUrl: string | undefined) => (loginUrl || SALESFORCE_DEFAULT_LOGIN).replace(/\/+$/, "");

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** The signed JWT the bearer flow sends as its assertion. */
export function jwtAssertion(
  input: { clientId: string; username: string; privateKey: string; loginUrl: string },
  now: Date = new Date(),
): string {
  const header = base64url(JSON.stringify({ alg: "RS256" }));
  const claims = base64url(
    JSON.stringify({
      iss: input.clientId,
      sub: input.username,
      aud: input.loginUrl,
      exp: Math.floor(now.getTime() / 1000) + ASSERTION_LIFETIME_S,
    }),
  );
  let signature: string;
  try {
    signature = createSign("RSA-SHA256").update(`${header}.${claims}`).sign(input.privateKey, "base64url");
  } catch {
    throw new CrmRequestError(
      "The Salesforce private key cannot sign (it is not a PEM RSA private key): paste the key that goes with the certificate uploaded to the connected app, from -----BEGIN PRIVATE KEY----- to its END line.",
      null,
    );
  }
  return `${header}.${claims}.${signature}`;
}

/** Where the web-server flow sends the person to approve the app. */
export function authorizeUrl(input: { loginUrl?: string; clientId: string; redirectUri: string; state: string }) {
  const url = new URL(`${loginBase(input.loginUrl)}/services/oauth2/authorize`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  // api: the REST API; refresh_token: later syncs without the person.
  url.searchParams.set("scope", "api refresh_token");
  url.searchParams.set("state", input.state);
  return url.toString();
}

type TokenOptions = { loginUrl?: string; http?: Partial<HttpOptions> };

async function requestToken(form: URLSearchParams, hint: string, options: TokenOptions): Promise<SalesforceToken> {
  const http = createHttpClient({ crm: "Salesforce", headers: () => ({}), ...options.http });
  const url = `${loginBase(options.loginUrl)}/services/oauth2/token`;
  const { status, body } = await http.request<SalesforceToken & { error?: string; error_description?: string }>(
    "POST",
    url,
    form,
    [400, 401, 403],
  );
  if (status >= 400 || !body?.access_token || !body.instance_url) {
    const said = body?.error
      ? ` Salesforce said: “${body.error}${body.error_description ? `: ${body.error_description}` : ""}”.`
      : "";
    throw new CrmRequestError(`Salesforce refused to sign in (${status}).${said} ${hint}`, status);
  }
  return body;
}

/** A fresh access token and the instance URL, by whichever flow the connection uses. */
export async function signIn(
  signInWith: SalesforceSignIn,
  options: TokenOptions & { now?: () => Date } = {},
): Promise<Session> {
  const loginUrl = loginBase(options.loginUrl);
  const token =
    signInWith.flow === "jwt"
      ? await requestToken(
          new URLSearchParams({
            grant_type: JWT_GRANT,
            assertion: jwtAssertion({ ...signInWith, loginUrl }, options.now?.()),
          }),
          "Check the consumer key, the username, that the connected app holds this key's certificate and that the user is pre-authorised for the app (Manage → Policies → Admin approved users are pre-authorized).",
          options,
        )
      : await requestToken(
          new URLSearchParams({
            grant_type: "refresh_token",
            refresh_token: signInWith.refreshToken,
            client_id: signInWith.clientId,
            client_secret: signInWith.clientSecret,
          }),
          "The person's approval was revoked or has expired: connect Salesforce again on Settings → Connections.",
          options,
        );
  return { accessToken: token.access_token, instanceUrl: token.instance_url.replace(/\/+$/, "") };
}

/** The web-server flow's code exchange: the access token, the instance URL and the refresh token to keep. */
export async function exchangeCode(
  input: { code: string; clientId: string; clientSecret: string; redirectUri: string },
  options: TokenOptions = {},
): Promise<Session & { refreshToken: string }> {
  const token = await requestToken(
    new URLSearchParams({
      grant_type: "authorization_code",
      code: input.code,
      client_id: input.clientId,
      client_secret: input.clientSecret,
      redirect_uri: input.redirectUri,
    }),
    "Check the consumer key and secret and that the connected app's callback URL is this page's address, then connect again.",
    options,
  );
  if (!token.refresh_token) {
    throw new CrmRequestError(
      "Salesforce signed in but gave no refresh token, so the daily sync could not sign in later: add the “Perform requests at any time (refresh_token, offline_access)” scope to the connected app, then connect again.",
      null,
    );
  }
  return {
    accessToken: token.access_token,
    instanceUrl: token.instance_url.replace(/\/+$/, ""),
    refreshToken: token.refresh_token,
  };
}
