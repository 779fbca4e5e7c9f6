// Who sees what, in a real browser: signed-out visitors are sent to sign-in;
// a rep sees only their own deals and is refused another rep's pipeline and
// deal pages; a manager sees only their own team on the overview and in
// meeting mode. Reads only: other specs' data stays as they expect.
import { type Browser, expect, type Page, test } from "@playwright/test";
import { STORY_TEAMS } from "../../prisma/seed/vocabulary";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./helpers";
import { SIGNED_IN } from "./people";

const [central, east] = STORY_TEAMS;
const names = (team: (typeof STORY_TEAMS)[number] | undefined) =>
  (team?.reps ?? []).map((rep) => `${rep.first} ${rep.last}`);
const CENTRAL_REPS = names(central);
const EAST_REPS = names(east);
/** DEMO_STORIES.stuffedPipelineRep: a Central rep other than the signed-in one. */
const OTHER_REP = CENTRAL_REPS[0] ?? "";

/** Ids a Central manager can see: a rep's id from the overview, and one of that rep's deals. */
async function idsSeenByTheManager(browser: Browser, repName: string) {
  const context = await browser.newContext({ storageState: SIGNED_IN.centralManager.storageState });
  const page = await context.newPage();
  await page.goto("/");
  const href = await page.getByRole("link", { name: repName, exact: true }).first().getAttribute("href");
  const repId = decodeURIComponent(href?.split("/reps/")[1] ?? "");
  await page.goto(`/reps/${encodeURIComponent(repId)}?early=open`);
  const dealId = await page.getByTestId("deal-row").first().getAttribute("data-deal-id");
  await context.close();
  expect(repId).not.toBe("");
  expect(dealId).toBeTruthy();
  return { repId, dealId: dealId as string };
}

/**
 * The page says "not found" and shows nothing of it (not even whether it
 * exists). The status is 200: the page streams behind its loading state
 * before it knows, as Next.js does for every streamed page.
 */
async function expectNotFound(page: Page, path: string, heading: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
  await expect(page.getByRole("main")).not.toContainText(OTHER_REP);
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("every screen sends a signed-out visitor to sign-in, and back after", async ({ page }) => {
    for (const path of ["/", "/my", "/meeting", "/settings", "/audit", "/users", "/reps/any", "/deals/1"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/sign-in/);
      if (path !== "/") expect(new URL(page.url()).searchParams.get("next")).toBe(path);
    }
    await expect(page.getByRole("heading", { level: 1, name: "Sign in to Pipeline Integrity" })).toBeVisible();
    // The demo organisation is loaded, so the sign-in page offers its accounts.
    await expect(page.getByRole("region", { name: "Demo organisation" })).toContainText("Sign in as a manager");
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, "sign-in");
  });
});

test.describe("a rep", () => {
  test.use({ storageState: SIGNED_IN.centralRep.storageState });

  test("sees only their own deals, and is refused another rep's pipeline and deal", async ({ page, browser }) => {
    const me = SIGNED_IN.centralRep;
    const own = await idsSeenByTheManager(browser, me.name);
    const other = await idsSeenByTheManager(browser, OTHER_REP);

    // Their own pipeline and "My deals" hold the same deals.
    await page.goto(`/reps/${encodeURIComponent(own.repId)}?early=open`);
    await expect(page.getByRole("heading", { level: 1, name: `${me.name}'s pipeline` })).toBeVisible();
    const pipelineIds = await page
      .getByTestId("deal-row")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-deal-id")));
    expect(pipelineIds.length).toBeGreaterThan(0);
    await page.goto("/my");
    await expect(page.getByRole("heading", { level: 1, name: "My deals" })).toBeVisible();
    const myIds = await page
      .locator("[data-testid='my-flagged-deal'], [data-testid='my-other-deal']")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-deal-id")));
    expect([...myIds].sort()).toEqual([...pipelineIds].sort());
    expect(myIds).not.toContain(other.dealId);
    await saveScreenshot(page, "access-rep-my-deals");

    // The overview shows them alone.
    await page.goto("/");
    const repRows = page.getByTestId("rep-row");
    await expect(repRows).toHaveCount(1);
    await expect(repRows.first()).toContainText(me.name);

    // Another rep's pages are not found for them (not even their existence is told).
    await expectNotFound(page, `/reps/${encodeURIComponent(other.repId)}`, "Rep not found");
    await expectNotFound(page, `/deals/${other.dealId}`, "Deal not found");
    await page.goto(`/my?rep=${encodeURIComponent(other.repId)}`);
    await expect(page.getByRole("heading", { level: 1 })).not.toContainText(OTHER_REP);
  });
});

test.describe("a manager", () => {
  test.use({ storageState: SIGNED_IN.eastManager.storageState });

  test("sees only their own team on the overview and in meeting mode", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Team overview" })).toBeVisible();
    const shown = (await page.getByTestId("rep-row").allTextContents()).join("\n");
    for (const rep of EAST_REPS) expect(shown).toContain(rep);
    for (const rep of CENTRAL_REPS) expect(shown).not.toContain(rep);
    await saveScreenshot(page, "access-east-manager-overview");

    await page.goto("/meeting");
    await expect(page.locator("[data-meeting-ready='true']")).toBeVisible();
    const noReview = page.getByTestId("meeting-no-review");
    if (await noReview.isVisible()) {
      await noReview.getByRole("button", { name: "Run the review now" }).click();
      await expect(noReview).toBeHidden({ timeout: 30_000 });
    }
    await expect(page.getByTestId("meeting-scope")).toContainText(east?.name ?? "East");
    // Walk every screen: each rep screen is an East rep's.
    const hint = page.getByTestId("meeting-hint");
    const screens = Number(/Screen \d+ of (\d+)/.exec((await hint.textContent()) ?? "")?.[1]);
    expect(screens).toBeGreaterThan(2);
    const titles: string[] = [];
    for (let screen = 2; screen <= screens; screen++) {
      await page.keyboard.press("ArrowRight");
      await expect(hint).toContainText(`Screen ${screen} of`);
      titles.push((await page.getByTestId("meeting-screen-title").textContent()) ?? "");
    }
    const everything = titles.join("\n");
    for (const rep of CENTRAL_REPS) expect(everything).not.toContain(rep);
    expect(EAST_REPS.some((rep) => everything.includes(rep))).toBe(true);
  });
});
