// Connecting Salesforce on Settings → Connections, against the fake org's
// authorize and token endpoints (tests/fixtures/crm/salesforce.ts): the
// web-server flow's start action, then the callback route with the code
// Salesforce sent back — the connection saved encrypted, used by the next
// sync through the refresh token — and the callbacks it must refuse; and the
// JWT flow's form (consumer key, username, private key).
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { GET as callback } from "@/app/settings/connections/salesforce/callback/route";
import { db } from "@/lib/db";
import { saveConnectionAction, startSalesforceSignInAction, testConnectionAction } from "@/lib/sync/actions";
import { runSync } from "@/lib/sync/run";
import { beginWebSignIn, CALLBACK_PATH, PENDING_COOKIE } from "@/lib/sync/salesforce-connect";
import { decryptSecret } from "@/lib/sync/secrets";
import { FakeSalesforce, SF_CLIENT_ID, SF_CLIENT_SECRET, SF_USERNAME } from "../fixtures/crm/salesforce";
import { signInAs } from "../fixtures/sign-in";
import { emptyDatabase } from "./sync-helpers";

const APP = "http://localhost:3000";
const salesforce = new FakeSalesforce(12);
let adminId: string;

beforeAll(async () => {
  await salesforce.start();
});
afterAll(async () => {
  await salesforce.stop();
});
beforeEach(async () => {
  await emptyDatabase();
  process.env.CONNECTIONS_KEY = Buffer.alloc(32, 9).toString("base64");
  process.env.BETTER_AUTH_URL = APP;
  const admin = await db.user.create({ data: { name: "Ada Admin", email: "ada@acme.test", role: "admin" } });
  adminId = admin.id;
  await signInAs({ userId: admin.id, name: admin.name, role: "admin", teamId: null });
});
afterEach(() => {
  delete process.env.CONNECTIONS_KEY;
  delete process.env.BETTER_AUTH_URL;
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};

/** The person approves the app at Salesforce: the authorize endpoint redirects back with a code. */
async function approve(authorizeUrl: string): Promise<URL> {
  const response = await fetch(authorizeUrl, { redirect: "manual" });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location") ?? "");
}

const callbackRequest = (url: URL, cookie?: string) =>
  new NextRequest(url, { headers: cookie ? { cookie: `${PENDING_COOKIE}=${cookie}` } : {} });

it("the start action sends the admin to Salesforce's authorize page with the callback, scopes and a state", async () => {
  const started = await startSalesforceSignInAction(
    null,
    form({ clientId: SF_CLIENT_ID, clientSecret: SF_CLIENT_SECRET, loginUrl: salesforce.baseUrl }),
  );
  if (!started.ok) throw new Error(started.message);
  const url = new URL(started.data.url);
  expect(url.origin + url.pathname).toBe(`${salesforce.baseUrl}/services/oauth2/authorize`);
  expect(Object.fromEntries(url.searchParams)).toMatchObject({
    response_type: "code",
    client_id: SF_CLIENT_ID,
    redirect_uri: `${APP}${CALLBACK_PATH}`,
    scope: "api refresh_token",
    state: expect.stringMatching(/^[\w-]{20,}$/),
  });
  expect(started.data.url).not.toContain(SF_CLIENT_SECRET);

  const missing = await startSalesforceSignInAction(null, form({ clientId: "", clientSecret: "x", loginUrl: "ftp:x" }));
  expect(missing).toMatchObject({
    ok: false,
    fieldErrors: {
      clientId: [expect.stringMatching(/consumer key/)],
      clientSecret: [expect.stringMatching(/too short/)],
      loginUrl: [expect.stringMatching(/https:/)],
    },
  });
});

it("the callback exchanges the code, saves the refresh token encrypted, and the next sync signs in with it", async () => {
  const { url, cookie } = beginWebSignIn(
    { clientId: SF_CLIENT_ID, clientSecret: SF_CLIENT_SECRET, loginUrl: salesforce.baseUrl },
    APP,
  );
  expect(cookie).not.toContain(SF_CLIENT_SECRET);
  const back = await approve(url);
  expect(back.pathname).toBe(CALLBACK_PATH);

  const response = await callback(callbackRequest(back, cookie));
  expect(response.status).toBe(303);
  // Relative, so the browser stays on the host (and session cookie) it came from.
  expect(response.headers.get("location")).toMatch(/^\/settings\/connections\?/);
  const landed = new URL(response.headers.get("location") ?? "", APP);
  expect(landed.pathname).toBe("/settings/connections");
  expect(landed.searchParams.get("salesforce-error")).toBeNull();
  expect(landed.searchParams.get("salesforce")).toMatch(
    /Salesforce is connected\. Connected to Salesforce .*read the opportunity “SF deal/,
  );
  expect(response.headers.get("set-cookie")).toMatch(new RegExp(`${PENDING_COOKIE}=;`));

  const row = await db.crmConnection.findUniqueOrThrow({ where: { crm: "salesforce" } });
  expect(row.settings).toMatchObject({ flow: "web", clientId: SF_CLIENT_ID, instanceUrl: salesforce.baseUrl });
  expect(row.secret).not.toContain(SF_CLIENT_SECRET);
  const secret = JSON.parse(decryptSecret(row.secret as string)) as { clientSecret: string; refreshToken: string };
  expect(secret).toMatchObject({ clientSecret: SF_CLIENT_SECRET, refreshToken: expect.stringMatching(/^5Aep861/) });
  const audit = JSON.stringify(await db.auditEvent.findMany({ where: { entityId: "connection:salesforce" } }));
  expect(audit).not.toContain(SF_CLIENT_SECRET);
  expect(audit).not.toContain(secret.refreshToken);

  // No SALESFORCE_* variables: the sync uses the saved connection, signing in by its refresh token.
  const outcome = await runSync("salesforce", { via: "page", actorId: adminId, reader: { source: {} } });
  expect(outcome).toMatchObject({ ok: true, counts: { deals: { new: 12 } } });
  expect(salesforce.grants.slice(-3)).toEqual(["authorization_code", "refresh_token", "refresh_token"]);
});

it("refuses a callback it did not start, one Salesforce declined, and a code for another callback; nothing is saved", async () => {
  const { url, cookie } = beginWebSignIn(
    { clientId: SF_CLIENT_ID, clientSecret: SF_CLIENT_SECRET, loginUrl: salesforce.baseUrl },
    APP,
  );
  const back = await approve(url);
  const message = async (request: NextRequest) =>
    new URL((await callback(request)).headers.get("location") ?? "", APP).searchParams.get("salesforce-error");

  expect(await message(callbackRequest(back))).toMatch(/was not started in this browser.*start again/);
  const forged = new URL(back);
  forged.searchParams.set("state", "someone-elses-state");
  expect(await message(callbackRequest(forged, cookie))).toMatch(/did not start: start again/);
  const declined = new URL(CALLBACK_PATH, APP);
  declined.searchParams.set("error", "access_denied");
  declined.searchParams.set("error_description", "end-user denied authorization");
  expect(await message(callbackRequest(declined, cookie))).toMatch(
    /Salesforce did not connect \(access_denied: end-user denied authorization\)/,
  );
  // The same code from another start (another callback address): Salesforce refuses the exchange.
  const other = beginWebSignIn(
    { clientId: SF_CLIENT_ID, clientSecret: SF_CLIENT_SECRET, loginUrl: salesforce.baseUrl },
    "http://elsewhere.test",
  );
  const mixed = new URL(back);
  mixed.searchParams.set("state", JSON.parse(decryptSecret(other.cookie)).state);
  expect(await message(callbackRequest(mixed, other.cookie))).toMatch(
    /Salesforce refused to sign in \(400\).*invalid authorization code/,
  );
  expect(await db.crmConnection.count()).toBe(0);
});

it("the JWT form: a key the app's certificate matches is tested and saved encrypted; another key is refused, not saved", async () => {
  const fields = { crm: "salesforce", clientId: SF_CLIENT_ID, username: SF_USERNAME, loginUrl: salesforce.baseUrl };
  const wrongKey = new FakeSalesforce(0).keys.privateKey;
  const refused = await saveConnectionAction(null, form({ ...fields, secret: wrongKey }));
  expect(refused).toMatchObject({
    ok: false,
    message: expect.stringMatching(/refused to sign in \(400\).*invalid assertion/),
  });
  expect(await db.crmConnection.count()).toBe(0);

  const saved = await saveConnectionAction(null, form({ ...fields, secret: salesforce.keys.privateKey }));
  expect(saved).toMatchObject({ ok: true, message: expect.stringMatching(/Salesforce is connected\. .*“SF deal/) });
  const row = await db.crmConnection.findUniqueOrThrow({ where: { crm: "salesforce" } });
  expect(row.settings).toMatchObject({ flow: "jwt", clientId: SF_CLIENT_ID, username: SF_USERNAME });
  expect(row.secret).not.toContain("PRIVATE KEY");
  expect(decryptSecret(row.secret as string)).toBe(salesforce.keys.privateKey.trim());
  expect(JSON.stringify(await db.auditEvent.findMany())).not.toContain("PRIVATE KEY");
  expect(await testConnectionAction(null, form({ crm: "salesforce" }))).toMatchObject({ ok: true });
  const outcome = await runSync("salesforce", { via: "page", actorId: adminId, reader: { source: {} } });
  expect(outcome).toMatchObject({ ok: true, counts: { deals: { new: 12 } } });
});
