// Salesforce sync against a local server answering as Salesforce's REST API
// and OAuth endpoints are documented (tests/fixtures/crm/salesforce.ts,
// which runs the SOQL it is sent): the JWT bearer sign-in (the fake checks
// the assertion's signature with the public key), a first full sync over
// several nextRecordsUrl pages, an incremental sync that asks only for what
// changed, 429 / 503 REQUEST_LIMIT_EXCEEDED waited out, a failure in the
// middle of a page that leaves the database as it was and resumes there,
// deleted opportunities, and an expired session signed in again.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { FakeSalesforce, SF_CLIENT_ID, SF_USERNAME } from "../fixtures/crm/salesforce";
import { dealActivities, dealByExternalId, dealHistory } from "./import-helpers";
import { emptyDatabase, syncer } from "./sync-helpers";

const DAY = 86_400_000;
let salesforce: FakeSalesforce;
let keyFile: string;
const { sync, waits } = syncer("salesforce", () => ({
  SALESFORCE_CLIENT_ID: SF_CLIENT_ID,
  SALESFORCE_USERNAME: SF_USERNAME,
  SALESFORCE_PRIVATE_KEY_FILE: keyFile,
  SALESFORCE_LOGIN_URL: salesforce.baseUrl,
}));
const dealQueries = () =>
  salesforce.server
    .requestsTo("GET", /\/queryAll$/)
    .map((request) => request.query.get("q") ?? "")
    .filter((q) => / FROM Opportunity /.test(q));
const idOf = FakeSalesforce.dealId;

async function start(deals: number) {
  salesforce = new FakeSalesforce(deals);
  await salesforce.start();
  keyFile = path.join(mkdtempSync(path.join(tmpdir(), "sf-key-")), "server.key");
  writeFileSync(keyFile, salesforce.keys.privateKey);
}

beforeEach(async () => {
  await emptyDatabase();
  waits.length = 0;
});
afterEach(async () => {
  await salesforce?.stop();
});

it("first sync: signs in by JWT, creates stages, owners and role teams, and reads every page of deals, history, tasks and events", async () => {
  // 410 deals at 200 a page: three pages, followed by nextRecordsUrl.
  await start(410);
  const outcome = await sync();
  expect(outcome.errors).toEqual([]);
  expect(outcome.ok).toBe(true);
  expect(salesforce.grants).toEqual(["jwt"]);
  expect(salesforce.server.requestsTo("GET", /\/query\/01gFAKE[0-9a-f]+-(200|400)$/).length).toBeGreaterThanOrEqual(2);
  expect(outcome.counts.deals).toMatchObject({ new: 410, rejected: 0 });
  expect(await db.opportunity.count({ where: { source: "salesforce" } })).toBe(410);

  const stages = await db.stage.findMany({ orderBy: { order: "asc" } });
  expect(stages.map((s) => [s.name, s.probability])).toEqual([
    ["Prospecting", 10],
    ["Qualification", 10],
    ["Needs Analysis", 20],
    ["Value Proposition", 50],
    ["Id. Decision Makers", 60],
    ["Proposal/Price Quote", 75],
    ["Negotiation/Review", 90],
  ]);
  const people = await db.user.findMany({ include: { team: true }, orderBy: { email: "asc" } });
  expect(people.map((p) => [p.email, p.team?.name])).toEqual([
    ["dana@acme.test", "West"],
    ["eli@acme.test", "East"],
    ["fay@acme.test", "East"],
  ]);

  // Deal 12: two stage moves, a close-date push and a doubled amount; an inbound call, an email, a held demo.
  const deal = await dealByExternalId("salesforce", idOf(12));
  expect(deal).toMatchObject({ status: "open", name: "SF deal 12" });
  expect(deal.stage.name).toBe("Needs Analysis");
  const history = await dealHistory(deal.id);
  expect(history.moves.map((m) => [m.to, m.direction])).toEqual([
    ["Prospecting", "created"],
    ["Qualification", "forward"],
    ["Needs Analysis", "forward"],
  ]);
  expect(history.closeDates.map((c) => c.isPush)).toEqual([true]);
  expect(history.amounts.map((a) => [a.from, a.to])).toEqual([["4000.00", "8000.00"]]);
  expect((await dealActivities(deal.id)).map((a) => [a.type, a.side])).toEqual([
    ["call", "buyer"],
    ["email", "seller"],
    ["meeting", "buyer"],
  ]);
  expect(await dealByExternalId("salesforce", idOf(10))).toMatchObject({ status: "won" });
  expect(await dealByExternalId("salesforce", idOf(11))).toMatchObject({ status: "lost" });
  // Open tasks (planned work) are skipped, not lost silently: they are counted.
  expect(outcome.counts.activities.skipped).toBeGreaterThan(0);
}, 300_000);

