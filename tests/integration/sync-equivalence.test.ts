// The review's verdicts after a HubSpot sync equal those after importing the
// same account's CSV exports (owners, deals with their "Date entered" stage
// columns, activities) into another database: the sync is the import, fed
// from the API instead of files. The account has no close-date or amount
// changes, which HubSpot's deal export cannot carry.
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { db, getConnection, useConnection } from "@/lib/db";
import { runReviewAs } from "@/lib/reviews/run";
import { FakeHubSpot, HUBSPOT_TOKEN, PIPELINE } from "../fixtures/crm/hubspot";
import { openTestDatabase } from "../setup/test-database";
import { apply, text } from "./import-helpers";
import { syncer } from "./sync-helpers";

const hubspot = new FakeHubSpot({ deals: 160, withChanges: false });
const { sync } = syncer("hubspot", () => ({ HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN, HUBSPOT_API_BASE: hubspot.baseUrl }));
const now = new Date();

beforeAll(async () => {
  await hubspot.start();
});
afterAll(async () => {
  await hubspot.stop();
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
