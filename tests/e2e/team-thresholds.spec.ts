// Team-level thresholds in a real browser (issue 16, item 2): Central's
// manager sets an override for their own team, the live preview changes and
// names the level, and after a review a deal's explanation names the team's
// setting. The override is reset at the end (and a review run again) so the
// demo flags as before for anyone reading the screens afterwards.
import { expect, type Page, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./helpers";
import { SIGNED_IN } from "./people";

test.use({ storageState: SIGNED_IN.centralManager.storageState });
test.describe.configure({ mode: "serial" });

async function runReview(page: Page) {
  await page.goto("/");
  await page.getByRole("button", { name: "Run review" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Review done:" })).toBeVisible({ timeout: 60_000 });
}

test("a manager sets their team's override: the preview and a deal's explanation name the level", async ({ page }) => {
  test.slow(); // two full reviews of the demo organisation
  await page.goto("/settings#team-rules");
  const section = page.locator("#team-rules");
  await expect(section.getByRole("heading", { name: "Team thresholds" })).toBeVisible();
  // A manager has one team: no team selector, and the organisation's defaults read as plain text, not inputs.
  await expect(section.getByLabel("Team", { exact: true })).toHaveCount(0);
  const organisation = page.locator("#rules");
  await expect(organisation.getByRole("button", { name: "Save thresholds" })).toHaveCount(0);
  await expect(organisation.getByRole("spinbutton")).toHaveCount(0);
  await expect(organisation.getByRole("combobox")).toHaveCount(0);
  await expect(organisation.getByTestId("org-thresholds-read-only-pastItsTimeMultiple")).toHaveText(
    "Past its time after:2.0× the average cycle",
  );

  const untouched = section.getByRole("spinbutton", { name: "Untouched after" });
  await expect(untouched).toHaveValue("");
  await expect(untouched).toHaveAttribute("placeholder", "90");
  await expect(section.getByTestId("team-level-untouchedDays")).toHaveText("Organisation default (90 days).");
  const preview = section.getByTestId("rule-preview");
  await expect(preview.getByTestId("preview-flagged")).toContainText("deals flagged", { timeout: 30_000 });
  await expect(preview).toContainText("Open deals of the Central team");
  await expect(preview.getByTestId("preview-levels")).toHaveText("Every threshold is the organisation default.");
  const untouchedRow = preview.getByTestId("preview-rule-untouched");
  const before = (await untouchedRow.textContent()) ?? "";

  // Stricter for this team: 30 days without activity. The preview counts more, and names the level.
  await untouched.fill("30");
  await expect(untouchedRow).not.toHaveText(before, { timeout: 30_000 });
  const dealsIn = async (column: 0 | 1) =>
    Number(((await untouchedRow.getByRole("cell").nth(column).textContent()) ?? "").replace(/,/g, "").split(" ")[0]);
  expect(await dealsIn(1)).toBeGreaterThan(await dealsIn(0));
  await expect(section.getByTestId("team-level-untouchedDays")).toHaveText(
    "Central team's setting; the organisation default is 90 days.",
  );
  await expect(preview.getByTestId("preview-levels")).toHaveText(
    "1 threshold is the Central team's own setting; the rest are organisation defaults.",
  );
  await expect(preview.getByTestId("preview-sentences")).toContainText(
    "Untouched after (Central team's setting): at 90 days →",
  );
  await saveScreenshot(page, "team-thresholds-preview");
  await expectNoSeriousA11yViolations(page);

  await section.getByRole("button", { name: "Save the Central team's thresholds" }).click();
  await expect(section.getByRole("status").filter({ hasText: "Saved 1 threshold for the Central team" })).toBeVisible();
  await page.reload();
  await expect(page.locator("#team-rules").getByRole("spinbutton", { name: "Untouched after" })).toHaveValue("30");

  // After a review, an untouched deal's explanation names the team's setting.
  await runReview(page);
  await page.goto("/deals?rule=untouched");
  await page.getByTestId("flagged-deal-row").first().getByRole("link").first().click();
  // The header's flag list and the timeline both say it; the timeline's line is checked.
  await expect(
    page
      .getByRole("listitem")
      .filter({ hasText: /^Untouched: No activity from either side .*\(limit 30 days, Central team's setting\)\.$/ })
      .first(),
  ).toBeVisible();
  await saveScreenshot(page, "team-thresholds-explanation");
  await expectNoSeriousA11yViolations(page);

  // Back to the organisation default, with the reset button, and a review so the flags are as before.
  await page.goto("/settings#team-rules");
  const again = page.locator("#team-rules");
  await again.getByRole("button", { name: "Reset “Untouched after” to the organisation default" }).click();
  await expect(again.getByRole("spinbutton", { name: "Untouched after" })).toHaveValue("");
  await again.getByRole("button", { name: "Save the Central team's thresholds" }).click();
  await expect(again.getByRole("status").filter({ hasText: "Saved 1 threshold for the Central team" })).toBeVisible();
  await runReview(page);
});

test("an override of a cycle setting changes the preview, and resetting it undoes that", async ({ page }) => {
  await page.goto("/settings#team-rules");
  const section = page.locator("#team-rules");
  const preview = section.getByTestId("rule-preview");
  const pastItsTime = preview.getByTestId("preview-rule-past-its-time");
  await expect(preview.getByTestId("preview-flagged")).toContainText("deals flagged", { timeout: 30_000 });
  const before = (await pastItsTime.textContent()) ?? "";

  // Counting only the won deals of the last day leaves Central too few to measure its own cycle: it falls back
  // to the organisation's, and past-its-time counts differently.
  const lookback = section.getByRole("spinbutton", { name: "Won deals counted from the last" });
  await expect(lookback).toHaveAttribute("placeholder", "365");
  await lookback.fill("1");
  await expect(pastItsTime).not.toHaveText(before, { timeout: 30_000 });
  await expect(section.getByTestId("team-level-lookbackDays")).toHaveText(
    "Central team's setting; the organisation default is 365 days.",
  );
  await expect(preview.getByTestId("preview-sentences")).toContainText(
    "Won deals counted from the last (Central team's setting): at 365 days →",
  );
  // The statistic is a choice with "organisation default" as its first option.
  await expect(section.getByRole("combobox", { name: "Average deal cycle statistic" })).toHaveValue("");
  await saveScreenshot(page, "team-thresholds-cycle-preview");
  await expectNoSeriousA11yViolations(page);

  // Nothing was saved: undoing brings the saved counts back.
  await section.getByRole("button", { name: "Undo changes" }).click();
  await expect(pastItsTime).toHaveText(before, { timeout: 30_000 });
});

test.describe("read-only thresholds", () => {
  test.use({ storageState: SIGNED_IN.centralRep.storageState });

  test("a rep reads the organisation's and the team's thresholds as plain text", async ({ page }) => {
    await page.goto("/settings");
    const organisation = page.locator("#rules");
    await expect(organisation.getByRole("spinbutton")).toHaveCount(0);
    await expect(organisation.getByTestId("org-thresholds-read-only-untouchedDays")).toHaveText(
      "Untouched after:90 days",
    );
    await expect(organisation.getByTestId("org-thresholds-read-only-cycleStatistic")).toHaveText(
      "Average deal cycle statistic:Mean (average)",
    );
    const team = page.locator("#team-rules");
    await expect(team.getByRole("spinbutton")).toHaveCount(0);
    await expect(team.getByTestId("team-thresholds-read-only-untouchedDays")).toHaveText(
      "Untouched after:90 days (organisation default)",
    );
    await saveScreenshot(page, "settings-read-only");
    await expectNoSeriousA11yViolations(page);
  });
});
