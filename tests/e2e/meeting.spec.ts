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

/** Neither the page nor the meeting's main area (which would scroll a screen too tall for the viewport) scrolls. */
async function fitsWithoutScrolling(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const main = document.querySelector("main");
    return (
      document.documentElement.scrollHeight <= window.innerHeight &&
      (main === null || main.scrollHeight <= main.clientHeight + 1)
    );
  });
}

/** Deal rows (by id) not wholly inside the deal list's box: a row cut at the bottom would be one. */
async function rowsOutsideTheList(page: Page): Promise<string[]> {
  return page.getByTestId("meeting-deal-list").evaluate((list) => {
    const box = list.getBoundingClientRect();
    return [...list.querySelectorAll<HTMLElement>("[data-testid='meeting-deal-row']")]
      .filter((row) => {
        const rowBox = row.getBoundingClientRect();
        return rowBox.top < box.top - 0.5 || rowBox.bottom > box.bottom + 0.5;
      })
      .map((row) => row.dataset.dealId ?? "?");
  });
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
  expect(await fitsWithoutScrolling(page)).toBe(true);
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
  expect(await fitsWithoutScrolling(page)).toBe(true);
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
  await expect(target.locator("td").nth(2)).toHaveText(previousStage);
  await expect(target).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: `${dealName}: Moved back` })).toBeAttached();
  expect(await fitsWithoutScrolling(page)).toBe(true);
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
  expect(await fitsWithoutScrolling(page)).toBe(true);
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
  // The first rep: as many deals as fit the screen, every one whole inside the list; more continue on the next screen.
  await expect(page.locator("[data-testid='meeting-rep-screen'][data-fitted='true']")).toBeVisible();
  expect(await rowsOutsideTheList(page)).toEqual([]);
  expect(await fitsWithoutScrolling(page)).toBe(true);
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

