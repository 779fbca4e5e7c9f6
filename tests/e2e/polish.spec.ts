// The stage board, the flagged-deals page and the shell in a real browser on
// the demo organisation: the app's icon and manifest; the current screen
// marked in the navigation and the admin's header fitting 1440 px; not-found
// pages answering 404 with the navigation; an admin filtering the flagged
// deals and returning two to prospecting in bulk; the rep page opening its
// early-stage group on stale deals with one badge a row; moving a deal back a
// stage on the board with the keyboard alone; meeting mode at 1280×720 with
// no name or explanation cut off. Screenshots at 1440×900, 1280×720 and
// 390×844; axe scans every new screen.
//
// Data: acts only on West's deals (no other spec acts there), as the admin.
import { expect as baseExpect, type Page, test } from "@playwright/test";
import { STORY_TEAMS } from "../../prisma/seed/vocabulary";
import { expectNoSeriousA11yViolations, openTeamMeeting, saveScreenshot } from "./helpers";
import { SIGNED_IN } from "./people";

test.use({ storageState: SIGNED_IN.admin.storageState });
// Pages render on the server before they show (no loading.tsx, so not-found can answer 404): allow for a slow machine.
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ mode: "serial" });

const WEST_REPS = (STORY_TEAMS[2]?.reps ?? []).map((rep) => `${rep.first} ${rep.last}`);
const SIZES = [
  { name: "1440", width: 1440, height: 900 },
  { name: "1280", width: 1280, height: 720 },
  { name: "390", width: 390, height: 844 },
] as const;

async function screenshotsAtEverySize(page: Page, name: string) {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await saveScreenshot(page, `${name}-${size.name}`);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

/** Flags for every team: the admin runs the organisation's review (other specs may have run one team's only). */
async function runOrganisationReview(page: Page) {
  await page.goto("/");
  await page.getByRole("button", { name: /run review/i }).click();
  await expect(page.getByRole("status").filter({ hasText: /Review done/ })).toBeVisible({ timeout: 120_000 });
}

test("the app's icon, apple-touch icon and web manifest are served and linked", async ({ page, request }) => {
  const icon = await request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect((await icon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.status()).toBe(200);
  expect((await manifest.json()).name).toBe("Pipeline Integrity");
  expect((await request.get("/apple-touch-icon.png")).status()).toBe(200);

  await page.goto("/");
  await expect(page.locator("link[rel='manifest']")).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator("link[rel='apple-touch-icon']")).toHaveAttribute("href", "/apple-touch-icon.png");
});

test("the navigation marks the current screen and an admin's header fits 1440 px", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await runOrganisationReview(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Team overview" })).toHaveAttribute("aria-current", "page");
  await nav.getByRole("link", { name: "Flagged deals" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Flagged deals" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Flagged deals" })).toHaveAttribute("aria-current", "page");
  await expect(nav.locator("[aria-current='page']")).toHaveCount(1);
  // Every link of the admin's navigation visible without scrolling, nothing wider than the window.
  for (const label of [
    "Team overview",
    "My deals",
    "Flagged deals",
    "Stage board",
    "Meeting mode",
    "Settings",
    "Audit trail",
    "People",
    "Import",
  ]) {
    await expect(nav.getByRole("link", { name: label })).toBeInViewport();
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
  const header = await page.getByRole("banner").boundingBox();
  expect(header?.height ?? 999).toBeLessThan(110);
  await saveScreenshot(page, "polish-header-admin-1440");
});

test("not-found pages answer 404 and keep the navigation", async ({ page }) => {
  for (const path of ["/reps/no-such-rep", "/deals/999999999", "/no-such-page"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expect(page.getByTestId("not-found")).toBeVisible();
  }
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "polish-not-found");
});

test("an admin filters the flagged deals in the URL and returns two to prospecting in bulk", async ({ page }) => {
  await page.goto("/deals");
  await expect(page.getByTestId("flagged-count")).toContainText(/\d+ flagged deals in every team/);
  await expect(page.getByRole("link", { name: "Download every flagged deal as CSV" })).toHaveAttribute(
    "href",
    "/export/flagged-deals",
  );
  await expectNoSeriousA11yViolations(page);
  await screenshotsAtEverySize(page, "flagged-deals");

  // A West rep with at least two flagged deals.
  let rep: string | null = null;
  for (const name of WEST_REPS) {
    await page.goto("/deals");
    await page.getByLabel("Rep", { exact: true }).selectOption({ label: name });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]rep=/);
    if ((await page.getByTestId("flagged-deal-row").count()) >= 2) {
      rep = name;
      break;
    }
  }
  expect(rep, "a West rep with two flagged deals").not.toBeNull();
  const rows = page.getByTestId("flagged-deal-row");
  await expect(rows.first()).toContainText(rep ?? "");
  const url = page.url();
  const before = await rows.count();

  // Filters stay in the URL: a longer "flagged for" narrows, and the URL reopens the same view.
  await page.getByLabel("Flagged for more than").fill("520");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/weeks=520/);
  await expect(page.getByText("No flagged deals match these filters.")).toBeVisible();
  await page.goto(url);
  await expect(rows).toHaveCount(before);

  const names = [
    (await rows.nth(0).getByRole("rowheader").getByRole("link").textContent()) ?? "",
    (await rows.nth(1).getByRole("rowheader").getByRole("link").textContent()) ?? "",
  ];
  for (const name of names) await page.getByRole("checkbox", { name: `Select ${name}` }).check();
  await expect(page.getByTestId("selection-count")).toContainText("2 selected");
  await page.getByRole("button", { name: "Return to prospecting…" }).click();
  const dialog = page.getByTestId("bulk-dialog");
  await expect(dialog.getByRole("heading", { name: "Return 2 deals to prospecting" })).toBeVisible();
  await dialog.getByLabel(/Reason/).fill("No buyer in sight — back to prospecting (flagged-deals page)");
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "flagged-deals-bulk-dialog");
  await dialog.getByRole("button", { name: "Return to prospecting: 2 deals" }).click();
  await expect(page.getByRole("status").filter({ hasText: "2 deals returned to prospecting" })).toBeVisible();
  await expect(rows).toHaveCount(before - 2);
  for (const name of names) await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});

