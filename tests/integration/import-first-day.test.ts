// A real organisation's first import, into an EMPTY database (no stages, no
// people): the findings of issue 10 that the import itself must get right,
// each of which failed before.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getDataQualityFor } from "@/lib/import/data";
import { describeDataQuality } from "@/lib/import/quality";
import { getTeamOverview } from "@/lib/overview/data";
import { getOrgContext } from "@/lib/settings/data";
import { createOrPromoteAdmin } from "@/lib/users/first-admin";
import { describePreview } from "@/lib/import/report";
import { apply, preview, text } from "./import-helpers";

beforeEach(async () => {
  // Every test starts from a database nothing was imported into.
  await db.$executeRawUnsafe(
    `TRUNCATE "Activity", "StageChange", "CloseDateChange", "AmountChange", "Flag", "Opportunity", "Account",
              "AuditEvent", "Stage", "Team", "User" CASCADE`,
  );
  await db.orgSettings.upsert({ where: { id: 1 }, create: { name: "First Day" }, update: { asOf: null } });
});

const stageNames = async () => (await db.stage.findMany({ orderBy: { order: "asc" } })).map((stage) => stage.name);

describe("finding 2: rows are never refused for their order", () => {
  it("imports a generic file whose first rows are won and lost", async () => {
    const file = text(
      "deals.csv",
      [
        "deal_id,deal_name,deal_stage,owner,amount,created,closed",
        "W-1,Early win,Closed Won,Gail,1000,2026-01-05,2026-03-02",
        "W-2,Early loss,Lost,Gail,2000,2026-01-12,2026-02-20",
        "W-3,Still going,Discovery,Gail,3000,2026-04-01,",
        "W-4,Nearly there,Proposal,Gail,4000,2026-03-10,",
      ].join("\n"),
    );
    const result = await apply([file]);
    expect(result.rejectedRows).toBe(0);
    expect(await stageNames()).toEqual(["Discovery", "Proposal"]);
    const deals = await db.opportunity.findMany({ orderBy: { externalId: "asc" }, include: { stage: true } });
    expect(deals.map((deal) => [deal.externalId, deal.status, deal.stage.name])).toEqual([
      ["W-1", "won", "Proposal"],
      ["W-2", "lost", "Discovery"],
      ["W-3", "open", "Discovery"],
      ["W-4", "open", "Proposal"],
    ]);
  });
});

describe("finding 3: Salesforce's standard stage names, no mapping", () => {
  const header = '"Opportunity Name","Stage","Amount","Close Date","Created Date","Opportunity Owner","Opportunity ID"';
  const row = (id: number, stage: string) =>
    `"Deal ${id}","${stage}","1000","7/31/2026","3/3/2026","Sam Seller","006SF00000000${String(id).padStart(2, "0")}"`;

  it("creates the stages in Salesforce's order whatever the row order", async () => {
    const stages = [
      "Negotiation/Review",
      "Closed Won",
      "Prospecting",
      "Proposal/Price Quote",
      "Value Proposition",
      "Closed Lost",
      "Qualification",
      "Perception Analysis",
      "Id. Decision Makers",
      "Needs Analysis",
    ];
    const file = text("report.csv", [header, ...stages.map((stage, i) => row(i + 1, stage))].join("\n"), {
      preset: "salesforce",
    });
    const result = await apply([file]);
    expect(result.rejectedRows).toBe(0);
    expect(await stageNames()).toEqual([
      "Prospecting",
      "Qualification",
      "Needs Analysis",
      "Value Proposition",
      "Id. Decision Makers",
      "Perception Analysis",
      "Proposal/Price Quote",
      "Negotiation/Review",
    ]);
    expect(await db.opportunity.count({ where: { status: "won" } })).toBe(1);
    expect(await db.opportunity.count({ where: { status: "lost" } })).toBe(1);
  });

  it("orders by the file's probability column when it has one", async () => {
    const file = text(
      "generic.csv",
      [
        "id,stage,owner,created,probability",
        "P-1,Late,Ann,2026-01-01,80",
        "P-2,Early,Ann,2026-01-01,10",
        "P-3,Middle,Ann,2026-01-01,40",
      ].join("\n"),
    );
    await apply([file]);
    expect(await stageNames()).toEqual(["Early", "Middle", "Late"]);
  });

  it("names HubSpot's internal stage ids by their labels, in the default pipeline's order", async () => {
    const file = text(
      "hubspot.csv",
      [
        "Record ID,Deal Name,Deal Stage,Deal owner,Create Date,Close Date",
        "1,A,contractsent,Hal,2026-01-01,2026-08-01",
        "2,B,closedwon,Hal,2026-01-01,2026-03-01",
        "3,C,appointmentscheduled,Hal,2026-01-01,2026-08-01",
        "4,D,qualifiedtobuy,Hal,2026-01-01,2026-08-01",
      ].join("\n"),
    );
    const result = await apply([file]);
    expect(result.rejectedRows).toBe(0);
    expect(await stageNames()).toEqual(["Appointment Scheduled", "Qualified To Buy", "Contract Sent"]);
  });
});

