// Meeting mode in a real browser on the demo organisation, with the keyboard
// alone: from the team summary to a rep, move a flagged late-stage deal back a
// stage with one key and a reason, see the result on the row, then reach the
// last screen and find the decision listed. Screenshots at 1280×720 of the
// summary, a rep screen and the decisions; axe scans each; the rep screen must
// fit the projector without scrolling.
//
// Data: other specs run before and after on the same server and database, so
// this one assumes no global counts and acts only on a deal of a Central rep
// no other spec touches (not the 800% rep, the stuck-deal rep, the bulk-action
// rep or the rep whose numbers the overview checks).
import { expect, type Page, test } from "@playwright/test";
import { STORY_TEAMS } from "../../prisma/seed/vocabulary";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./helpers";
import { SIGNED_IN } from "./people";

// Central's manager, signed in once by auth.setup.ts.
test.use({ storageState: SIGNED_IN.centralManager.storageState });

const centralReps = STORY_TEAMS[0]?.reps ?? [];
const repName = (index: number) => `${centralReps[index]?.first} ${centralReps[index]?.last}`;
/** Central reps 3–5 (Luis Ortega, Hannah Brooks, Grace Kim): healthy reps in no acting story. */
const REPS_TO_ACT_ON = [3, 4, 5].map(repName);

const title = (page: Page) => page.getByTestId("meeting-screen-title");

/** "Screen 3 of 9" → [3, 9] */
async function position(page: Page): Promise<[number, number]> {
  const text = (await page.getByTestId("meeting-hint").textContent()) ?? "";
  const match = /Screen (\d+) of (\d+)/.exec(text);
  return [Number(match?.[1]), Number(match?.[2])];
}

/** A flagged, open, late-stage deal not decided yet, that can move back a stage. */
function candidateRows(page: Page) {
  return page.locator(
    "[data-testid='meeting-deal-row'][data-flagged='true'][data-early='false'][data-can-move-back='true'][data-decided='false']",
  );
}

