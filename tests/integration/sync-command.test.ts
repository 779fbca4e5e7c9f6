// `npm run sync -- hubspot` as a server or a cron job runs it: spawned with
// credentials from the environment (no saved connection) against a local
// server answering as HubSpot documents, into a brand-new embedded database;
// then again, incrementally; then with a wrong CRM name.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FakeHubSpot, HUBSPOT_TOKEN } from "../fixtures/crm/hubspot";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
let dir: string;
const hubspot = new FakeHubSpot({ deals: 120 });

function run(
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGLITE_DIR: path.join(dir, "pglite"),
    HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN,
    HUBSPOT_API_BASE: hubspot.baseUrl,
    ...extra,
  };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile("npm", ["run", "--silent", ...args], { cwd: ROOT, env, timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

async function query<T>(sql: string): Promise<T[]> {
  const pglite = await PGlite.create(path.join(dir, "pglite"));
  try {
    return (await pglite.query<T>(sql)).rows;
  } finally {
    await pglite.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "sync-command-"));
  await hubspot.start();
});
afterAll(async () => {
  await hubspot.stop();
  await rm(dir, { recursive: true, force: true });
});

it("syncs HubSpot into a new database from the environment's token, then only what changed, and the review runs on it", async () => {
  const first = await run(["sync", "--", "hubspot"]);
  expect(first.stderr).toBe("");
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/Finished after 3 pages/);
  expect(first.stdout).toMatch(/Deals\s+120 new · 0 updated · 0 unchanged · 0 rejected/);
  expect(first.stdout).toMatch(
    /New stages: Appointment scheduled, Qualified to buy, Presentation scheduled, Decision maker bought-in, Contract sent\./,
  );
  expect(first.stdout).not.toContain(HUBSPOT_TOKEN);
  const [counts] = await query<{ deals: number; reps: number; teams: number; connections: number }>(
    `SELECT (SELECT count(*)::int FROM "Opportunity") AS deals, (SELECT count(*)::int FROM "User") AS reps,
            (SELECT count(*)::int FROM "Team") AS teams, (SELECT count(*)::int FROM "CrmConnection" WHERE secret IS NULL AND cursor IS NOT NULL) AS connections`,
  );
  expect(counts).toEqual({ deals: 120, reps: 3, teams: 2, connections: 1 });

  hubspot.change("1007", Date.now() - 3_600_000, { dealstage: "contractsent" });
  const second = await run(["sync", "--", "hubspot"]);
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/Deals\s+0 new · 1 updated · 1 unchanged · 0 rejected/);

  const review = await run(["review"]);
  expect(review.code).toBe(0);
  expect(review.stdout).toMatch(/East|West/);
}, 300_000);

it("refuses an unknown CRM with the usage (exit 2) and a missing token with what to set (exit 1)", async () => {
  const unknown = await run(["sync", "--", "zoho"]);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/Name one CRM to sync: hubspot, pipedrive, salesforce/);
  const missing = await run(["sync", "--", "pipedrive"], { PIPEDRIVE_API_TOKEN: "" });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/PIPEDRIVE_API_TOKEN is not set/);
}, 120_000);