test("the rep page opens the early-stage group on stale deals, stale first, one badge a row", async ({ page }) => {
  // A rep with a stale deal in the first (early) stage, found through the flagged-deals page.
  await page.goto("/deals?severity=stale");
  const stage = page.getByLabel("Stage", { exact: true });
  const firstStage = (await stage.locator("option").nth(1).textContent()) ?? "";
  await stage.selectOption({ label: firstStage });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/stage=/);
  const repLink = page.getByTestId("flagged-deal-row").first().getByRole("cell").nth(1).getByRole("link");
  const repName = (await repLink.textContent()) ?? "";
  await repLink.click();
  await expect(page.getByRole("heading", { level: 1, name: `${repName}'s pipeline` })).toBeVisible();

  const group = page.getByTestId("early-group-row").getByRole("button");
  await expect(group).toHaveAttribute("aria-expanded", "true");
  await expect(group).toContainText(/\d+ stale/);
  // The first row after the group row is a stale early-stage deal.
  const firstEarly = page.locator("[data-testid='early-group-row'] + tr[data-testid='deal-row']");
  await expect(firstEarly.locator("span[tabindex='0']").first()).toHaveAccessibleDescription(/^Stale: /);
  // One flag badge a row at most; the rest behind "+N more", which opens the row's details.
  for (const row of await page.getByTestId("deal-row").all()) {
    expect(await row.locator("span[tabindex='0']").count()).toBeLessThanOrEqual(1);
  }
  const more = page.getByTestId("more-flags").first();
  if (await more.isVisible()) {
    await expect(more).toHaveText(/^\+\d+ more/);
    await more.click();
    await expect(page.locator(`#${await more.getAttribute("aria-controls")}`)).toContainText("Why it is flagged");
  }
  await expectNoSeriousA11yViolations(page);
  await screenshotsAtEverySize(page, "rep-page-early-stale-first");
});

