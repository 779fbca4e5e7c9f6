// Importing again: the same files change nothing; a newer export updates the
// deals in place and leaves the same history rows a person's change leaves;
// and what a manager decided here is not undone by an export that has not
// caught up with it.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import { moveDealBack, updateDealDetails } from "@/lib/deals/mutations";
import { runReviewAs } from "@/lib/reviews/run";
import { createSmallOrg, type SmallOrg } from "../fixtures/small-org";
import {
  apply,
  databaseState,
  dealActivities,
  dealByExternalId,
  dealHistory,
  fixture,
  mappingFixture,
  preview,
  text,
} from "./import-helpers";
import { currentFlagWhere } from "@/lib/flags/current-flags";

let org: SmallOrg;
beforeAll(async () => {
  org = await createSmallOrg();
});

const FIRST_IMPORT = new Date("2026-06-01T14:00:00.000Z");
const SECOND_IMPORT = new Date("2026-06-15T14:00:00.000Z");
const NEEDS_ANALYSIS = { stages: { "Needs Analysis": "Qualification" } };

describe("importing the same files again", () => {
  const exports = [
    {
      crm: "Salesforce (opportunities, history, tasks)",
      files: () => [
        fixture("salesforce-opportunities.csv", { mapping: NEEDS_ANALYSIS }),
        fixture("salesforce-opportunity-history.csv"),
        fixture("salesforce-tasks.csv"),
      ],
    },
    { crm: "Salesforce report", files: () => [fixture("salesforce-report.csv")] },
    { crm: "HubSpot", files: () => [fixture("hubspot-deals.csv")] },
    { crm: "Pipedrive", files: () => [fixture("pipedrive-deals.csv"), fixture("pipedrive-activities.csv")] },
    {
      crm: "a generic file with its mapping",
      files: () => [fixture("generic-deals.csv", { mapping: mappingFixture("generic-mapping.json") })],
    },
    { crm: "a people file", files: () => [fixture("people.csv", { kind: "people" })] },
  ];

  it.each(exports)("changes nothing for $crm", async ({ files }) => {
    await apply(files(), {}, { now: FIRST_IMPORT });
    const before = await databaseState();

    const again = await preview(files());
    expect(again.nothingToChange).toBe(true);
    for (const file of again.files) {
      expect(file.counts).toMatchObject({ new: 0, updated: 0, rejected: 0 });
      expect(file.changes).toMatchObject({ historyRows: 0, stageMoves: 0, closeDatePushes: 0, amountChanges: 0 });
    }

    await apply(files(), {}, { now: SECOND_IMPORT });
    expect(await databaseState()).toEqual(before);
  });
});

/** A later Salesforce export of the same deals, as the CRM shows them on June 15. */
const NEWER_OPPORTUNITIES = [
  "Id,Account.Name,Name,StageName,Amount,CloseDate,Owner.Name,CreatedDate,IsClosed,IsWon,NextStep",
  // Moved on to Negotiation, close date pushed a month, price up.
  '006Dn000004AcmeAA,"Acme, Inc.","Acme, Inc. — Platform renewal",Negotiation,"$52,000.00",2026-08-31,Ana Rep,2026-02-03T14:22:10.000+0000,false,false,Legal review of the MSA',
  // Back from Needs Analysis (our Qualification) to Discovery.
  '006Dn000004GlobxA,Globex Corporation,Globex — 200 seats,Discovery,"120,500",2026-09-30,Ana Rep,2026-05-20T09:00:00.000+0000,false,false,',
  // Unchanged.
  '006Dn000004InitAA,Initech,Initech — pilot,Closed Won,"$9,990.50",2026-04-15,Ben Rep,2026-01-10T16:45:00.000+0000,true,true,',
  '006Dn000004UmbrAA,Umbrella Corp,"Umbrella ""Phase 2""",Closed Lost,"15,000",2026-03-01,Ben Rep,2025-11-02T10:00:00.000+0000,true,false,',
  // Close date pulled in: a change, not a push.
  '006Dn000004HooliA,Hooli,Hooli — analytics,Negotiation,"$250,000",2026-06-20,Nina Newhire,2025-12-01T08:30:00.000+0000,false,false,Legal review',
].join("\r\n");