test("at 1280×720 a long name and a long explanation wrap whole, rows that no longer fit continue, every flag is reachable", async ({
  page,
}) => {
  await page.goto("/meeting");
  await expect(page.locator("[data-meeting-ready='true']")).toBeVisible();
  expect(page.viewportSize()).toEqual({ width: 1280, height: 720 });
  // A rep screen whose first deal is flagged, the first of a rep's several screens if there is one (a full screen).
  const [, screens] = await position(page);
  const rows = page.getByTestId("meeting-deal-row");
  const candidates: { screen: number; full: boolean }[] = [];
  for (let step = 1; step < screens - 1; step++) {
    await page.keyboard.press("ArrowRight");
    await expect.poll(async () => (await position(page))[0]).toBe(step + 1);
    await expect(page.getByTestId("meeting-deals-loading")).toBeHidden();
    if ((await rows.count()) >= 3 && (await rows.nth(0).getAttribute("data-flagged")) === "true") {
      candidates.push({ screen: step + 1, full: /\(1\/\d+\)/.test((await title(page).textContent()) ?? "") });
    }
  }
  const chosen = candidates.find((candidate) => candidate.full) ?? candidates[0];
  expect(chosen, "a rep screen whose first deal is flagged").toBeDefined();
  await page.keyboard.press("Home");
  for (let step = 1; step < (chosen?.screen ?? 1); step++) await page.keyboard.press("ArrowRight");
  await expect.poll(async () => (await position(page))[0]).toBe(chosen?.screen);
  await expect(page.locator("[data-testid='meeting-rep-screen'][data-fitted='true']")).toBeVisible();
  const [screenBefore, totalBefore] = await position(page);
  const idsBefore = await rows.evaluateAll((elements) => elements.map((element) => element.dataset.dealId));
  const shownBefore = idsBefore.length;

  // The demo's names and explanations are short, as a CRM's often are not: give the first row a long
  // name and a long explanation, as an export and a slipping close date would. The screen measures
  // its rows again when one changes size.
  const longName =
    "Northwind Traders International — Multi-region warehouse automation and fleet telematics renewal (phase 2)";
  const longExplanation =
    "Expected close date passed 94 days ago (Sep 3) after being pushed 4 times in this stage — the limit is 2; " +
    "no buyer activity in 61 days, the last a call with procurement on Oct 6; next step overdue since Oct 20.";
  const first = rows.nth(0);
  const dealId = (await first.getAttribute("data-deal-id")) ?? "";
  await first.getByTestId("meeting-deal-name").evaluate((span, name) => {
    span.textContent = name;
  }, longName);
  await first.getByTestId("flag-explanation").evaluate((span, text) => {
    span.textContent = text;
  }, longExplanation);

  // Nothing cut short: no ellipsis anywhere in the rows, the name and the explanation whole on several lines.
  const target = page.locator(`[data-testid='meeting-deal-row'][data-deal-id='${dealId}']`);
  await expect(target.getByTestId("meeting-deal-name")).toHaveText(longName);
  await expect(target.getByTestId("flag-explanation")).toHaveText(longExplanation);
  const cut = await page.getByTestId("meeting-deal-list").evaluate((list) =>
    [...list.querySelectorAll<HTMLElement>("[data-testid='meeting-deal-row'] *")]
      .filter((element) => {
        const style = getComputedStyle(element);
        return (
          style.textOverflow === "ellipsis" ||
          style.webkitLineClamp !== "none" ||
          (element.children.length === 0 && element.textContent?.includes("…"))
        );
      })
      .map((element) => element.outerHTML.slice(0, 120)),
  );
  expect(cut).toEqual([]);
  // The name is a block (lines from its height), the explanation runs inline after the flag (its line boxes).
  const nameLines = await target.getByTestId("meeting-deal-name").evaluate((element) => ({
    clipped: element.scrollHeight > element.clientHeight + 1 || element.scrollWidth > element.clientWidth + 1,
    lines: Math.round(element.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(element).lineHeight)),
  }));
  expect(nameLines.clipped).toBe(false);
  expect(nameLines.lines).toBeGreaterThan(1);
  const explanationLines = await target
    .getByTestId("flag-explanation")
    .evaluate((element) => new Set([...element.getClientRects()].map((rect) => Math.round(rect.top))).size);
  expect(explanationLines).toBeGreaterThan(1);
  expect(explanationLines).toBeLessThanOrEqual(4);

  // Still one projector screen: every row shown is whole inside the list, nothing past 720 px.
  await expect.poll(() => rowsOutsideTheList(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(720);
  expect(await fitsWithoutScrolling(page)).toBe(true);

  // The taller row pushed the last rows on: they continue on the next screen, none lost.
  const shownAfter = await rows.count();
  expect(shownAfter).toBeLessThanOrEqual(shownBefore);
  const [, totalAfter] = await position(page);
  expect(totalAfter).toBeGreaterThanOrEqual(totalBefore);

  // Every flag of the deal one key away: ↓ chooses it, and the panel names each flag with its explanation, unclipped.
  await page.keyboard.press("ArrowDown");
  await expect(target).toHaveAttribute("aria-current", "true");
  const more = target.getByTestId("other-flags");
  const otherLabels = (await more.count())
    ? ((await more.textContent()) ?? "")
        .replace(/^\s*\+\d+:\s*/, "")
        .split(",")
        .map((label) => label.trim())
    : [];
  const panelFlags = page.getByTestId("deal-panel-flags");
  const panelLabels = (await panelFlags.locator("strong").allTextContents()).filter((label) => label.endsWith(":"));
  expect(panelLabels).toHaveLength(1 + otherLabels.length);
  for (const label of otherLabels) expect(panelLabels).toContain(`${label}:`);
  // Each flag's explanation is in the panel; a deal with many long ones scrolls there, focusable for the keyboard.
  const panel = await panelFlags.evaluate((element) => ({
    overflows: element.scrollHeight > element.clientHeight + 1,
    focusable: element.tabIndex === 0,
    clippedByEllipsis: getComputedStyle(element).textOverflow === "ellipsis",
  }));
  expect(panel.clippedByEllipsis).toBe(false);
  if (panel.overflows) expect(panel.focusable, "an overflowing panel is keyboard-scrollable").toBe(true);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "meeting-rep-long-name-1280x720");

  // The rows pushed off this screen open the next one ("Continued"), in order: none lost at the seam.
  const idsAfter = await rows.evaluateAll((elements) => elements.map((element) => element.dataset.dealId));
  const pushed = idsBefore.slice(idsAfter.length);
  expect(idsAfter).toEqual(idsBefore.slice(0, idsAfter.length));
  if (pushed.length > 0) {
    await page.keyboard.press("ArrowRight");
    await expect.poll(async () => (await position(page))[0]).toBe(screenBefore + 1);
    await expect(page.getByText(/^Continued: deals/)).toBeVisible();
    const next = await rows.evaluateAll((elements) => elements.map((element) => element.dataset.dealId));
    expect(next.slice(0, pushed.length)).toEqual(pushed);
  }
});