it("incremental: asks only for records after the last SystemModstamp read, and writes only the change", async () => {
  await start(30);
  expect((await sync()).ok).toBe(true);
  const before = dealQueries().length;
  salesforce.moveStage(5, "Negotiation/Review", Date.now() - DAY);
  salesforce.addTask(idOf(5), {
    subtype: "Call",
    callType: "Inbound",
    at: Date.now() - DAY,
    done: true,
    modified: Date.now() - DAY,
  });
  const outcome = await sync();
  expect(outcome.ok).toBe(true);
  const asked = dealQueries().slice(before);
  expect(asked).toHaveLength(1);
  expect(asked[0]).toMatch(
    /WHERE \(SystemModstamp > \S+ OR \(SystemModstamp = \S+ AND Id > '006\d{12}AAA'\)\) ORDER BY SystemModstamp, Id$/,
  );
  expect(outcome.counts.deals).toMatchObject({ new: 0, updated: 1 });
  expect(outcome.counts.activities).toMatchObject({ new: 1 });
  expect((await dealByExternalId("salesforce", idOf(5))).stage.name).toBe("Negotiation/Review");
}, 180_000);

it("waits out a 429 as Retry-After says and backs off on 503 REQUEST_LIMIT_EXCEEDED", async () => {
  await start(20);
  salesforce.server.fail("GET", /\/queryAll$/, {
    status: 429,
    headers: { "retry-after": "3" },
    body: [{ message: "Too many requests", errorCode: "REQUEST_LIMIT_EXCEEDED" }],
  });
  salesforce.server.fail("GET", /\/query$/, {
    status: 503,
    body: [{ message: "ConcurrentPerOrgLongTxn Limit exceeded", errorCode: "REQUEST_LIMIT_EXCEEDED" }],
  });
  const outcome = await sync();
  expect(outcome.errors).toEqual([]);
  expect(outcome.ok).toBe(true);
  // The 503 (the first query: users) had no Retry-After: the first backoff step. Then the 429's 3 seconds.
  expect(waits).toEqual([1000, 3000]);
  expect(await db.opportunity.count()).toBe(20);
}, 180_000);

it("stops with a plain message when the org's daily API allowance is used up (403 REQUEST_LIMIT_EXCEEDED)", async () => {
  await start(5);
  salesforce.server.fail("GET", /\/queryAll$/, {
    status: 403,
    body: [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }],
  });
  const outcome = await sync();
  expect(outcome.ok).toBe(false);
  expect(outcome.errors.at(-1)).toMatch(/API requests for the last 24 hours are used up.*sync again once/);
  expect(await db.opportunity.count()).toBe(0);
}, 120_000);

it("a failure in the middle of a page writes nothing of it; the next sync resumes at that page", async () => {
  await start(250);
  // The second page's OpportunityHistory query fails (the first page's is the first history query).
  salesforce.server.fail(
    "GET",
    /\/query$/,
    { status: 500, body: [{ message: "An unexpected error occurred.", errorCode: "UNKNOWN_EXCEPTION" }] },
    { skip: 3 },
  );
  const failed = await sync();
  expect(failed.ok).toBe(false);
  expect(failed.pages).toBe(1);
  expect(await db.opportunity.count()).toBe(200);
  const resumed = await sync();
  expect(resumed.ok).toBe(true);
  expect(resumed.counts.deals.new).toBe(50);
  expect(await db.opportunity.count()).toBe(250);
  // The resumed run asked for the deals after the 200th, not from the beginning.
  expect(dealQueries()).toHaveLength(2);
  expect(dealQueries()[1]).toContain(`Id > '${idOf(200)}'`);
}, 300_000);

it("an opportunity deleted in Salesforce is closed here as lost, not deleted; one never synced is not brought in", async () => {
  await start(25);
  expect((await sync()).ok).toBe(true);
  salesforce.remove(15, Date.now() - DAY);
  const fresh = salesforce.deals.length + 1;
  salesforce.deals.push({ ...salesforce.deal(3), Id: idOf(fresh), IsDeleted: true, modified: Date.now() - DAY });
  const outcome = await sync();
  expect(outcome.ok).toBe(true);
  expect(outcome.counts.deletedClosed).toBe(1);
  expect(await dealByExternalId("salesforce", idOf(15))).toMatchObject({
    status: "lost",
    lostReason: "Deleted in Salesforce",
  });
  expect(await db.opportunity.count()).toBe(25);
}, 180_000);

it("signs in again once when the access token has expired (401 INVALID_SESSION_ID), and refuses a key the app does not hold", async () => {
  await start(5);
  expect((await sync()).ok).toBe(true);
  salesforce.expireSessions();
  salesforce.moveStage(2, "Negotiation/Review", Date.now() - DAY);
  // A new run signs in afresh; expire the session again after its sign-in, mid-run.
  salesforce.server.fail("GET", /\/queryAll$/, {
    status: 401,
    body: [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }],
  });
  const renewed = await sync();
  expect(renewed.ok).toBe(true);
  expect(salesforce.grants).toEqual(["jwt", "jwt", "jwt"]);

  writeFileSync(keyFile, new FakeSalesforce(0).keys.privateKey);
  const refused = await sync();
  expect(refused.ok).toBe(false);
  expect(refused.errors.at(-1)).toMatch(/Salesforce refused to sign in \(400\).*invalid assertion.*certificate/);
}, 180_000);