test("the meeting walks from the summary to a rep and records a decision with the keyboard alone", async ({ page }) => {
  await page.goto("/meeting");
  await expect(page.locator("[data-meeting-ready='true']")).toBeVisible();

  // Alone on a fresh database there is no review yet: the first screen offers to run one.
  const noReview = page.getByTestId("meeting-no-review");
  if (await noReview.isVisible()) {
    await saveScreenshot(page, "meeting-no-review");
    await noReview.getByRole("button", { name: "Run the review now" }).focus();
    await page.keyboard.press("Enter");
    await expect(noReview).toBeHidden({ timeout: 30_000 });
  }

  // The summary: the team's figures and the trend, with its text equivalent.
  await expect(title(page)).toHaveText("Pipeline meeting");
  await expect(page.getByTestId("meeting-summary-figures")).toContainText("Open pipeline");
  await expect(page.getByTestId("meeting-summary-figures")).toContainText("Coverage: raw → real");
  await expect(page.getByTestId("meeting-trend-text")).toContainText("Open pipeline");
  await expect(page.getByTestId("meeting-hint")).toContainText("→ next · ← back · Esc leave");
  const [, screens] = await position(page);
  expect(screens).toBeGreaterThan(2);
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "meeting-summary");

  // → through the reps until one we may act on has a flagged late-stage deal.
  let found = false;
  for (let step = 1; step < screens - 1 && !found; step++) {
    await page.keyboard.press("ArrowRight");
    await expect.poll(async () => (await position(page))[0]).toBe(step + 1);
    // A rep past the first few has their deals loaded as the screen comes near.
    await expect(page.getByTestId("meeting-deals-loading")).toBeHidden();
    const heading = (await title(page).textContent()) ?? "";
    found = REPS_TO_ACT_ON.some((name) => heading.startsWith(name)) && (await candidateRows(page).count()) > 0;
  }
  expect(found, `a screen of ${REPS_TO_ACT_ON.join(", ")} with a flagged late-stage deal`).toBe(true);
  await expect(page.getByRole("status").filter({ hasText: /^Screen \d+ of \d+: / })).toBeAttached();
  await expect(page.getByTestId("early-stage-line").or(page.getByText(/^Continued: deals/))).toBeVisible();

  // ↓ to the deal: focus is visible on the row and the panel shows it in full.
  const rows = page.getByTestId("meeting-deal-row");
  const dealId = await candidateRows(page).first().getAttribute("data-deal-id");
  const target = page.locator(`[data-testid='meeting-deal-row'][data-deal-id='${dealId}']`);
  const previousStage = (await target.getAttribute("data-previous-stage")) ?? "";
  const dealName = ((await target.getByTestId("meeting-deal-name").textContent()) ?? "").trim();
  expect(dealName.length).toBeGreaterThan(0);
  const rowIndex = await rows.evaluateAll(
    (elements, id) => elements.findIndex((row) => row.dataset.dealId === id),
    dealId,
  );
  for (let press = 0; press <= rowIndex; press++) await page.keyboard.press("ArrowDown");
  await expect(target).toBeFocused();
  await expect(target).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("deal-panel")).toContainText(dealName);

  // The rep screen fits a 1280×720 projector without scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(720);
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "meeting-rep");

  // K asks for a reason and a date; without a reason it says so; Esc cancels and nothing is recorded.
  await page.keyboard.press("k");
  const prompt = page.getByTestId("decision-prompt");
  await expect(prompt).toContainText("with a waiver");
  await expect(prompt.getByLabel(/Until/)).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  await page.keyboard.press("Enter");
  await expect(prompt.getByRole("alert")).toContainText("Give a reason");
  await page.keyboard.press("Escape");
  await expect(prompt).toBeHidden();
  await expect(target).toBeFocused();
  await expect(target).toHaveAttribute("data-decided", "false");
  await expect(page).toHaveURL(/\/meeting/);

  // B opens the inline prompt; the reason goes straight in; Enter confirms.
  await page.keyboard.press("b");
  await expect(prompt).toContainText(`back from`);
  await expect(prompt.getByLabel(/Reason/)).toBeFocused();
  await page.keyboard.type("No buyer progress since the demo: back until they re-engage");
  await page.keyboard.press("Enter");

  // The row stays on screen with its result; focus comes back to it.
  await expect(prompt).toBeHidden({ timeout: 30_000 });
  await expect(target.getByTestId("deal-outcome")).toContainText(`Moved back to ${previousStage}`);
  await expect(target.locator("td").nth(3)).toHaveText(previousStage);
  await expect(target).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: `${dealName}: Moved back` })).toBeAttached();
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
  await saveScreenshot(page, "meeting-rep-decided");

  // End: the last screen lists the decisions taken in this meeting.
  await page.keyboard.press("End");
  await expect(title(page)).toHaveText(/^Decisions taken/);
  const [current, total] = await position(page);
  expect(current).toBe(total);
  // Decisions are listed in the order taken (other specs' may come first): ours is on the last screen.
  const decision = page.getByTestId("decision-row").filter({ hasText: dealName });
  await expect(decision).toContainText(`Moved back to ${previousStage}`);
  await expect(decision).toContainText("No buyer progress since the demo");
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "meeting-decisions");

  // Esc leaves the meeting for the team overview.
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/\/$/);
});

test("← and PageUp go back, the next/previous buttons work too, and a reload keeps the screen", async ({ page }) => {
  await page.goto("/meeting");
  await expect(page.locator("[data-meeting-ready='true']")).toBeVisible();
  await page.keyboard.press("PageDown");
  await expect.poll(async () => (await position(page))[0]).toBe(2);
  await expect(title(page)).toBeFocused();
  // The first rep: at most 10 deals a screen, more continue on the next ("Name (1/3)"), never scrolling.
  const rows = await page.getByTestId("meeting-deal-row").count();
  expect(rows).toBeLessThanOrEqual(10);
  if (rows === 12) await expect(title(page)).toHaveText(/\(1\/\d+\)/);
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
  await page.getByRole("button", { name: "Next →" }).click();
  await expect.poll(async () => (await position(page))[0]).toBe(3);
  await page.reload();
  await expect(page.locator("[data-meeting-ready='true']")).toBeVisible();
  await expect.poll(async () => (await position(page))[0]).toBe(3);
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("PageUp");
  await expect.poll(async () => (await position(page))[0]).toBe(1);
  await expect(page.getByRole("button", { name: "← Previous" })).toBeDisabled();
});

