// The import page in a real browser on the demo organisation: the admin
// chooses a generic CSV (tests/fixtures/import/e2e/generic-deals.csv), maps
// the deal id column and an unknown stage by hand, sees the preview with
// exactly one rejected row (its line and reason), saves the mapping and
// downloads it as the command line's JSON, ticks "import the rest", imports,
// and finds the imported deals on the owner's pipeline. A manager is refused.
// Axe scans the page empty and with a preview; screenshots of each step.
//
// Data: the owner is Aisha Bello, an East rep in no demo story and in no
// other spec's numbers; the deals are new (source "csv", ids E2E-…).
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./helpers";
import { SIGNED_IN } from "./people";

// The demo admin, signed in once by auth.setup.ts.
test.use({ storageState: SIGNED_IN.admin.storageState });

const FIXTURE = path.resolve("tests/fixtures/import/e2e/generic-deals.csv");
const OWNER = "Aisha Bello";
const IMPORTED = [
  "Harbor Analytics — Forecasting pilot",
  "Summit Foods — Route planning",
  "Northwind Clinics — Scheduling suite",
];
const REJECTED = "Lakeside Retail — Loyalty analytics";
const MAPPING_NAME = "E2E generic deals";

test.describe.configure({ mode: "serial" });

/** Runs a preview with the button and waits for its answer; returns the seconds it took in the browser. */
async function previewWith(page: Page, button: string): Promise<number> {
  const started = Date.now();
  await page.getByRole("button", { name: button }).click();
  await expect(page.getByTestId("preview-time")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("preview-stale")).toHaveCount(0);
  return (Date.now() - started) / 1000;
}

