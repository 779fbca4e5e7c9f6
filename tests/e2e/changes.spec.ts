// "What changed" in a real browser on the demo organisation: the admin pushes
// one deal's close date out on its page, then the overview's "Since last week"
// shows the waterfall and one more "pushed out" deal, the link lists exactly
// as many deals as it says (this one among them), and the rep's page and the
// rep's meeting screen show the push.
//
// Data: acts, as the admin, on a deal of Jade Thompson (West), a rep in no
// demo story whose deals no other spec acts on or counts. A push changes
// neither the open pipeline's value nor its count.
import { expect, type Page, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, openTeamMeeting, saveScreenshot } from "./helpers";
import { SIGNED_IN } from "./people";

test.use({ storageState: SIGNED_IN.admin.storageState });
test.describe.configure({ mode: "serial" });

const REP_NAME = "Jade Thompson";

async function pushedOutCount(page: Page): Promise<number> {
  const link = page.getByTestId("movement-pushed_out").getByRole("link");
  return Number(((await link.textContent()) ?? "").replace(/\D/g, ""));
}

async function repPageHref(page: Page): Promise<string> {
  await page.goto("/");
  const link = page.getByTestId("rep-row").getByRole("link", { name: REP_NAME, exact: true }).first();
  return (await link.getAttribute("href")) ?? "";
}

let dealName = "";
let pushedBefore = 0;

test("the overview shows the waterfall from last week's open pipeline to this week's", async ({ page }) => {
  await page.goto("/");
  const section = page.getByTestId("since-last-week");
  await expect(section).toBeVisible();
  await expect(section.getByRole("heading", { name: /^Since last week: / })).toBeVisible();
  await expect(section.getByTestId("what-changed-chart").locator("svg.recharts-surface")).toBeVisible();
  await expect(section.locator("#what-changed-summary")).toHaveText(/^Open pipeline \$[\d,]+ → \$[\d,]+ \(/);
  // The table equivalent: from "Open <date>" through every movement to "Open <date>".
  await section.getByText("Show the numbers").click();
  const rows = section.locator("table tbody tr");
  await expect(rows).toHaveCount(8);
  await expect(rows.first()).toContainText(/^Open /);
  await expect(rows.last()).toContainText(/^Open /);
  pushedBefore = await pushedOutCount(page);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "changes-overview-waterfall");
});

test("a close date pushed out on a deal's page shows up as pushed out, and the link lists exactly those deals", async ({
  page,
}) => {
  await page.goto(await repPageHref(page));
  const firstDeal = page.getByTestId("deal-row").first().getByRole("link").first();
  dealName = ((await firstDeal.textContent()) ?? "").trim();
  await firstDeal.click();
  await expect(page.getByRole("heading", { level: 1, name: dealName })).toBeVisible();

  const update = page.getByTestId("action-update");
  await update.locator("summary").click();
  const later = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
  await update.getByLabel("Expected close date").fill(later);
  await update.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "counts as a push" })).toBeVisible();

  await page.goto("/");
  const pushed = await pushedOutCount(page);
  expect(pushed).toBe(pushedBefore + 1);
  await page.getByTestId("movement-pushed_out").getByRole("link").click();
  await expect(page).toHaveURL(/\/changes\?movement=pushed_out&to=.+/);
  await expect(page.getByRole("heading", { level: 1, name: "Close date pushed out" })).toBeVisible();
  const listed = page.getByTestId("changed-deals").locator("tbody tr");
  await expect(listed).toHaveCount(pushed);
  await expect(page.getByTestId("changes-total")).toContainText(`${pushed} ${pushed === 1 ? "deal" : "deals"}`);
  await expect(listed.filter({ hasText: dealName })).toHaveCount(1);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "changes-pushed-out-deals");
});

test("the rep's page shows the push in its 'Since last week' strip, linked to the deal", async ({ page }) => {
  await page.goto(await repPageHref(page));
  const strip = page.getByTestId("rep-changes-strip");
  await expect(strip).toContainText("Since last week");
  const pushedLink = strip.getByRole("link", { name: /\d+ pushed/ });
  await expect(pushedLink).toBeVisible();
  await pushedLink.click();
  await expect(page).toHaveURL(/movement=pushed_out.*&rep=/);
  await expect(page.getByTestId("changed-deals").locator("tbody tr").filter({ hasText: dealName })).toHaveCount(1);
  // Every listed deal is the rep's own.
  const owners = await page.getByTestId("changed-deals").locator("tbody tr td:nth-child(3)").allTextContents();
  expect(new Set(owners)).toEqual(new Set([REP_NAME]));
});

test("meeting mode opens with what changed, and the rep's screen has their line", async ({ page }) => {
  // Jade Thompson is on West.
  await openTeamMeeting(page, "West");
  // Alone on a fresh database there is no review yet, and the meeting cannot move on without one.
  const noReview = page.getByTestId("meeting-no-review");
  if (await noReview.isVisible()) {
    await noReview.getByRole("button", { name: "Run the review now" }).click();
    await expect(noReview).toBeHidden({ timeout: 60_000 });
  }
  const block = page.getByTestId("meeting-changes");
  await expect(block).toBeVisible();
  await expect(block.getByRole("heading")).toHaveText(/^Since (last week|the last meeting) \(/);
  await expect(block).toContainText(/Open pipeline \$[\d,]+ → \$[\d,]+/);
  await expect(block.getByRole("link", { name: /\d+ pushed/ })).toBeVisible();
  await saveScreenshot(page, "changes-meeting-summary");

  const title = page.getByTestId("meeting-screen-title");
  for (let step = 0; step < 60; step++) {
    if (((await title.textContent()) ?? "").startsWith(REP_NAME)) break;
    await page.keyboard.press("ArrowRight");
  }
  await expect(title).toHaveText(new RegExp(`^${REP_NAME}`));
  const line = page.getByTestId("meeting-rep-changes");
  await expect(line).toContainText(/Since (last week|the last meeting):/);
  await expect(line.getByRole("link", { name: /\d+ pushed/ })).toBeVisible();
  // The line sits beside the early-stage one: the screen still fits the projector.
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
  await saveScreenshot(page, "changes-meeting-rep");
});
