// Shared by the browser tests: screenshots for people to look at, and an
// accessibility scan that fails on serious or critical violations.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export const SCREENSHOT_DIR = "test-results/screenshots";

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}

/**
 * `exclude` skips parts that are not the app's own UI, e.g. the sandboxed
 * iframe that previews an email: axe cannot inject into it and waits forever.
 */
export async function expectNoSeriousA11yViolations(page: Page, exclude: string[] = []): Promise<void> {
  let builder = new AxeBuilder({ page });
  for (const selector of exclude) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target.join(" ")})`),
  ).toEqual([]);
}

/**
 * Opens a team's meeting as an admin: /meeting asks an admin to choose a
 * team first (a manager goes straight to their own).
 */
export async function openTeamMeeting(page: Page, teamName: string): Promise<void> {
  await page.goto("/meeting");
  await page
    .getByTestId("meeting-team-choice")
    .filter({ hasText: new RegExp(`^${teamName}`) })
    .click();
  await expect(page.locator("[data-meeting-ready='true']")).toBeVisible();
}
