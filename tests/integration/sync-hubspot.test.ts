// HubSpot sync against a local server that answers as HubSpot's API is
// documented (tests/fixtures/crm/hubspot.ts): a first full sync over several
// pages, an incremental sync that reads only what changed, a 429 with
// Retry-After waited out, a failure in the middle of a page that leaves the
// database as it was and resumes there, and deals deleted in HubSpot.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runDueSyncs, runSync } from "@/lib/sync/run";
import { FakeHubSpot, HUBSPOT_TOKEN } from "../fixtures/crm/hubspot";
import { databaseState, dealActivities, dealByExternalId, dealHistory } from "./import-helpers";
import { emptyDatabase, syncer } from "./sync-helpers";

const DAY = 86_400_000;
let hubspot: FakeHubSpot;
const { sync, waits } = syncer("hubspot", () => ({
  HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN,
  HUBSPOT_API_BASE: hubspot.baseUrl,
}));
const searches = () => hubspot.server.requestsTo("POST", /\/crm\/v3\/objects\/deals\/search$/);

beforeEach(async () => {
  await emptyDatabase();
  waits.length = 0;
  // 250 deals: three pages of 100.
  hubspot = new FakeHubSpot({ deals: 250 });
  await hubspot.start();
});
afterEach(async () => {
  await hubspot.stop();
});

