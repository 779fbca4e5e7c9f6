// The back-test in a real browser on the demo organisation: /insights draws
// each rule's sweep as a chart with its table, an admin switches to a team, a
// manager's settings page shows the back-test line beside the thresholds, and
// a rep is sent to their own deals. Axe scans both screens. Reads only.
import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./helpers";
import { SIGNED_IN } from "./people";

const RULES = ["past-its-time", "untouched", "stuck-in-stage"] as const;

test.describe("as the admin", () => {
  test.use({ storageState: SIGNED_IN.admin.storageState });

  test("/insights shows every rule's sweep as a chart and a table, for the organisation and a team", async ({
    page,
  }) => {
    await page.goto("/insights");
    await expect(
      page.getByRole("heading", { level: 1, name: "Insights: the rules on your own history" }),
    ).toBeVisible();
    await expect(
      page.getByRole("heading", { level: 2, name: /^Organisation: [\d,]+ closed deals, \d+% won$/ }),
    ).toBeVisible();
    for (const rule of RULES) {
      await expect(
        page.getByTestId(`backtest-chart-${rule}-chart`).locator("svg.recharts-surface").first(),
      ).toBeVisible();
      const table = page.getByTestId(`backtest-table-${rule}`);
      // Every threshold swept has its row; the one set now is marked.
      await expect(table.locator("tbody tr")).toHaveCount(rule === "stuck-in-stage" ? 4 : 5);
      await expect(table.locator("tbody tr").filter({ hasText: "(set)" })).toHaveCount(1);
    }
    await expect(page.getByTestId("backtest-line-past-its-time")).toHaveText(
      /^On your last 12 months: past 2\.0× won (\d+%|—) \([\d,]+ of [\d,]+\); not flagged won \d+% \([\d,]+ of [\d,]+\)/,
    );
    // The chart's numbers are also a table behind "Show the numbers".
    await page.getByTestId("backtest-past-its-time").getByText("Show the numbers").click();
    await expect(
      page
        .getByTestId("backtest-past-its-time")
        .getByRole("table", { name: /Win rate of flagged and never-flagged deals/ }),
    ).toBeVisible();
    await expect(page.getByTestId("backtest-teams").locator("tbody tr")).not.toHaveCount(0);
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, "insights-organisation");

    await page.getByRole("navigation", { name: "Back-test scope" }).getByRole("link", { name: "Central" }).click();
    await expect(page.getByRole("heading", { level: 2, name: /^Central: [\d,]+ closed deals/ })).toBeVisible();
    await expect(
      page.getByRole("navigation", { name: "Back-test scope" }).getByRole("link", { name: "Central" }),
    ).toHaveAttribute("aria-current", "page");
  });
});

test.describe("as Central's manager", () => {
  test.use({ storageState: SIGNED_IN.centralManager.storageState });

  test("the settings page shows the back-test line beside the thresholds, and /insights their team", async ({
    page,
  }) => {
    await page.goto("/settings");
    const backtest = page.getByTestId("settings-backtest");
    await expect(backtest).toContainText("Back-test (Central)");
    await expect(page.getByTestId("settings-backtest-past-its-time")).toHaveText(
      /^Past its time\. On your last 12 months: past 2\.0× won (\d+%|—) \([\d,]+ of [\d,]+\); not flagged won \d+% \([\d,]+ of [\d,]+\)/,
    );
    await expect(page.getByTestId("settings-backtest-untouched")).toContainText("untouched 90 days won");
    await expectNoSeriousA11yViolations(page);

    await backtest.getByRole("link", { name: /Every threshold tried/ }).click();
    await expect(page.getByRole("heading", { level: 2, name: /^Central: [\d,]+ closed deals/ })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Back-test scope" })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page);
  });
});

test.describe("as a rep", () => {
  test.use({ storageState: SIGNED_IN.centralRep.storageState });

  test("/insights sends a rep to their own deals", async ({ page }) => {
    await page.goto("/insights");
    await expect(page.getByTestId("managers-only")).toContainText("Insights are for managers");
  });
});
