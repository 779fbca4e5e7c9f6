// The team overview and the settings screen in a real browser on the demo
// organisation: real numbers on "/", a review run with the button, the
// figures and charts; the settings' live preview changing before saving, then
// the change saved and still there after a reload. Axe scans both screens.
//
// Data: the numbers checked come from the demo generator itself (same seed
// and day as the server's seed), for Fatima Noor — a Central rep in no story,
// whose deals no other spec acts on. The threshold changed here is put back
// at the end so later reviews flag as the other specs expect.
import { expect, type Page, test } from "@playwright/test";
import { currentUtcDate } from "../../prisma/seed/calendar";
import { DEMO_DEFAULTS, defaultClosedDeals, generateDemoOrganisation } from "../../prisma/seed/generate";
import { decimalToCents } from "../../prisma/seed/rows";
import { formatCount, formatMoney } from "../../lib/format";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./helpers";
import { SIGNED_IN } from "./people";

// Central's manager, signed in once by auth.setup.ts.
test.use({ storageState: SIGNED_IN.centralManager.storageState });

const REP_NAME = "Fatima Noor";

/** The rep's open pipeline as the demo generator planned it for today. */
function expectedPipeline(repName: string) {
  const demo = generateDemoOrganisation({
    ...DEMO_DEFAULTS,
    today: currentUtcDate(),
    closedDeals: defaultClosedDeals(DEMO_DEFAULTS.reps),
  });
  const rep = demo.users.find((user) => user.name === repName);
  if (!rep) throw new Error(`${repName} is not in the demo organisation`);
  const open = demo.opportunities.filter((deal) => deal.ownerId === rep.id && deal.status === "open");
  return { count: open.length, cents: open.reduce((sum, deal) => sum + decimalToCents(deal.amount), 0) };
}

function repRow(page: Page, name: string) {
  return page.getByTestId("rep-row").filter({ has: page.getByRole("link", { name, exact: true }) });
}

test.describe.configure({ mode: "serial" });

test("the team overview shows the demo organisation's real numbers", async ({ page }) => {
  const expected = expectedPipeline(REP_NAME);
  expect(expected.count).toBeGreaterThan(0);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Team overview" })).toBeVisible();
  const row = repRow(page, REP_NAME);
  await expect(row.getByTestId("open-deals")).toHaveText(formatCount(expected.count));
  await expect(row.getByTestId("open-value")).toHaveText(formatMoney(expected.cents / 100));
  await expect(row.getByRole("link", { name: REP_NAME })).toHaveAttribute("href", /^\/reps\/.+/);
});

test("a manager runs a review with the button and sees the figures and charts", async ({ page }) => {
  await page.goto("/");
  // Another spec may have run a review already; either way the button is there.
  if (await page.getByTestId("no-review").isVisible()) {
    await expect(page.getByRole("heading", { name: "Not reviewed yet" })).toBeVisible();
    await saveScreenshot(page, "overview-no-review");
  }
  const button = page.getByRole("button", { name: "Run review" });
  await button.click();
  await expect(page.getByRole("button", { name: "Running review…" })).toBeDisabled();
  await expect(page.getByRole("status").filter({ hasText: "Review done:" })).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId("last-review")).toContainText("Avery Collins");
  await expect(page.getByTestId("last-review")).toContainText("today");

  // The figures: a review of the demo finds stale pipeline, and coverage is shown raw and without stale deals.
  await expect(page.getByTestId("figure-open-pipeline")).toContainText("open deals");
  await expect(page.getByTestId("stale-share")).toHaveText(/^[1-9]\d*% of open$/);
  await expect(page.getByTestId("figure-coverage")).toContainText("raw");
  await expect(page.getByTestId("figure-coverage")).toContainText("without stale deals");
  await expect(page.getByTestId("figure-cycle")).toContainText("from the last review");
  // The 800% rep carries stale deals.
  await expect(repRow(page, "Derek Holloway")).toContainText("stale");

  // Charts, each drawn and each with its numbers as a table.
  for (const chart of ["rep-health", "pipeline-trend", "deal-ages"]) {
    await expect(page.getByTestId(`${chart}-chart`).locator("svg.recharts-surface").first()).toBeVisible();
  }
  await expect(page.getByTestId("deal-ages-chart")).toContainText("2× cycle");
  const ages = page.getByRole("region", { name: "Deal age distribution" });
  await ages.getByText("Show the numbers").click();
  await expect(ages.getByRole("table")).toContainText("Past 2×?");
  await saveScreenshot(page, "overview-after-review");
  await expectNoSeriousA11yViolations(page);
});

