// Applying an import: all of it or none of it, recorded in the audit trail
// (who, when, which files, how many rows), and — when asked — fixing the
// organisation's as-of date for a historical export.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetDatabase } from "../fixtures/reset-database";
import { createSmallOrg, type SmallOrg } from "../fixtures/small-org";
import { apply, databaseState, dealByExternalId, dealHistory, fixture, preview, text } from "./import-helpers";

let org: SmallOrg;
// Every case starts from the same fresh organisation (nothing imported by
// another case), so each stands alone in any order.
beforeEach(async () => {
  await resetDatabase();
  org = await createSmallOrg();
});

const IMPORTED_AT = new Date("2026-06-15T14:00:00.000Z");
const NEEDS_ANALYSIS = { mapping: { stages: { "Needs Analysis": "Qualification" } } };
/** Files that write something at every step: people, accounts, deals, history, activities. */
const everyStep = () => [
  fixture("people.csv", { kind: "people" }),
  fixture("salesforce-opportunities.csv", NEEDS_ANALYSIS),
  fixture("salesforce-opportunity-history.csv"),
  fixture("salesforce-tasks.csv"),
];

describe("a failure halfway through", () => {
  it("leaves the database exactly as it was when the import stops at the activities", async () => {
    const before = await databaseState();
    const steps: string[] = [];
    const failure = await apply(
      everyStep(),
      { asOf: "2026-06-15" },
      {
        now: IMPORTED_AT,
        onProgress: (progress) => {
          if (!steps.includes(progress.step)) steps.push(progress.step);
          if (progress.step === "activities") throw new Error("The connection dropped.");
        },
      },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe("The connection dropped.");
    // People, stages, accounts, deals and history had been written inside the transaction …
    expect(steps).toEqual(["people", "stages", "accounts", "deals", "history", "activities"]);
    // … and none of it is left.
    expect(await databaseState()).toEqual(before);
    await expect(db.team.findUnique({ where: { name: "North" } })).resolves.toBeNull();
  });

  it("leaves the database exactly as it was when a row breaks a database rule", async () => {
    // A rule the plan does not know about, so the database itself refuses the row mid-import.
    await db.$executeRawUnsafe(
      `ALTER TABLE "Activity" ADD CONSTRAINT test_refuses_one_task CHECK (summary IS DISTINCT FROM 'Sent revised quote')`,
    );
    try {
      const before = await databaseState();
      let lastStep = "";
      const importing = apply(
        everyStep(),
        {},
        {
          now: IMPORTED_AT,
          onProgress: (progress) => {
            lastStep = progress.step;
          },
        },
      );
      await expect(importing).rejects.toThrow();
      // It failed writing the activities, after the people, deals and history.
      expect(lastStep).toBe("activities");
      expect(await databaseState()).toEqual(before);
    } finally {
      await db.$executeRawUnsafe(`ALTER TABLE "Activity" DROP CONSTRAINT test_refuses_one_task`);
    }
  });
});

describe("the audit trail", () => {
  it("keeps the rows left out by “import the rest”, with their lines and reasons", async () => {
    const csv = [
      "Deal ID,Deal name,Owner,Stage,Amount,Opened",
      "AUD-1,Kept deal,Ana Rep,Discovery,1000,2026-05-01",
      "AUD-2,Left out,Ana Rep,Discovery,-500,2026-05-01",
    ].join("\n");
    await apply([text("left-out.csv", csv)], { skipRejected: true }, { actorId: org.people.admin.userId });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "import.apply" }, orderBy: { id: "desc" } });
    const [file] = (event.after as { files: { rejected: number; rejectedRows: unknown[] }[] }).files;
    expect(file?.rejected).toBe(1);
    expect(file?.rejectedRows).toEqual([{ line: 3, id: "AUD-2", reason: expect.stringMatching(/negative/i) }]);
  });

  it("records who imported which files when, with the counts", async () => {
    const admin = org.people.admin.userId;
    await apply(
      [fixture("pipedrive-deals.csv"), fixture("pipedrive-activities.csv")],
      {},
      { actorId: admin, now: IMPORTED_AT },
    );
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "import.apply" }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({
      actorId: admin,
      at: IMPORTED_AT,
      entityType: "import",
      entityId: "pipedrive-deals.csv, pipedrive-activities.csv",
      after: {
        via: "page",
        asOf: null,
        files: [
          expect.objectContaining({
            fileName: "pipedrive-deals.csv",
            kind: "deals",
            preset: "pipedrive",
            rows: 4,
            new: 3,
            updated: 0,
            unchanged: 0,
            rejected: 0,
            skipped: 1,
          }),
          expect.objectContaining({ fileName: "pipedrive-activities.csv", kind: "activities", new: 2, skipped: 1 }),
        ],
      },
    });
  });

  it("records the people an import adds and the team manager it sets", async () => {
    const admin = org.people.admin.userId;
    await apply([fixture("people.csv", { kind: "people" })], {}, { actorId: admin, now: IMPORTED_AT });
    const olga = await db.user.findFirstOrThrow({ where: { name: "Olga Boss" } });
    const north = await db.team.findUniqueOrThrow({ where: { name: "North" } });
    await expect(
      db.auditEvent.findFirst({ where: { action: "user.import_create", entityId: olga.id, actorId: admin } }),
    ).resolves.toMatchObject({ after: { name: "Olga Boss", role: "manager", teamId: north.id } });
    await expect(
      db.auditEvent.findFirst({ where: { action: "team.import_manager", entityId: north.id } }),
    ).resolves.toMatchObject({ before: { managerId: null }, after: { managerId: olga.id } });
  });
});