test.describe("as an admin", () => {
  test.use({ storageState: SIGNED_IN.admin.storageState });

  test("an admin chooses the team first, and the meeting is that team's alone", async ({ page }) => {
    await page.goto("/meeting");
    await expect(page.getByRole("heading", { level: 1, name: "Whose meeting? Choose a team" })).toBeVisible();
    const choices = page.getByTestId("meeting-team-choice");
    expect(await choices.count()).toBeGreaterThan(1);
    const central = choices.filter({ hasText: /^Central/ });
    await expect(central).toContainText(/\d+ reps · [\d,]+ open deals/);
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, "meeting-team-chooser");

    // Keyboard: Tab to Central's choice, Enter opens its meeting.
    await central.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/meeting\?team=/);
    await expect(page.locator("[data-meeting-ready='true']")).toBeVisible();
    await expect(page.getByTestId("meeting-scope")).toContainText("Central team");
    // Only Central's reps have screens.
    const [, screens] = await position(page);
    const names: string[] = [];
    for (let step = 1; step < screens; step++) {
      await page.keyboard.press("ArrowRight");
      await expect.poll(async () => (await position(page))[0]).toBe(step + 1);
      names.push((await title(page).textContent()) ?? "");
    }
    const repScreens = names.filter((name) => !name.startsWith("Decisions taken"));
    expect(repScreens.length).toBeGreaterThan(0);
    for (const name of repScreens) {
      expect(
        centralReps.some((rep) => name.startsWith(`${rep.first} ${rep.last}`)),
        name,
      ).toBe(true);
    }
    // Esc leaves for the team chooser, to choose the next team.
    await page.keyboard.press("Escape");
    await expect(page.getByRole("heading", { level: 1, name: "Whose meeting? Choose a team" })).toBeVisible();
  });

  test("an unknown team in the address says so and offers the teams", async ({ page }) => {
    await page.goto("/meeting?team=no-such-team");
    await expect(page.getByRole("alert").filter({ hasText: "That team no longer exists" })).toBeVisible();
    expect(await page.getByTestId("meeting-team-choice").count()).toBeGreaterThan(1);
  });
});

test("at 1280×720 a long deal name wraps whole, and every flag of a deal is in its panel", async ({ page }) => {
  await page.goto("/meeting");
  await expect(page.locator("[data-meeting-ready='true']")).toBeVisible();
  // The first rep screen with a flagged deal.
  const [, screens] = await position(page);
  const flagged = page.locator("[data-testid='meeting-deal-row'][data-flagged='true']");
  let found = false;
  for (let step = 1; step < screens - 1 && !found; step++) {
    await page.keyboard.press("ArrowRight");
    await expect.poll(async () => (await position(page))[0]).toBe(step + 1);
    await expect(page.getByTestId("meeting-deals-loading")).toBeHidden();
    found = (await flagged.count()) > 0;
  }
  expect(found, "a rep screen with a flagged deal").toBe(true);

  // The demo's names are short, as CRM names often are not: give the first row a long one, as a CRM export would.
  const longName =
    "Northwind Traders International — Multi-region warehouse automation and fleet telematics renewal (phase 2)";
  const nameCell = page.getByTestId("meeting-deal-name").first();
  await nameCell.locator("span").evaluate((span, name) => {
    span.textContent = name;
  }, longName);
  await expect(nameCell).toHaveText(longName);
  const clipped = await nameCell.locator("span").evaluate((span) => ({
    clipped: span.scrollHeight > span.clientHeight + 1 || span.scrollWidth > span.clientWidth + 1,
    ellipsis: getComputedStyle(span).textOverflow === "ellipsis",
    lines: Math.round(span.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(span).lineHeight)),
  }));
  expect(clipped).toMatchObject({ clipped: false, ellipsis: false });
  expect(clipped.lines).toBeGreaterThan(1);
  // Still one projector screen.
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);

  // A flagged deal: every one of its flags is in the chosen deal's panel, label and explanation.
  const row = flagged.first();
  const rowIndex = await page
    .getByTestId("meeting-deal-row")
    .evaluateAll(
      (elements, id) => elements.findIndex((element) => element.dataset.dealId === id),
      await row.getAttribute("data-deal-id"),
    );
  for (let press = 0; press <= rowIndex; press++) await page.keyboard.press("ArrowDown");
  // "+2" next to the main flag: two more, each in the panel with its label.
  const more = row.getByTestId("other-flags");
  const moreCount = (await more.count()) ? Number(/\+(\d+)/.exec((await more.textContent()) ?? "")?.[1]) : 0;
  const panelLabels = await page.getByTestId("deal-panel-flags").locator("strong").allTextContents();
  expect(panelLabels.filter((label) => label.endsWith(":"))).toHaveLength(1 + moreCount);
  // The main flag's explanation, one line in the row, is whole in the panel.
  const explanation = ((await row.getByTestId("flag-explanation").textContent()) ?? "").trim();
  expect(explanation.length).toBeGreaterThan(0);
  await expect(page.getByTestId("deal-panel-flags")).toContainText(explanation);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "meeting-rep-long-name-1280x720");
});