test("the rep table sorts by a column from the URL and links each rep to their pipeline", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: /^Open value/ }).click();
  await expect(page).toHaveURL(/sort=openValue&dir=desc/);
  await expect(page.getByRole("columnheader", { name: /Open value/ })).toHaveAttribute("aria-sort", "descending");
  const values = await page.getByTestId("open-value").allTextContents();
  const numbers = values.map((text) => Number(text.replace(/[^0-9.]/g, "")));
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  await page.getByRole("link", { name: /^Open value/ }).click();
  await expect(page).toHaveURL(/sort=openValue&dir=asc/);
});

// Organisation-wide thresholds are the admin's (issue 11): managers see them read-only.
test.describe("settings, as the admin", () => {
  test.use({ storageState: SIGNED_IN.admin.storageState });

  test("settings: the live preview counts change before saving, then the change is saved", async ({ page }) => {
    await page.goto("/settings");
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    // The organisation's form (the team-overrides form below has the same fields and preview).
    const rules = page.getByRole("region", { name: "Rule thresholds" });
    const multiple = page
      .getByTestId("field-pastItsTimeMultiple")
      .getByRole("spinbutton", { name: "Past its time after" });
    await expect(multiple).toHaveValue("2");
    const flagged = rules.getByTestId("preview-flagged");
    const pastItsTime = rules.getByTestId("preview-rule-past-its-time");
    await expect(flagged).toContainText("deals flagged", { timeout: 30_000 });
    const before = (await flagged.textContent()) ?? "";
    const count = (text: string | null) => Number((text ?? "").replace(/,/g, "").match(/(\d+) deals? flagged/)?.[1]);
    const pastBefore = (await pastItsTime.textContent()) ?? "";
    await saveScreenshot(page, "settings");
    await expectNoSeriousA11yViolations(page);

    // A lower multiple flags more deals past their time: the preview says so before anything is saved.
    await multiple.fill("1.5");
    await expect(pastItsTime).not.toHaveText(pastBefore, { timeout: 30_000 });
    // Cells: "38 · $1.6M" under Saved and under These settings.
    const dealsIn = async (column: 0 | 1) =>
      Number(((await pastItsTime.getByRole("cell").nth(column).textContent()) ?? "").replace(/,/g, "").split(" ")[0]);
    const [savedCount, candidateCount] = [await dealsIn(0), await dealsIn(1)];
    expect(candidateCount).toBeGreaterThan(savedCount);
    await expect(rules.getByTestId("preview-sentences")).toContainText(
      `Past its time after: at 2.0× → ${formatCount(savedCount)} deals flagged “Past its time”`,
    );
    await expect(rules.getByTestId("preview-sentences")).toContainText(`at 1.5× → ${formatCount(candidateCount)} (`);
    // The total never falls when a threshold is lowered; the saved side is unchanged.
    expect(count(await flagged.textContent())).toBeGreaterThanOrEqual(count(before));
    await expect(rules.getByTestId("preview-saved")).toHaveText(before);
    await saveScreenshot(page, "settings-live-preview");

    await rules.getByRole("button", { name: "Save thresholds" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved 1 threshold" })).toBeVisible();
    await page.reload();
    await expect(
      rules.getByTestId("field-pastItsTimeMultiple").getByRole("spinbutton", { name: "Past its time after" }),
    ).toHaveValue("1.5");
    // Once saved, the preview compares with the new saved settings: no difference.
    await expect(flagged).toContainText("deals flagged", { timeout: 30_000 });
    await expect(rules.getByTestId("preview-saved")).toHaveText((await flagged.textContent()) ?? "");
    await saveScreenshot(page, "settings-saved");

    // Put the default back for the other specs.
    await page
      .getByTestId("field-pastItsTimeMultiple")
      .getByRole("spinbutton", { name: "Past its time after" })
      .fill("2");
    await rules.getByRole("button", { name: "Save thresholds" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved 1 threshold" })).toBeVisible();
  });
});