describe("npm run sync -- hubspot", () => {
  it("first sync: creates the stages, owners and teams it reads, and every deal with its history and activities, page by page", async () => {
    const outcome = await sync();
    expect(outcome.errors).toEqual([]);
    expect(outcome.ok).toBe(true);
    // 250 deals at 100 a page: three pages, then the deleted-deals list.
    expect(searches().map((r) => (r.body as { after?: string }).after ?? null)).toEqual([null, "100", "200"]);
    expect(outcome.pages).toBe(4);
    expect(outcome.counts.deals).toMatchObject({ new: 250, rejected: 0 });

    const stages = await db.stage.findMany({ orderBy: { order: "asc" } });
    expect(stages.map((s) => [s.name, s.probability])).toEqual([
      ["Appointment scheduled", 20],
      ["Qualified to buy", 40],
      ["Presentation scheduled", 60],
      ["Decision maker bought-in", 80],
      ["Contract sent", 90],
    ]);
    const people = await db.user.findMany({ include: { team: true }, orderBy: { email: "asc" } });
    expect(people.map((p) => [p.name, p.email, p.team?.name])).toEqual([
      ["Ana Silva", "ana.silva@acme.test", "East"],
      ["Ben Okafor", "ben.okafor@acme.test", "West"],
      ["Cleo Park", "cleo.park@acme.test", "East"],
    ]);
    expect(await db.opportunity.count({ where: { source: "hubspot" } })).toBe(250);

    // Deal 12: two stage moves, a close-date push, an amount change; two emails (one the buyer's), a meeting.
    const fake = hubspot.deal("1012");
    const deal = await dealByExternalId("hubspot", "1012");
    expect(deal.stage.name).toBe("Presentation scheduled");
    expect(deal.owner.email).toBe("ana.silva@acme.test");
    expect(deal.amount.toFixed(2)).toBe("4500.00");
    expect(deal.openedAt?.toISOString()).toBe(fake.createdAt);
    expect(deal.nextStep).toBe("Send the proposal");
    const history = await dealHistory(deal.id);
    expect(history.moves.map((m) => [m.to, m.direction])).toEqual([
      ["Appointment scheduled", "created"],
      ["Qualified to buy", "forward"],
      ["Presentation scheduled", "forward"],
    ]);
    expect(history.moves[2]?.at).toBe(new Date(Date.parse(fake.createdAt) + 24 * DAY).toISOString());
    expect(history.closeDates).toHaveLength(1);
    expect(history.closeDates[0]?.isPush).toBe(true);
    expect(history.amounts.map((a) => [a.from, a.to])).toEqual([["4000.00", "4500.00"]]);
    const activities = await dealActivities(deal.id);
    expect(activities.map((a) => [a.type, a.side])).toEqual([
      ["email", "seller"],
      ["email", "buyer"],
      ["meeting", "buyer"],
    ]);
    expect(deal.lastBuyerActivityAt?.toISOString()).toBe(new Date(Date.parse(fake.createdAt) + 15 * DAY).toISOString());

    // Deal 10 was won, deal 13 lost with its reason; a note's HTML is read as text; a task not done is skipped.
    expect((await dealByExternalId("hubspot", "1010")).status).toBe("won");
    expect(await dealByExternalId("hubspot", "1013")).toMatchObject({
      status: "lost",
      lostReason: "Went with a competitor",
    });
    const noted = await dealActivities((await dealByExternalId("hubspot", "1001")).id);
    expect(noted.find((a) => a.type === "note")?.summary).toBe("Budget confirmed for Q3");
    expect(outcome.counts.activities.skipped).toBeGreaterThan(0);
    expect(await db.activity.count({ where: { type: "task" } })).toBe(0);

    const run = await db.syncRun.findUniqueOrThrow({ where: { id: outcome.runId } });
    expect(run).toMatchObject({ status: "succeeded", pages: 4, via: "command line" });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("incremental sync: asks HubSpot only for deals modified since the last one, and writes only the changes", async () => {
    expect((await sync()).ok).toBe(true);
    const before = await databaseState();
    const latest = Math.max(...hubspot.deals.map((d) => Date.parse(d.properties.hs_lastmodifieddate ?? "")));
    const changedAt = Date.now() - DAY;
    hubspot.change("1021", changedAt, { dealstage: "contractsent" });
    hubspot.change("1022", changedAt + 1000, { amount: "9999" });
    hubspot.addEngagement("emails", ["1022"], {
      hs_timestamp: new Date(changedAt).toISOString(),
      hs_email_direction: "INCOMING_EMAIL",
      hs_email_subject: "Signed copy attached",
      hs_email_status: "SENT",
    });
    const from = searches().length;

    const outcome = await sync();
    expect(outcome.ok).toBe(true);
    const asked = searches().slice(from);
    expect(asked).toHaveLength(1);
    const body = asked[0]?.body as { filterGroups: { filters: unknown[] }[] } | undefined;
    const filter = body?.filterGroups[0]?.filters[0];
    expect(filter).toEqual({ propertyName: "hs_lastmodifieddate", operator: "GTE", value: String(latest) });
    // The boundary deal (modified exactly at the cursor) is read again and changes nothing.
    expect(outcome.counts.deals).toMatchObject({ new: 0, updated: 2, unchanged: 1 });
    expect(outcome.counts.activities.new).toBe(1);

    const moved = await dealByExternalId("hubspot", "1021");
    expect(moved.stage.name).toBe("Contract sent");
    expect((await dealByExternalId("hubspot", "1022")).amount.toFixed(2)).toBe("9999.00");
    const after = await databaseState();
    expect(after.deals).toBe(before.deals);
    expect(after.activities).toBe((before.activities as number) + 1);
  });

  it("waits as long as a 429's Retry-After says, then goes on", async () => {
    expect((await sync()).ok).toBe(true);
    hubspot.server.fail(
      "POST",
      /\/crm\/v3\/objects\/deals\/search$/,
      {
        status: 429,
        headers: { "retry-after": "7" },
        body: {
          status: "error",
          message: "You have reached your secondly limit.",
          errorType: "RATE_LIMIT",
          policyName: "SECONDLY",
        },
      },
      { times: 2 },
    );
    waits.length = 0;
    hubspot.change("1005", Date.now() - DAY, { amount: "1234" });
    const outcome = await sync();
    expect(outcome.ok).toBe(true);
    expect(waits).toEqual([7000, 7000]);
    expect((await dealByExternalId("hubspot", "1005")).amount.toFixed(2)).toBe("1234.00");
  });

  it("a failure in the middle of a page leaves the database as it was, and the next sync resumes at that page", async () => {
    expect((await sync()).ok).toBe(true);
    // Move all deals past the cursor, so the next sync reads three pages again.
    const base = Date.now() - DAY / 2;
    hubspot.deals.forEach((deal, i) => {
      hubspot.change(deal.id, base + i * 1000, { dealname: `${deal.properties.dealname} (renamed)` });
    });
    // The second page's email associations fail (after its deals, history and calls were read).
    hubspot.server.fail(
      "POST",
      /\/crm\/v4\/associations\/deals\/emails\/batch\/read$/,
      { status: 500, body: { status: "error", message: "internal error" } },
      { skip: 1 },
    );
    const from = searches().length;
    const failed = await sync();
    expect(failed.ok).toBe(false);
    expect(failed.pages).toBe(1);
    expect(failed.errors.at(-1)).toMatch(
      /HubSpot answered POST \/crm\/v4\/associations\/deals\/emails\/batch\/read with 500.*sync again to resume/,
    );
    expect(await db.opportunity.count({ where: { name: { endsWith: "(renamed)" } } })).toBe(100);
    expect((await db.syncRun.findUniqueOrThrow({ where: { id: failed.runId } })).status).toBe("failed");

    const resumed = await sync();
    expect(resumed.ok).toBe(true);
    const asked = searches().slice(from);
    // Failed run: pages 1 and 2; resumed run: from page 2 ("after" 100), then page 3.
    expect(asked.map((r) => (r.body as { after?: string }).after ?? null)).toEqual([null, "100", "100", "200"]);
    expect(resumed.counts.deals.updated).toBe(150);
    expect(await db.opportunity.count({ where: { name: { endsWith: "(renamed)" } } })).toBe(250);
  });

  it("a deal deleted in HubSpot is closed here as lost, with the reason, not deleted; one never synced is not brought in", async () => {
    expect((await sync()).ok).toBe(true);
    hubspot.archive("1031", Date.now() - 3_600_000);
    hubspot.deals.push({ ...hubspot.deal("1040"), id: "9999", archivedAt: new Date().toISOString() });
    const outcome = await sync();
    expect(outcome.ok).toBe(true);
    expect(outcome.counts.deletedClosed).toBe(1);
    expect(await dealByExternalId("hubspot", "1031")).toMatchObject({
      status: "lost",
      lostReason: "Deleted in HubSpot",
    });
    expect(await db.opportunity.count({ where: { source: "hubspot", externalId: "9999" } })).toBe(0);
    expect(await db.opportunity.count({ where: { source: "hubspot" } })).toBe(250);
    // Already closed: the next sync does not close it again.
    const again = await sync();
    expect(again.counts.deletedClosed).toBe(0);
  });

  it("refuses a wrong token with a message that says what to do, and records the failed run", async () => {
    const outcome = await runSync("hubspot", {
      via: "command line",
      reader: {
        source: { HUBSPOT_ACCESS_TOKEN: "wrong", HUBSPOT_API_BASE: hubspot.baseUrl },
        http: { minIntervalMs: 0 },
      },
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.errors.at(-1)).toMatch(
      /HubSpot refused the credentials \(401\).*Authentication credentials not found/,
    );
    expect(outcome.errors.join(" ")).not.toContain("wrong");
  });
});

it("the daily schedule syncs a connection 20 hours or more after its last sync, and not before", async () => {
  expect((await sync()).ok).toBe(true);
  const options = {
    reader: {
      source: { HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN, HUBSPOT_API_BASE: hubspot.baseUrl },
      http: { minIntervalMs: 0 },
    },
  };
  expect(await runDueSyncs(new Date(), options)).toEqual([]);
  const later = await runDueSyncs(new Date(Date.now() + 21 * 3_600_000), options);
  expect(later.map((o) => [o.crm, o.ok])).toEqual([["hubspot", true]]);
  expect((await db.syncRun.findUniqueOrThrow({ where: { id: later[0]?.runId } })).via).toBe("schedule");
});
