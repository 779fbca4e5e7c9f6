// Pipedrive sync against a local server answering as Pipedrive's API
// reference documents (tests/fixtures/crm/pipedrive.ts): a first full sync
// over several pages of deals and activities, an incremental sync, a 429
// waited out, a failure mid-page that changes nothing and resumes, and deals
// deleted in Pipedrive.
import { afterEach, beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { FakePipedrive, PIPEDRIVE_TOKEN } from "../fixtures/crm/pipedrive";
import { dealActivities, dealByExternalId, dealHistory } from "./import-helpers";
import { emptyDatabase, syncer } from "./sync-helpers";

const DAY = 86_400_000;
let pipedrive: FakePipedrive;
const { sync, waits } = syncer("pipedrive", () => ({
  PIPEDRIVE_API_TOKEN: PIPEDRIVE_TOKEN,
  PIPEDRIVE_API_BASE: pipedrive.baseUrl,
}));
const dealLists = () =>
  pipedrive.server.requestsTo("GET", /^\/api\/v2\/deals$/).filter((r) => r.query.get("status") !== "deleted");

beforeEach(async () => {
  await emptyDatabase();
  waits.length = 0;
  pipedrive = new FakePipedrive(230);
  await pipedrive.start();
});
afterEach(async () => {
  await pipedrive?.stop();
});

it("first sync: stages in pipeline order with their probabilities, owners, every deal with its flow and activities", async () => {
  const outcome = await sync();
  expect(outcome.errors).toEqual([]);
  expect(outcome.ok).toBe(true);
  expect(dealLists()).toHaveLength(3);
  expect(outcome.counts.deals).toMatchObject({ new: 230, rejected: 0 });
  expect((await db.stage.findMany({ orderBy: { order: "asc" } })).map((s) => [s.name, s.probability])).toEqual([
    ["Lead in", 10],
    ["Contact made", 30],
    ["Proposal made", 60],
    ["Negotiations started", 80],
  ]);
  expect((await db.user.findMany({ orderBy: { email: "asc" } })).map((u) => u.email)).toEqual([
    "dana@acme.test",
    "eli@acme.test",
  ]);

  const deal = await dealByExternalId("pipedrive", "6");
  expect(deal).toMatchObject({ status: "open", currency: "EUR" });
  expect(deal.stage.name).toBe("Proposal made");
  const history = await dealHistory(deal.id);
  expect(history.moves.map((m) => [m.to, m.direction])).toEqual([
    ["Lead in", "created"],
    ["Contact made", "forward"],
    ["Proposal made", "forward"],
  ]);
  expect(history.closeDates.map((c) => c.isPush)).toEqual([true]);
  expect((await dealActivities(deal.id)).map((a) => [a.type, a.side])).toEqual([
    ["call", "seller"],
    ["meeting", "buyer"],
  ]);
  expect(await dealByExternalId("pipedrive", "10")).toMatchObject({ status: "won" });
  expect(await dealByExternalId("pipedrive", "9")).toMatchObject({ status: "lost", lostReason: "No budget" });
  expect(outcome.counts.activities.skipped).toBeGreaterThan(0);
});

it("incremental: asks for deals and activities updated since the last sync only", async () => {
  expect((await sync()).ok).toBe(true);
  const from = dealLists().length;
  pipedrive.moveStage(5, 14, Date.now() - DAY);
  pipedrive.addActivity(5, {
    type: "meeting",
    subject: "Pricing call",
    at: Date.now() - DAY,
    done: true,
    updated: Date.now() - DAY,
  });
  const outcome = await sync();
  expect(outcome.ok).toBe(true);
  const asked = dealLists().slice(from);
  expect(asked).toHaveLength(1);
  expect(asked[0]?.query.get("updated_since")).toBeTruthy();
  expect(outcome.counts.deals).toMatchObject({ new: 0, updated: 1 });
  expect(outcome.counts.activities).toMatchObject({ new: 1, unchanged: 0 });
  expect((await dealByExternalId("pipedrive", "5")).stage.name).toBe("Negotiations started");
});

it("waits out a 429 as Retry-After says", async () => {
  pipedrive.server.fail("GET", /^\/api\/v2\/deals$/, {
    status: 429,
    headers: { "retry-after": "2" },
    body: { success: false, error: "Rate limit exceeded" },
  });
  const outcome = await sync();
  expect(outcome.ok).toBe(true);
  expect(waits).toEqual([2000]);
});

it("a failure in the middle of a page writes nothing of it; the next sync resumes at that page", async () => {
  // The second page of deals: its flows are read one by one; the 120th flow read fails.
  pipedrive.server.fail(
    "GET",
    /^\/api\/v1\/deals\/\d+\/flow$/,
    { status: 500, body: { success: false, error: "Internal" } },
    { skip: 119 },
  );
  const failed = await sync();
  expect(failed.ok).toBe(false);
  expect(failed.pages).toBe(1);
  expect(await db.opportunity.count()).toBe(100);
  const resumed = await sync();
  expect(resumed.ok).toBe(true);
  expect(resumed.counts.deals.new).toBe(130);
  expect(await db.opportunity.count()).toBe(230);
  // The resumed run started at the second page (a cursor), not from the beginning.
  expect(dealLists().map((r) => r.query.get("cursor") !== null)).toEqual([false, true, true, true]);
});

it("a deal deleted in Pipedrive is closed here as lost, not deleted", async () => {
  expect((await sync()).ok).toBe(true);
  pipedrive.remove(15, Date.now() - DAY);
  const outcome = await sync();
  expect(outcome.ok).toBe(true);
  expect(outcome.counts.deletedClosed).toBe(1);
  expect(await dealByExternalId("pipedrive", "15")).toMatchObject({
    status: "lost",
    lostReason: "Deleted in Pipedrive",
  });
  expect(await db.opportunity.count()).toBe(230);
});