describe("the organisation's as-of date", () => {
  const historical = (source: string) =>
    text(
      "historical.csv",
      "Deal ID,Deal name,Owner,Stage,Amount,Opened,Expected close\nH-1,Old deal,Ben Rep,Demo,4000,2025-09-01,2025-12-31\nH-2,Older deal,Ben Rep,Discovery,2500,2025-06-10,2025-10-31\n",
      { mapping: { source } },
    );

  it("is fixed to the day given, and the import's changes are dated then", async () => {
    const result = await preview([historical("as-of-day")], { asOf: "2025-11-30" }, IMPORTED_AT);
    expect(result.asOf).toEqual({ current: null, latestInFiles: "2025-09-01", willFix: "2025-11-30" });
    expect(result.changeAt).toBe("2025-11-30T23:59:59.999Z");

    await apply(
      [historical("as-of-day")],
      { asOf: "2025-11-30" },
      { actorId: org.people.admin.userId, now: IMPORTED_AT },
    );
    const settings = await db.orgSettings.findUniqueOrThrow({ where: { id: 1 } });
    expect(settings.asOf?.toISOString()).toBe("2025-11-30T23:59:59.999Z");
    await expect(db.auditEvent.findFirst({ where: { action: "settings.as-of.fix" } })).resolves.toMatchObject({
      actorId: org.people.admin.userId,
      before: { asOf: null },
      after: { asOf: "2025-11-30T23:59:59.999Z", by: "import" },
    });

    // A later export of that time moves a deal: the move is dated at the as-of date, not today.
    const moved = text(
      "historical-later.csv",
      "Deal ID,Deal name,Owner,Stage,Amount,Opened,Expected close\nH-1,Old deal,Ben Rep,Proposal,4000,2025-09-01,2025-12-31\n",
      { mapping: { source: "as-of-day" } },
    );
    await apply([moved], {}, { now: IMPORTED_AT });
    const deal = await dealByExternalId("as-of-day", "H-1");
    expect((await dealHistory(deal.id)).moves).toEqual([
      expect.objectContaining({ from: "Demo", to: "Proposal", at: "2025-11-30T23:59:59.999Z" }),
    ]);
  });

  it("is fixed to the latest date in the files when asked to take it from them", async () => {
    const result = await apply(
      [
        fixture("pipedrive-deals.csv", { mapping: { source: "as-of-file" } }),
        fixture("pipedrive-activities.csv", { mapping: { source: "as-of-file" } }),
      ],
      { asOf: "file" },
      { now: IMPORTED_AT },
    );
    // The call on June 3 is the latest thing either file records.
    expect(result.asOf).toMatchObject({ latestInFiles: "2026-06-03", willFix: "2026-06-03" });
    const settings = await db.orgSettings.findUniqueOrThrow({ where: { id: 1 } });
    expect(settings.asOf?.toISOString()).toBe("2026-06-03T23:59:59.999Z");
  });

  it.each([
    { asOf: "file" as const, blocker: "The files hold no dates to take the as-of date from: enter the date instead." },
    { asOf: "2026-13-01", blocker: "2026-13-01 is not a real date." },
  ])("refuses $asOf with a message saying what to do", async ({ asOf, blocker }) => {
    const before = await databaseState();
    const result = await preview([fixture("people.csv", { kind: "people" })], { asOf });
    expect(result.blockers).toContain(blocker);
    expect(await databaseState()).toEqual(before);
  });
});