const NEWER_TASKS = [
  "Id,WhatId,Subject,ActivityDate,Status,Type,TaskSubtype,CallType,Description",
  "00TDn00000T1,006Dn000004AcmeAA,Call with CFO,2026-06-01,Completed,Call,Call,Inbound,",
  "00TDn00000T2,006Dn000004AcmeAA,Sent revised quote,2026-06-03,Completed,Email,Email,,",
  "00TDn00000T3,006Dn000004HooliA,Contract review meeting,2026-06-10,Completed,Meeting,Task,,",
  // The follow-up call happened, and Globex called back.
  "00TDn00000T4,006Dn000004HooliA,Follow up,2026-06-12,Completed,Call,Call,Outbound,",
  "00TDn00000T5,006Dn000004GlobxA,Globex called back,2026-06-13,Completed,Call,Call,Inbound,",
].join("\n");

describe("a newer export of the same deals", () => {
  const source = "salesforce-newer";
  const sf = (fileName: string) => fixture(fileName, { mapping: { source, stages: NEEDS_ANALYSIS.stages } });
  let preview2: Awaited<ReturnType<typeof preview>>;

  beforeAll(async () => {
    await apply(
      [sf("salesforce-opportunities.csv"), sf("salesforce-opportunity-history.csv"), sf("salesforce-tasks.csv")],
      {},
      { now: FIRST_IMPORT },
    );
    const newer = () => [
      text("opportunities-june-15.csv", NEWER_OPPORTUNITIES, { mapping: { source } }),
      text("tasks-june-15.csv", NEWER_TASKS, { mapping: { source } }),
    ];
    preview2 = await preview(newer(), {}, SECOND_IMPORT);
    await apply(newer(), {}, { now: SECOND_IMPORT });
  });

  it("says in the preview what will change", () => {
    const [deals, tasks] = preview2.files;
    expect(deals?.counts).toEqual({ new: 0, updated: 3, unchanged: 2, rejected: 0, skipped: 0 });
    expect(deals?.changes).toMatchObject({ stageMoves: 2, closeDatePushes: 1, closeDateEdits: 1, amountChanges: 1 });
    expect(tasks?.counts).toEqual({ new: 2, updated: 0, unchanged: 3, rejected: 0, skipped: 0 });
  });

  it("updates the deals in place, keeping one row per deal", async () => {
    await expect(db.opportunity.count({ where: { source } })).resolves.toBe(5);
    const acme = await dealByExternalId(source, "006Dn000004AcmeAA");
    expect(acme).toMatchObject({ stage: { name: "Negotiation" }, nextStep: "Legal review of the MSA", version: 1 });
    expect(acme.amount.toFixed(2)).toBe("52000.00");
    expect(acme.expectedCloseDate?.toISOString()).toBe("2026-08-31T00:00:00.000Z");
    // Untouched deals keep their version: open forms on them stay valid.
    expect((await dealByExternalId(source, "006Dn000004InitAA")).version).toBe(0);
  });

  it("records the moves forward and back, the close-date push and the amount change as history", async () => {
    const acme = await dealByExternalId(source, "006Dn000004AcmeAA");
    const history = await dealHistory(acme.id);
    expect(history.moves.at(-1)).toEqual({
      from: "Proposal",
      to: "Negotiation",
      toStatus: "open",
      direction: "forward",
      at: SECOND_IMPORT.toISOString(),
      byImport: true,
    });
    expect(history.closeDates.at(-1)).toEqual({
      from: "2026-07-31",
      to: "2026-08-31",
      isPush: true,
      at: SECOND_IMPORT.toISOString(),
    });
    expect(history.amounts.at(-1)).toEqual({ from: "48000.00", to: "52000.00", at: SECOND_IMPORT.toISOString() });
    // Two pushes from the opportunity history, one from the newer export.
    expect(acme).toMatchObject({
      closeDatePushCount: 3,
      stageEnteredAt: SECOND_IMPORT,
      lastForwardMoveAt: SECOND_IMPORT,
    });

    const globex = await dealByExternalId(source, "006Dn000004GlobxA");
    expect((await dealHistory(globex.id)).moves).toEqual([
      {
        from: "Qualification",
        to: "Discovery",
        toStatus: "open",
        direction: "back",
        at: SECOND_IMPORT.toISOString(),
        byImport: true,
      },
    ]);
    expect(globex).toMatchObject({
      stage: { name: "Discovery" },
      stageEnteredAt: SECOND_IMPORT,
      lastForwardMoveAt: null,
    });

    const hooli = await dealByExternalId(source, "006Dn000004HooliA");
    expect((await dealHistory(hooli.id)).closeDates).toEqual([
      { from: "2026-06-30", to: "2026-06-20", isPush: false, at: SECOND_IMPORT.toISOString() },
    ]);
    expect(hooli.closeDatePushCount).toBe(0);
  });

  it("adds the new activities and moves the activity rollups", async () => {
    const globex = await dealByExternalId(source, "006Dn000004GlobxA");
    expect(await dealActivities(globex.id)).toEqual([
      { type: "call", side: "buyer", at: "2026-06-13T12:00:00.000Z", summary: "Globex called back" },
    ]);
    expect(globex.lastActivityAt?.toISOString()).toBe("2026-06-13T12:00:00.000Z");
    expect(globex.lastBuyerActivityAt?.toISOString()).toBe("2026-06-13T12:00:00.000Z");

    const hooli = await dealByExternalId(source, "006Dn000004HooliA");
    expect(hooli.lastActivityAt?.toISOString()).toBe("2026-06-12T12:00:00.000Z");
    // The outbound follow-up is our effort: the buyer's last effort is still the meeting.
    expect(hooli.lastBuyerActivityAt?.toISOString()).toBe("2026-06-10T12:00:00.000Z");
    expect(hooli.lastSellerActivityAt?.toISOString()).toBe("2026-06-12T12:00:00.000Z");
  });

  it("writes each changed deal's before and after to the audit trail", async () => {
    const acme = await dealByExternalId(source, "006Dn000004AcmeAA");
    const events = await db.auditEvent.findMany({
      where: { action: "deal.import_update", entityId: String(acme.id) },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: null,
      at: SECOND_IMPORT,
      before: {
        stage: "Proposal",
        amount: "48000.00",
        expectedCloseDate: "2026-07-31",
        nextStep: "Send revised quote,\nthen call the CFO",
      },
      after: {
        stage: "Negotiation",
        amount: "52000.00",
        expectedCloseDate: "2026-08-31",
        nextStep: "Legal review of the MSA",
      },
    });
  });
});

