// Files as spreadsheets and CRMs really write them: a byte-order mark, Windows
// line ends, quoted commas and line breaks, blank lines, trailing empty
// columns, short rows, semicolons and tabs, and amounts with thousands
// separators and currency symbols — read into the right deals, with line
// numbers that match the editor.
import { beforeAll, describe, expect, it } from "vitest";
import { createSmallOrg } from "../fixtures/small-org";
import { apply, dealByExternalId, fixture, preview, text } from "./import-helpers";

beforeAll(async () => {
  await createSmallOrg();
});

describe("a deals list kept in a spreadsheet", () => {
  it("counts only real rows and gives the line an editor shows, even after a cell with a line break", async () => {
    const result = await preview([fixture("spreadsheet-deals.csv")]);
    const [file] = result.files;
    // The blank line and the line of empty cells are not rows.
    expect(file?.totalRows).toBe(5);
    expect(file?.ignoredHeaders).toEqual(["Notes"]);
    expect(file?.rejected).toEqual([
      {
        line: 8,
        id: "S-4",
        reason: "Amount: “(1,200.00)” is negative: a deal's amount must be 0 or more. Correct it in the file.",
      },
    ]);
  });

  it("imports the rest with names, amounts and currencies as the spreadsheet meant them", async () => {
    await apply([fixture("spreadsheet-deals.csv")], { skipRejected: true });
    const cases = [
      { id: "S-1", name: "Northwind, Inc. — renewal", amount: "1250000.00", currency: "USD" },
      { id: "S-2", name: "Contoso pilot", amount: "12500.00", currency: "EUR" },
      { id: "S-3", name: 'Fabrikam "phase 2"', amount: "3400.00", currency: "EUR" },
      { id: "S-5", name: "Short row", amount: "900.00", currency: "USD" },
    ];
    for (const expected of cases) {
      const deal = await dealByExternalId("csv", expected.id);
      expect({ id: expected.id, name: deal.name, amount: deal.amount.toFixed(2), currency: deal.currency }).toEqual(
        expected,
      );
    }
    // A row that stops early just has no expected close date.
    expect((await dealByExternalId("csv", "S-5")).expectedCloseDate).toBeNull();
    expect((await dealByExternalId("csv", "S-1")).openedAt?.toISOString()).toBe("2026-04-01T12:00:00.000Z");
  });
});

describe("amounts as exports write them", () => {
  const amounts = [
    { cell: '"$48,000.00"', amount: "48000.00", currency: "USD" },
    { cell: "USD 32000", amount: "32000.00", currency: "USD" },
    { cell: '"1.234.567,89 €"', amount: "1234567.89", currency: "EUR" },
    { cell: '"£ 2,000"', amount: "2000.00", currency: "GBP" },
    { cell: "1'234.50 CHF", amount: "1234.50", currency: "CHF" },
    { cell: '"12\u00a0500,00"', amount: "12500.00", currency: "USD" },
    { cell: "1.200", amount: "1200.00", currency: "USD" },
    { cell: "99.5", amount: "99.50", currency: "USD" },
  ];
  beforeAll(async () => {
    const rows = amounts.map(
      (entry, index) => `M-${index + 1},Deal ${index + 1},Ben Rep,Demo,${entry.cell},2026-05-01`,
    );
    const file = ["Deal ID,Deal name,Owner,Stage,Amount,Opened", ...rows].join("\n");
    await apply([text("money.csv", file, { mapping: { source: "money" } })]);
  });

  it.each(amounts.map((entry, index) => ({ ...entry, id: `M-${index + 1}` })))(
    "reads $cell as $amount $currency",
    async ({ id, amount, currency }) => {
      const deal = await dealByExternalId("money", id);
      expect([deal.amount.toFixed(2), deal.currency]).toEqual([amount, currency]);
    },
  );
});

describe("other delimiters", () => {
  it("reads a semicolon file whose quoted cells hold semicolons", async () => {
    const result = await apply([
      text(
        "semicolons.csv",
        'Deal ID;Deal name;Owner;Stage;Amount;Opened\r\nX-1;"Acme; Europe";Wes Rep;Demo;"1.500,00";01.05.2026\r\n',
        { mapping: { source: "semicolons" } },
      ),
    ]);
    expect(result.files[0]?.counts).toMatchObject({ new: 1, rejected: 0 });
    const deal = await dealByExternalId("semicolons", "X-1");
    expect([deal.name, deal.amount.toFixed(2), deal.openedAt?.toISOString()]).toEqual([
      "Acme; Europe",
      "1500.00",
      "2026-05-01T12:00:00.000Z",
    ]);
  });

  it("reads a tab-separated file pasted out of a spreadsheet", async () => {
    await apply([
      text(
        "tabs.tsv",
        "Deal ID\tDeal name\tOwner\tStage\tAmount\tOpened\nT-1\tGlobex, pilot\tWes Rep\tProposal\t$7,000\t2026-05-03\n",
        {
          mapping: { source: "tabs" },
        },
      ),
    ]);
    const deal = await dealByExternalId("tabs", "T-1");
    expect([deal.name, deal.amount.toFixed(2), deal.stage.name]).toEqual(["Globex, pilot", "7000.00", "Proposal"]);
  });
});