describe("finding 4: a plain CSV is not taken for a CRM export", () => {
  it("reads a file with a deal_stage column as a generic file, not HubSpot", async () => {
    const file = text("plain.csv", "deal_id,deal_stage,owner,created\nX-1,Discovery,Ann,2026-01-01\n");
    const result = await preview([file]);
    expect(result.files[0]).toMatchObject({ preset: "generic", missingColumns: [] });
    expect(result.blockers).toEqual([]);
  });

  it("never says 'Nothing to change' when the import is refused", async () => {
    const file = text("bad.csv", "deal_id,deal_stage,owner,created\nX-1,Discovery,,2026-01-01\n");
    const result = await preview([file]);
    expect(result.blockers).toHaveLength(1);
    expect(result.commandLineBlockers[0]).toMatch(/--skip-rejected/);
    expect(describePreview(result)).not.toMatch(/Nothing to change/);
  });
});

describe("a people file's start date", () => {
  it("becomes the rep's start; a rep an import creates without one gets none (never the import's time)", async () => {
    const people = text(
      "people.csv",
      "Name,Email,Team,Role,Start date\nRex Rep,rex@acme.example,East,rep,2025-09-01\n",
    );
    const deals = text(
      "deals.csv",
      "deal_id,stage,owner,created\nD-1,Discovery,Rex Rep,2026-01-01\nD-2,Discovery,Una New,2026-01-02\n",
    );
    await apply([people, deals]);
    const reps = await db.user.findMany({ orderBy: { name: "asc" }, select: { name: true, startDate: true } });
    expect(reps).toEqual([
      { name: "Rex Rep", startDate: new Date("2025-09-01T00:00:00.000Z") },
      { name: "Una New", startDate: null },
    ]);
  });
});

describe("finding 12: odd cells and files", () => {
  it("refuses a cell with a NUL byte in the preview, with its line — never an unexpected error at apply", async () => {
    const file = text(
      "nul.csv",
      "deal_id,stage,owner,created\nN-1,Discovery,Ann,2026-01-01\nN-2,Disc\u0000overy,Ann,2026-01-01\n",
    );
    const result = await preview([file]);
    expect(result.files[0]?.rejected).toEqual([
      { line: 3, id: null, reason: expect.stringMatching(/^The “stage” cell holds a NUL character/) },
    ]);
    const applied = await apply(
      [text("nul.csv", "deal_id,stage,owner,created\nN-2,Disc\u0000overy,Ann,2026-01-01\n")],
      {
        skipRejected: true,
      },
    );
    expect(applied.rejectedRows).toBe(1);
    expect(await db.opportunity.count()).toBe(0);
  });

  it("refuses an owner that is a formula or has no letter, instead of making a rep with no name", async () => {
    const file = text(
      "owners.csv",
      "deal_id,stage,owner,created\nO-1,Discovery,@SUM(9),2026-01-01\nO-2,Discovery,---,2026-01-01\nO-3,Discovery,ann@acme.example,2026-01-01\n",
    );
    const result = await preview([file]);
    expect(result.files[0]?.rejected.map((r) => [r.line, r.reason])).toEqual([
      [
        2,
        "Owner (column “owner”) “@SUM(9)” is not a person's name or email (it looks like a spreadsheet formula): write their name or email address.",
      ],
      [
        3,
        "Owner (column “owner”) “---” is not a person's name or email (it looks like a spreadsheet formula): write their name or email address.",
      ],
    ]);
    expect(result.files[0]?.newPeople).toEqual(["Ann"]);
  });

  it("reads a UTF-16 file (Excel's Unicode text) like any other", async () => {
    const csv = "\uFEFFdeal_id\tstage\towner\tcreated\r\nU-1\tDiscovery\tZoë Øster\t2026-01-01\r\n";
    const bytes = Buffer.from(csv, "utf16le");
    const result = await apply([{ options: { fileName: "unicode.txt" }, content: [bytes] }]);
    expect(result.rejectedRows).toBe(0);
    expect((await db.user.findFirstOrThrow()).name).toBe("Zoë Øster");
  });

  it("says what a binary file is and what to do", async () => {
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    await expect(preview([{ options: { fileName: "deals.xlsx" }, content: [xlsx] }])).rejects.toThrow(
      /This file is an Excel workbook \(\.xlsx\) or another zip archive, not a CSV file\. Open it in Excel or LibreOffice and save it as “CSV UTF-8/,
    );
  });
});