describe("HubSpot's newer export with a new Date entered column", () => {
  it("dates the move at the day the deal entered the stage, not at the import", async () => {
    await apply([fixture("hubspot-deals.csv", { mapping: { source: "hubspot-newer" } })], {}, { now: FIRST_IMPORT });
    const newer = [
      'Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,"Date entered ""Discovery (Sales Pipeline)""","Date entered ""Demo (Sales Pipeline)""","Date entered ""Proposal (Sales Pipeline)""","Date entered ""Negotiation (Sales Pipeline)"""',
      '9001,Northwind renewal,Negotiation,"18,500.00",2026-08-15,2026-03-01 09:15,ana.rep@test.example,2026-03-01 09:15,2026-03-20 12:00,2026-05-02 16:30,2026-06-09 10:00',
    ].join("\n");
    const result = await apply(
      [text("hubspot-june.csv", newer, { mapping: { source: "hubspot-newer" } })],
      {},
      {
        now: SECOND_IMPORT,
      },
    );
    expect(result.files[0]?.changes).toMatchObject({ stageMoves: 1, historyRows: 1 });
    const northwind = await dealByExternalId("hubspot-newer", "9001");
    expect(northwind).toMatchObject({
      stage: { name: "Negotiation" },
      stageEnteredAt: new Date("2026-06-09T10:00:00.000Z"),
    });
    expect((await dealHistory(northwind.id)).moves.map((move) => [move.to, move.direction, move.at])).toEqual([
      ["Discovery", "created", "2026-03-01T09:15:00.000Z"],
      ["Demo", "forward", "2026-03-20T12:00:00.000Z"],
      ["Proposal", "forward", "2026-05-02T16:30:00.000Z"],
      ["Negotiation", "forward", "2026-06-09T10:00:00.000Z"],
    ]);
  });
});

