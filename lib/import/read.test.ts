import { createReadStream } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readImportFile } from "./read";
import type { FileOptions } from "./schema";

const FIXTURES = path.join(import.meta.dirname, "..", "..", "tests", "fixtures", "import");
const read = (fileName: string, options: Partial<FileOptions> = {}) =>
  readImportFile(createReadStream(path.join(FIXTURES, fileName)), { fileName, ...options });
const readText = (content: string, options: Partial<FileOptions> = {}) =>
  readImportFile([content], { fileName: "test.csv", ...options });

describe("readImportFile", () => {
  it("reads a Salesforce export with BOM, CR LF, quoted commas and line breaks, blank lines and a trailing column", async () => {
    const file = await read("salesforce-opportunities.csv");
    expect(file).toMatchObject({ kind: "deals", preset: "salesforce", source: "salesforce", totalRows: 5 });
    if (file.kind !== "deals") throw new Error("deals expected");
    const [acme, globex, initech, umbrella] = file.rows;
    expect(acme).toMatchObject({
      line: 2,
      externalId: "006Dn000004AcmeAA",
      account: "Acme, Inc.",
      owner: "Ana Rep",
      stage: "Proposal",
      status: "open",
      amount: "48000.00",
      nextStep: "Send revised quote,\nthen call the CFO",
      probability: 60,
    });
    expect(acme?.openedAt?.toISOString()).toBe("2026-02-03T14:22:10.000Z");
    expect(acme?.expectedCloseDate?.toISOString()).toBe("2026-07-31T00:00:00.000Z");
    expect(globex).toMatchObject({ line: 4, amount: "120500.00", stage: "Needs Analysis" });
    expect(initech).toMatchObject({ line: 6, status: "won", amount: "9990.50" });
    expect(umbrella).toMatchObject({ status: "lost", name: 'Umbrella "Phase 2"' });
    // The CRM's last-activity date is read (it feeds the untouched rule), so no header is left over.
    expect(file.ignoredHeaders).toEqual([]);
    expect(file.columns.lastActivityAt).toEqual(["LastActivityDate"]);
  });

  it("lists the file's own problems with line numbers and plain reasons", async () => {
    const file = await read("bad-deals.csv");
    expect(file.rows.map((row) => ("externalId" in row ? row.externalId : null))).toEqual(["B-1", "B-5"]);
    expect(file.rejected).toEqual([
      {
        line: 3,
        id: null,
        reason:
          "No deal id: the Deal id (column “Deal ID”) cell is empty. Every row needs the deal's id from your CRM; fill it in or delete the row.",
      },
      {
        line: 4,
        id: "B-3",
        reason: expect.stringMatching(
          /^Opened date \(column “Opened”\): “31\/31\/2026” is not a date we can read\. Use 2026-03-31/,
        ),
      },
      {
        line: 5,
        id: "B-4",
        reason: "Amount: “-500” is negative: a deal's amount must be 0 or more. Correct it in the file.",
      },
      {
        line: 7,
        id: "B-1",
        reason:
          "Deal id “B-1” appears again (first on line 2): each must appear once in the file. Keep one of the two rows.",
      },
    ]);
  });

  it("reads a European Pipedrive export (semicolons, decimal commas, day.month.year) and skips deleted deals", async () => {
    const file = await read("pipedrive-deals.csv");
    expect(file).toMatchObject({
      preset: "pipedrive",
      kind: "deals",
      skipped: { count: 1, reason: "deleted in the CRM" },
    });
    if (file.kind !== "deals") throw new Error("deals expected");
    expect(file.rows.map((row) => [row.externalId, row.amount, row.currency, row.status])).toEqual([
      ["101", "12500.00", "EUR", "open"],
      ["102", "3200.50", "EUR", "lost"],
      ["104", "48000.00", "EUR", "won"],
    ]);
    expect(file.rows[1]?.closedAt?.toISOString()).toBe("2026-03-28T17:00:00.000Z");
    expect(file.rows[2]?.closedAt?.toISOString()).toBe("2026-05-13T11:30:00.000Z");
  });

  it("turns HubSpot's Date entered columns into stage entries", async () => {
    const file = await read("hubspot-deals.csv");
    if (file.kind !== "deals") throw new Error("deals expected");
    expect(file.preset).toBe("hubspot");
    expect(file.rows[1]?.stageEntries.map((entry) => entry.stage)).toEqual([
      "Discovery (Sales Pipeline)",
      "Demo (Sales Pipeline)",
      "Proposal (Sales Pipeline)",
      "Closed won (Sales Pipeline)",
    ]);
    expect(file.rows[2]).toMatchObject({ amount: "0.00", owner: "Ana Rep" });
  });

  it("asks how an ambiguous file writes dates instead of guessing, and reads it once told", async () => {
    const mapping = { columns: { externalId: "Ref", owner: "Salesperson", stage: "Phase", openedAt: "Opened" } };
    const asked = await read("generic-deals.csv", { mapping });
    expect(asked.dateOrder).toMatchObject({ status: "question" });
    expect(asked.rows).toEqual([]);
    const told = await read("generic-deals.csv", { mapping, dateOrder: "us" });
    if (told.kind !== "deals") throw new Error("deals expected");
    expect(told.rows[0]?.openedAt?.toISOString()).toBe("2026-04-03T12:00:00.000Z");
  });

  it("says which required columns it cannot find", async () => {
    const file = await readText("Customer,Region\n1,Acme\n");
    expect(file.missingColumns.map((column) => column.label)).toEqual(["Deal id", "Owner", "Stage"]);
    expect(file.totalRows).toBe(1);
  });

  it("reads activities: side from direction words, meetings as buyer effort, planned ones skipped", async () => {
    const file = await read("salesforce-tasks.csv");
    if (file.kind !== "activities") throw new Error("activities expected");
    expect(file.rows.map((row) => [row.externalId, row.type, row.side])).toEqual([
      ["00TDn00000T1", "call", "buyer"],
      ["00TDn00000T2", "email", "seller"],
      ["00TDn00000T3", "meeting", "buyer"],
    ]);
    expect(file.skipped).toEqual({ count: 1, reason: "planned, not done yet" });
  });

  it("reads a people file with teams and managers", async () => {
    const file = await read("people.csv", { kind: "people" });
    if (file.kind !== "people") throw new Error("people expected");
    expect(file.rows[0]).toMatchObject({
      person: "Nina Newhire",
      email: "nina.newhire@test.example",
      team: "North",
      manager: "Olga Boss",
      role: "rep",
    });
  });
});