describe("finding 9: the data-quality report", () => {
  it("counts the open deals without activity, buyer activity, stage history, amount or team", async () => {
    const deals = text(
      "deals.csv",
      [
        "deal_id,stage,owner,amount,created",
        "Q-1,Discovery,Ann,1000,2026-01-01",
        "Q-2,Discovery,Ann,,2026-01-02",
        "Q-3,Proposal,Bob,500,2026-01-03",
      ].join("\n"),
    );
    const people = text("people.csv", "Name,Team\nAnn,East\n");
    const first = await apply([people, deals]);
    expect(first.quality).toEqual({
      openDeals: 3,
      prospectsWithoutOpenedDate: 0,
      noActivity: 3,
      noBuyerActivity: 3,
      noStageHistory: 3,
      noAmount: 1,
      noTeam: 1,
      noActivitiesAtAll: true,
    });
    const calls = text(
      "calls.csv",
      "Deal,When,Direction,Summary\nQ-1,2026-02-01 10:00,inbound,Asked for pricing\nQ-3,2026-02-02 10:00,outbound,Sent quote\n",
      {
        kind: "activities",
        mapping: { source: "csv", columns: { dealId: "Deal", at: "When", side: "Direction", summary: "Summary" } },
      },
    );
    const second = await apply([calls]);
    expect(second.quality).toMatchObject({ noActivity: 1, noBuyerActivity: 2, noActivitiesAtAll: false });
    expect(describeDataQuality(second.quality).join(" ")).not.toMatch(/No activities imported/);
  });
});

describe("the first admin sees the first import", () => {
  it("an admin made with admin:create's write sees every imported open deal on the overview", async () => {
    const file = text(
      "report.csv",
      [
        '"Opportunity Name","Stage","Amount","Close Date","Created Date","Opportunity Owner","Opportunity ID"',
        '"A","Prospecting","1000","7/31/2026","3/3/2026","Sam Seller","006SF0000000A01"',
        '"B","Negotiation/Review","2000","7/31/2026","3/3/2026","Pat Pusher","006SF0000000A02"',
        '"C","Closed Won","3000","5/31/2026","3/3/2026","Pat Pusher","006SF0000000A03"',
      ].join("\n"),
    );
    await apply([file]);
    const { userId } = await createOrPromoteAdmin({
      email: "first@acme.example",
      name: "First Admin",
      password: "a long passphrase",
    });
    const admin = { userId, name: "First Admin", role: "admin" as const, teamId: null };
    const overview = await getTeamOverview(admin, await getOrgContext(new Date("2026-06-15T12:00:00Z")));
    expect(overview.hasDeals).toBe(true);
    expect(overview.figures.openDeals).toBe(2);
    expect(await getDataQualityFor(admin)).toMatchObject({ openDeals: 2, noActivitiesAtAll: true });
    expect(await getDataQualityFor({ role: "manager" })).toBeNull();
  });
});