describe("a change made here after the import", () => {
  // Each case imports the export afresh under its own source (the second case
  // moves the deals on), so either stands alone in any order.
  let source = "salesforce-decided-here";
  let run = 0;
  const sf = () => fixture("salesforce-opportunities.csv", { mapping: { source, stages: NEEDS_ANALYSIS.stages } });
  const MANAGER_ACTS = new Date("2026-06-05T10:00:00.000Z");
  let manager: Viewer;

  beforeEach(async () => {
    run += 1;
    source = `salesforce-decided-here-${run}`;
    manager = org.people.centralManager;
    await apply([sf()], {}, { now: FIRST_IMPORT });
    const acme = await dealByExternalId(source, "006Dn000004AcmeAA");
    const ctx = { actor: manager, now: MANAGER_ACTS, asOf: MANAGER_ACTS };
    // The manager moves Acme back from Proposal to Demo in the weekly meeting …
    await db.$transaction((tx) =>
      moveDealBack(tx, ctx, { dealId: acme.id, version: acme.version, reason: "No signed-off budget yet" }),
    );
    // … and the rep pulls Globex's amount down to what the buyer can pay.
    const globex = await dealByExternalId(source, "006Dn000004GlobxA");
    await db.$transaction((tx) =>
      updateDealDetails(
        tx,
        { actor: org.people.ana, now: MANAGER_ACTS, asOf: MANAGER_ACTS },
        {
          dealId: globex.id,
          version: globex.version,
          amount: "90000",
        },
      ),
    );
  });

  it("keeps what was decided here when the export still shows the value from before", async () => {
    const before = await databaseState();
    const result = await preview([sf()], {}, SECOND_IMPORT);
    expect(result.nothingToChange).toBe(true);
    expect(result.files[0]?.changes.keptHere).toBe(2);
    expect(result.files[0]?.kept).toEqual([
      { line: 2, id: "006Dn000004AcmeAA", what: "stage" },
      { line: 4, id: "006Dn000004GlobxA", what: "amount" },
    ]);

    await apply([sf()], {}, { now: SECOND_IMPORT });
    expect(await databaseState()).toEqual(before);
    const acme = await dealByExternalId(source, "006Dn000004AcmeAA");
    expect(acme.stage.name).toBe("Demo");
    expect((await dealByExternalId(source, "006Dn000004GlobxA")).amount.toFixed(2)).toBe("90000.00");
  });

  it("follows the CRM again once it moves on", async () => {
    const movedOn = NEWER_OPPORTUNITIES.split("\r\n").slice(0, 2).join("\r\n");
    await apply([text("opportunities-june-20.csv", movedOn, { mapping: { source } })], {}, { now: SECOND_IMPORT });
    const acme = await dealByExternalId(source, "006Dn000004AcmeAA");
    expect(acme.stage.name).toBe("Negotiation");
    expect(
      (await dealHistory(acme.id)).moves.map((move) => [move.from, move.to, move.direction, move.byImport]),
    ).toEqual([
      ["Proposal", "Demo", "back", false],
      ["Demo", "Negotiation", "forward", true],
    ]);
  });
});

describe("flags after an import", () => {
  it("clears “untouched” once an imported activities file shows the buyer called, as logging the call by hand would", async () => {
    const source = "flags";
    // The organisation holds activities (another deal's call), so "untouched"
    // is judged — not "not judged: no activities imported" — whatever ran before.
    await apply(
      [
        text(
          "old-deal.csv",
          "Deal ID,Deal name,Owner,Stage,Amount,Opened\nO-1,Forgotten deal,Ben Rep,Discovery,3000,2025-11-20\nO-2,Busy deal,Ben Rep,Discovery,2000,2026-05-20\n",
          {
            mapping: { source },
          },
        ),
        text(
          "busy-calls.csv",
          "Activity ID,Deal ID,Date,Type,Side,Summary\nK-0,O-2,2026-05-28,call,seller,Intro call\n",
          {
            kind: "activities",
            mapping: { source },
          },
        ),
      ],
      {},
      { now: FIRST_IMPORT },
    );
    await runReviewAs(null, { asOf: SECOND_IMPORT, now: SECOND_IMPORT });
    const deal = await dealByExternalId(source, "O-1");
    const currentRules = async () =>
      (await db.flag.findMany({ where: { opportunityId: deal.id, ...currentFlagWhere } })).map((flag) => flag.rule);
    expect(await currentRules()).toContain("untouched");

    await apply(
      [
        text(
          "calls.csv",
          "Activity ID,Deal ID,Date,Type,Side,Summary\nK-1,O-1,2026-06-14,call,buyer,Buyer called about pricing\n",
          {
            kind: "activities",
            mapping: { source },
          },
        ),
      ],
      {},
      { now: SECOND_IMPORT },
    );
    expect(await currentRules()).not.toContain("untouched");
    // The review's episode is kept as history, ended by the import.
    await expect(
      db.flag.count({ where: { opportunityId: deal.id, rule: "untouched", endedAt: SECOND_IMPORT } }),
    ).resolves.toBe(1);
  });
});