test("on the stage board a deal moves back a stage with the keyboard and changes column", async ({ page }) => {
  // A West rep with a deal past the first stage.
  await page.goto("/");
  let found = false;
  for (const name of WEST_REPS) {
    await page.goto("/");
    await page.getByRole("link", { name, exact: true }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: `${name}'s pipeline` })).toBeVisible();
    await page
      .getByRole("navigation", { name: "Show the deals as" })
      .getByRole("link", { name: "Stage board" })
      .click();
    await expect(page).toHaveURL(/view=board/);
    if ((await page.getByRole("button", { name: /^← Move back to / }).count()) > 0) {
      found = true;
      break;
    }
  }
  expect(found, "a West rep with a deal that can move back").toBe(true);
  await expect(
    page.getByRole("navigation", { name: "Show the deals as" }).getByRole("link", { name: "Stage board" }),
  ).toHaveAttribute("aria-current", "page");
  await expectNoSeriousA11yViolations(page);
  await screenshotsAtEverySize(page, "stage-board");

  const card = page.locator("[data-testid='board-card'][aria-keyshortcuts='ArrowLeft']").first();
  const dealId = await card.getAttribute("data-deal-id");
  const from = (await card.locator("xpath=ancestor::section[1]").getAttribute("data-stage")) ?? "";
  const to = ((await card.getByRole("button").textContent()) ?? "").replace(/^← Move back to /, "").split(" (")[0];
  // Its age against the cycle is on the card.
  await expect(card).toContainText(/[\d.,]+× cycle/);

  await card.focus();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByRole("status")).toContainText(`moved back from ${from} to ${to}`);
  const moved = page.locator(`[data-testid='board-card'][data-deal-id='${dealId}']`);
  await expect(moved.locator("xpath=ancestor::section[1]")).toHaveAttribute("data-stage", to ?? "");
  await saveScreenshot(page, "stage-board-after-move-back");

  // The team's board: West's deals, each card naming its rep.
  await page.goto("/board");
  await page.getByLabel("Team", { exact: true }).selectOption({ label: "West" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Stage board · West team");
  await expect(page.getByTestId("board-card").first()).toBeVisible();
  expect(await page.getByTestId("board-column").count()).toBeGreaterThan(2);
  await expect(page.getByTestId("stage-board")).toContainText(WEST_REPS[0] ?? "");
  await expectNoSeriousA11yViolations(page);
  await screenshotsAtEverySize(page, "team-stage-board");

  // The same audited action as everywhere: the deal's history has the move.
  await page.goto(`/deals/${dealId}`);
  await expect(page.getByTestId("timeline").locator("li[data-direction='back']").first()).toContainText(`${from}`);
});

test("meeting mode at 1280×720 cuts off no deal name and never repeats the account", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openTeamMeeting(page, "West");
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("meeting-deal-row").first()).toBeVisible();
  let checked = 0;
  for (let screen = 0; screen < 4; screen++) {
    const cut = await page.evaluate(() =>
      // The deal names: the second cell of each row (explanations stay on one line; the panel has them in full).
      [...document.querySelectorAll("[data-testid='meeting-deal-row'] td:nth-child(2) span")]
        .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.textContent),
    );
    expect(cut, "cells cut off").toEqual([]);
    for (const row of await page.getByTestId("meeting-deal-row").all()) {
      const [name, account] = await Promise.all([
        row.locator("td").nth(1).textContent(),
        row.locator("td").nth(2).textContent(),
      ]);
      expect(name).not.toContain("…");
      if (account && account !== "—") expect(name?.toLowerCase().startsWith(account.toLowerCase())).toBe(false);
      checked++;
    }
    expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
    if (screen === 0) {
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, "meeting-rep-1280");
    }
    await page.keyboard.press("ArrowRight");
  }
  expect(checked).toBeGreaterThan(5);
});
