// The review's verdicts after a sync equal those after importing the same
// account's CSV exports into another database: the sync is the import, fed
// from the API instead of files.
// - HubSpot: owners, deals with their "Date entered" stage columns,
//   activities. The account has no close-date or amount changes, which
//   HubSpot's deal export cannot carry.
// - Salesforce (--preset salesforce, Data Loader's API-name columns): users
//   with their role, opportunities, OpportunityHistory (with its close-date
//   and amount changes), tasks and events.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, expect, inject, it } from "vitest";
import { db, getConnection, useConnection } from "@/lib/db";
import { runReviewAs } from "@/lib/reviews/run";
import { FakeHubSpot, HUBSPOT_TOKEN, PIPELINE } from "../fixtures/crm/hubspot";
import { FakeSalesforce, SF_CLIENT_ID, SF_STAGES, SF_USERNAME } from "../fixtures/crm/salesforce";
import { openTestDatabase } from "../setup/test-database";
import { apply, text } from "./import-helpers";
import { emptyDatabase, syncer } from "./sync-helpers";

const hubspot = new FakeHubSpot({ deals: 160, withChanges: false });
const { sync } = syncer("hubspot", () => ({ HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN, HUBSPOT_API_BASE: hubspot.baseUrl }));
const salesforce = new FakeSalesforce(160);
const keyFile = path.join(mkdtempSync(path.join(tmpdir(), "sf-key-")), "server.key");
const salesforceSync = syncer("salesforce", () => ({
  SALESFORCE_CLIENT_ID: SF_CLIENT_ID,
  SALESFORCE_USERNAME: SF_USERNAME,
  SALESFORCE_PRIVATE_KEY_FILE: keyFile,
  SALESFORCE_LOGIN_URL: salesforce.baseUrl,
})).sync;
const now = new Date();

beforeAll(async () => {
  await hubspot.start();
  await salesforce.start();
  writeFileSync(keyFile, salesforce.keys.privateKey);
});
afterAll(async () => {
  await hubspot.stop();
  await salesforce.stop();
});
beforeEach(async () => {
  await emptyDatabase();
});

/** Every current verdict (flag episodes that have not ended): deal flags by HubSpot id, rep flags by email, team flags by name. */
async function verdicts(): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ who: string; rule: string; severity: string; explanation: string }[]>(
    `SELECT coalesce(o."externalId", u.email, t.name) AS who, f.rule, f.severity::text AS severity, f.explanation
       FROM "Flag" f
       LEFT JOIN "Opportunity" o ON o.id = f."opportunityId"
       LEFT JOIN "User" u ON u.id = f."userId"
       LEFT JOIN "Team" t ON t.id = f."teamId"
      WHERE f."endedAt" IS NULL`,
  );
  return rows.map((row) => `${row.who} | ${row.rule} | ${row.severity} | ${row.explanation}`).sort();
}

it("npm run review gives the same verdicts after a sync as after importing the equivalent CSV exports", async () => {
  const synced = await sync();
  expect(synced.ok).toBe(true);
  await runReviewAs(null, { now, asOf: now });
  const fromSync = await verdicts();

  const original = getConnection();
  const other = await openTestDatabase(inject("testDatabase"));
  useConnection(other);
  try {
    const stages = Object.fromEntries(
      PIPELINE.stages.filter((s) => s.metadata.isClosed === "false").map((s) => [s.label, "create"]),
    );
    await apply([
      text("owners.csv", hubspot.ownersCsv(), { kind: "people", preset: "hubspot" }),
      text("deals.csv", hubspot.dealsCsv(), { kind: "deals", preset: "hubspot", mapping: { stages } }),
      text("activities.csv", hubspot.activitiesCsv(), { kind: "activities", preset: "hubspot" }),
    ]);
    await runReviewAs(null, { now, asOf: now });
    const fromCsv = await verdicts();

    expect(fromSync.length).toBeGreaterThan(20);
    expect(new Set(fromSync.map((v) => v.split(" | ")[1])).size).toBeGreaterThan(2);
    expect(fromSync).toEqual(fromCsv);
  } finally {
    useConnection(original);
    await other.dispose();
  }
}, 240_000);

it("the same for Salesforce: a sync gives the verdicts of importing its exports with --preset salesforce", async () => {
  const synced = await salesforceSync();
  expect(synced.errors).toEqual([]);
  expect(synced.ok).toBe(true);
  await runReviewAs(null, { now, asOf: now });
  const fromSync = await verdicts();

  const original = getConnection();
  const other = await openTestDatabase(inject("testDatabase"));
  useConnection(other);
  try {
    // The open stages in the org's order, created as the sync creates them.
    const stages = Object.fromEntries(SF_STAGES.filter((s) => !s.closed).map((s) => [s.name, "create"]));
    await apply([
      text("users.csv", salesforce.usersCsv(), { kind: "people", preset: "salesforce" }),
      text("opportunities.csv", salesforce.opportunitiesCsv(), {
        kind: "deals",
        preset: "salesforce",
        mapping: { stages },
      }),
      text("opportunity-history.csv", salesforce.historyCsv(), { kind: "stage-history", preset: "salesforce" }),
      text("tasks.csv", salesforce.tasksCsv(), { kind: "activities", preset: "salesforce" }),
      text("events.csv", salesforce.eventsCsv(), { kind: "activities", preset: "salesforce" }),
    ]);
    await runReviewAs(null, { now, asOf: now });
    const fromCsv = await verdicts();

    expect(fromSync.length).toBeGreaterThan(20);
    expect(new Set(fromSync.map((v) => v.split(" | ")[1])).size).toBeGreaterThan(2);
    expect(fromSync).toEqual(fromCsv);
  } finally {
    useConnection(original);
    await other.dispose();
  }
}, 240_000);