test("an admin imports a generic CSV: maps a column by hand, sees the rejected row, imports the rest", async ({
  page,
}) => {
  const timings: Record<string, number> = {};

  // The page, empty: what to do, and the as-of date in use.
  let started = Date.now();
  await page.goto("/import");
  await expect(page.getByRole("heading", { level: 1, name: "Import from your CRM" })).toBeVisible();
  timings.pageRender = (Date.now() - started) / 1000;
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Import" })).toBeVisible();
  await expect(page.getByTestId("import-as-of")).toContainText("Data is read as of");
  await expect(page.getByTestId("no-files")).toContainText("No files chosen yet");
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "import-empty");

  // Choose the file; the server reads it: a generic CSV whose deal id column it cannot guess.
  await page.getByLabel("CSV files (up to 8)").setInputFiles(FIXTURE);
  timings.firstRead = await previewWith(page, "Read 1 file");
  const file = page.getByTestId("import-file");
  await expect(file.getByTestId("file-description")).toContainText("Deals from a CSV file");
  await expect(file.getByLabel("Kind of file")).toHaveValue("deals");
  await expect(file.getByLabel("Exported from")).toHaveValue("generic");
  // Suggested from the headers…
  await expect(file.getByLabel("Owner column")).toHaveValue("Sales rep");
  // …but not the deal id: required, marked, and the import cannot go ahead without it.
  const dealId = file.getByLabel("Deal id column");
  await expect(dealId).toHaveValue("");
  await expect(file.getByTestId("column-externalId")).toContainText("(required)");
  await expect(file.getByTestId("file-not-read")).toContainText("choose the column for Deal id");
  await expect(page.getByTestId("blockers")).toContainText("choose the column for Deal id");
  await expect(page.getByRole("button", { name: "Import 1 file" })).toBeDisabled();
  await saveScreenshot(page, "import-mapping-needed");

  // Map it by hand and preview again: now a stage value needs a choice too.
  await dealId.selectOption("Ref No");
  await expect(page.getByTestId("preview-stale")).toBeVisible();
  await previewWith(page, "Preview again");
  const evaluating = file.getByTestId("stage-row").filter({ hasText: "Evaluating" });
  await expect(evaluating).toContainText("Not mapped yet");
  await expect(file.getByTestId("rejected-row")).toHaveCount(2);

  await file.getByLabel("Evaluating", { exact: true }).selectOption("Qualification");
  started = Date.now();
  timings.preview = await previewWith(page, "Preview again");

  // The preview: counts, and exactly one rejected row with its line number and reason.
  await expect(file.getByTestId("count-rows")).toHaveText("4");
  await expect(file.getByTestId("count-new")).toHaveText("3");
  await expect(file.getByTestId("count-rejected")).toHaveText("1");
  const rejected = file.getByTestId("rejected-row");
  await expect(rejected).toHaveCount(1);
  await expect(rejected).toContainText("Line 5");
  await expect(rejected).toContainText("E2E-4");
  await expect(rejected).toContainText("“2026-02-30” is not a real calendar date");
  await expect(file.getByTestId("stage-row").filter({ hasText: "Evaluating" })).toContainText("Your choice");
  await expect(page.getByTestId("as-of-outcome")).toContainText("leaves the as-of date as it is");

  // Keep the mapping: saved under a name, and downloaded as the command line's JSON file.
  const keep = file.getByRole("group", { name: "Keep this mapping" });
  await keep.getByLabel("Name").fill(MAPPING_NAME);
  await keep.getByRole("button", { name: "Save mapping" }).click();
  await expect(keep.getByRole("status")).toContainText(`Saved as “${MAPPING_NAME}”`);
  await expect(page.getByTestId("saved-mappings")).toContainText(MAPPING_NAME);
  const download = page.waitForEvent("download");
  await keep.getByRole("button", { name: `Download “${MAPPING_NAME}” as JSON` }).click();
  const json = JSON.parse(readFileSync((await (await download).path()) ?? "", "utf8"));
  expect((await download).suggestedFilename()).toBe("e2e-generic-deals.json");
  expect(json).toMatchObject({
    kind: "deals",
    preset: "generic",
    columns: { externalId: "Ref No", owner: "Sales rep", stage: "Stage" },
    stages: { Evaluating: "Qualification" },
  });

  // Nothing is dropped silently: the import waits for the explicit choice.
  await expect(page.getByTestId("blockers")).toContainText("1 row is rejected");
  const apply = page.getByRole("button", { name: "Import 1 file" });
  await expect(apply).toBeDisabled();
  await page.getByLabel("Import the rest without the 1 rejected row").check();
  await expect(page.getByTestId("blockers")).toHaveCount(0);
  await expect(apply).toBeEnabled();
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "import-preview");

  // Import: all or nothing, then the result with the owner's pipeline and the audit trail.
  started = Date.now();
  await apply.click();
  const result = page.getByTestId("import-result");
  await expect(result).toBeVisible({ timeout: 60_000 });
  timings.apply = (Date.now() - started) / 1000;
  await expect(result).toContainText("Imported: 1 file");
  await expect(result).toContainText("3 new rows");
  await expect(result).toContainText("1 rejected row left out, as you chose");
  await expect(result.getByRole("link", { name: "The import in the audit trail" })).toHaveAttribute(
    "href",
    "/audit?kind=imports",
  );
  await saveScreenshot(page, "import-result");
  console.log(`import timings (s): ${JSON.stringify(timings)}`);

  // The owner's pipeline has the imported deals (the early-stage ones in their group), not the rejected one.
  await result.getByRole("link", { name: OWNER }).click();
  await expect(page).toHaveURL(/\/reps\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1, name: `${OWNER}'s pipeline` })).toBeVisible();
  const early = page.getByTestId("early-group-row").getByRole("button");
  if ((await early.getAttribute("aria-expanded")) === "false") await early.click();
  for (const name of IMPORTED) {
    await expect(
      page.getByTestId("deal-row").filter({ has: page.getByRole("link", { name, exact: true }) }),
    ).toHaveCount(1);
  }
  await expect(page.getByRole("link", { name: REJECTED })).toHaveCount(0);
  await saveScreenshot(page, "import-rep-pipeline");

  // The audit trail names who imported.
  await page.goto("/audit?kind=imports");
  await expect(page.getByTestId("audit-row").first()).toContainText(SIGNED_IN.admin.name);
});

test("a manager is told plainly that only administrators import, and has no Import link", async ({ browser }) => {
  const context = await browser.newContext({ storageState: SIGNED_IN.centralManager.storageState });
  const page = await context.newPage();
  await page.goto("/import");
  await expect(page.getByTestId("admins-only")).toContainText("Only administrators can import CRM exports");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Import" })).toHaveCount(0);
  await context.close();
});
