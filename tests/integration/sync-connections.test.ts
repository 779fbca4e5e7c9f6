// Settings → Connections: only admins connect a CRM; a token is tested by
// reading one deal before it is saved, stored encrypted (AES-256-GCM under
// CONNECTIONS_KEY), never returned, never in the audit trail; a saved
// connection is what `npm run sync` then uses, with no environment.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { disconnectAction, saveConnectionAction, syncNowAction, testConnectionAction } from "@/lib/sync/actions";
import { listConnections } from "@/lib/sync/data";
import { runSync } from "@/lib/sync/run";
import { decryptSecret } from "@/lib/sync/secrets";
import { FakeHubSpot, HUBSPOT_TOKEN } from "../fixtures/crm/hubspot";
import { signInAs } from "../fixtures/sign-in";
import { emptyDatabase } from "./sync-helpers";

const hubspot = new FakeHubSpot({ deals: 30 });
const KEY = Buffer.alloc(32, 7).toString("base64");
let admin: { userId: string; name: string; role: "admin"; teamId: null };
let rep: { userId: string; name: string; role: "rep"; teamId: null };

beforeAll(async () => {
  await hubspot.start();
});
afterAll(async () => {
  await hubspot.stop();
});
beforeEach(async () => {
  await emptyDatabase();
  process.env.CONNECTIONS_KEY = KEY;
  process.env.HUBSPOT_API_BASE = hubspot.baseUrl;
  delete process.env.HUBSPOT_ACCESS_TOKEN;
  const a = await db.user.create({ data: { name: "Ada Admin", email: "ada@acme.test", role: "admin" } });
  const r = await db.user.create({ data: { name: "Rae Rep", email: "rae@acme.test", role: "rep" } });
  admin = { userId: a.id, name: a.name, role: "admin", teamId: null };
  rep = { userId: r.id, name: r.name, role: "rep", teamId: null };
});
afterEach(() => {
  delete process.env.CONNECTIONS_KEY;
  delete process.env.HUBSPOT_API_BASE;
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};

it("an admin's token is tested on one deal, saved encrypted, never shown or audited, and used by the next sync", async () => {
  await signInAs(admin);
  const saved = await saveConnectionAction(null, form({ crm: "hubspot", secret: HUBSPOT_TOKEN }));
  expect(saved).toMatchObject({
    ok: true,
    message: expect.stringMatching(/HubSpot is connected\. Connected to HubSpot: read the deal “Deal 1/),
  });

  const row = await db.crmConnection.findUniqueOrThrow({ where: { crm: "hubspot" } });
  expect(row.secret).not.toContain(HUBSPOT_TOKEN);
  expect(decryptSecret(row.secret as string)).toBe(HUBSPOT_TOKEN);
  const audit = await db.auditEvent.findMany({ where: { entityId: "connection:hubspot" } });
  expect(audit).toHaveLength(1);
  expect(JSON.stringify(audit)).not.toContain(HUBSPOT_TOKEN);
  expect(JSON.stringify(await listConnections())).not.toContain(HUBSPOT_TOKEN);
  expect((await listConnections()).find((c) => c.crm === "hubspot")).toMatchObject({ connected: true, origin: "page" });

  expect(await testConnectionAction(null, form({ crm: "hubspot" }))).toMatchObject({ ok: true });
  // No HUBSPOT_ACCESS_TOKEN in the environment: the sync uses the saved, decrypted token.
  const outcome = await runSync("hubspot", {
    via: "page",
    actorId: admin.userId,
    reader: { http: { minIntervalMs: 0 } },
  });
  expect(outcome).toMatchObject({ ok: true, counts: { deals: { new: 30 } } });

  expect(await disconnectAction(null, form({ crm: "hubspot" }))).toMatchObject({ ok: true });
  expect((await db.crmConnection.findUniqueOrThrow({ where: { crm: "hubspot" } })).secret).toBeNull();
  expect(await syncNowAction(null, form({ crm: "hubspot" }))).toMatchObject({
    ok: false,
    message: expect.stringMatching(/HUBSPOT_ACCESS_TOKEN is not set/),
  });
});

it("a wrong token is refused with HubSpot's reason and not saved; a rep may not connect; no key means a clear refusal", async () => {
  await signInAs(admin);
  const wrong = await saveConnectionAction(null, form({ crm: "hubspot", secret: "pat-na1-wrong-token" }));
  expect(wrong).toMatchObject({ ok: false, message: expect.stringMatching(/refused the credentials \(401\)/) });
  expect(await db.crmConnection.count()).toBe(0);

  const short = await saveConnectionAction(null, form({ crm: "hubspot", secret: "abc" }));
  expect(short).toMatchObject({ ok: false, fieldErrors: { secret: [expect.stringMatching(/too short/)] } });

  delete process.env.CONNECTIONS_KEY;
  const noKey = await saveConnectionAction(null, form({ crm: "hubspot", secret: HUBSPOT_TOKEN }));
  expect(noKey).toMatchObject({ ok: false, message: expect.stringMatching(/CONNECTIONS_KEY is not set/) });
  expect(await db.crmConnection.count()).toBe(0);

  process.env.CONNECTIONS_KEY = KEY;
  await signInAs(rep);
  const asRep = await saveConnectionAction(null, form({ crm: "hubspot", secret: HUBSPOT_TOKEN }));
  expect(asRep).toMatchObject({ ok: false, message: expect.stringMatching(/Only administrators can connect a CRM/) });
  expect(await db.crmConnection.count()).toBe(0);
});
