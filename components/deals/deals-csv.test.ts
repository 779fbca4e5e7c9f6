import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { DealRowView } from "@/lib/deals/deal-row-view";
import { DEAL_CSV_HEADER, dealsToCsv, neutraliseCell } from "./deals-csv";

describe("neutraliseCell", () => {
  it.each([
    ['=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'],
    ["+1 555 0100", "'+1 555 0100"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
    ["Acme = best", "Acme = best"],
    ["", ""],
    ["Plain deal", "Plain deal"],
  ])("%j → %j", (input, expected) => {
    expect(neutraliseCell(input)).toBe(expected);
  });
});

const deal: DealRowView = {
  id: 7,
  source: "salesforce",
  externalId: "006Dn000004WayneA",
  name: "=cmd|' /C calc'!A0",
  version: 0,
  accountName: "@Acme, Inc.",
  ownerId: "u1",
  stageId: 1,
  stageName: "Discovery",
  stageOrder: 1,
  early: true,
  amountCents: 1_234_567,
  currency: "USD",
  ageDays: 1826,
  ageMultiple: 20.3,
  daysInStage: 1826,
  lastActivityAt: new Date("2021-06-20T10:00:00.000Z"),
  daysSinceActivity: 1800,
  lastBuyerActivityAt: null,
  daysSinceBuyerActivity: null,
  expectedCloseDate: new Date("2021-09-30T00:00:00.000Z"),
  closeDatePushCount: 3,
  nextStep: "-follow up",
  flags: [{ rule: "past-its-time", label: "Past its time", severity: "stale", explanation: "Open 1826 days." }],
  flaggedSince: new Date("2026-10-30T06:00:00.000Z"),
  flaggedDays: 35,
  flaggedFor: "flagged for 5 weeks (since Oct 30)",
  waivers: [],
};

describe("dealsToCsv", () => {
  it("writes a header and one row per deal, text cells neutralised, numbers left as numbers", () => {
    const rows = parse(dealsToCsv([deal])) as string[][];
    expect(rows[0]).toEqual([...DEAL_CSV_HEADER]);
    const row = (rows[1] ?? []).slice();
    // The app's id, then where the deal came from and its id there (finding 11: rows match back to the CRM).
    expect(row.splice(0, 3)).toEqual(["7", "salesforce", "006Dn000004WayneA"]);
    expect(row[0]).toBe("'=cmd|' /C calc'!A0");
    expect(row[1]).toBe("'@Acme, Inc.");
    expect(row[3]).toBe("12345.67");
    expect(row[5]).toBe("1826");
    expect(row[9]).toBe("");
    expect(row[10]).toBe("2021-09-30");
    expect(row[12]).toBe("Past its time");
    expect(row[15]).toBe("'-follow up");
  });

  it("neutralises a source or external id a spreadsheet would run, and leaves a missing one empty", () => {
    const rows = parse(
      dealsToCsv([
        { ...deal, source: "manual", externalId: null },
        { ...deal, externalId: "=1+1" },
      ]),
    );
    expect((rows as string[][]).slice(1).map((row) => row.slice(1, 3))).toEqual([
      ["manual", ""],
      ["salesforce", "'=1+1"],
    ]);
  });
});
