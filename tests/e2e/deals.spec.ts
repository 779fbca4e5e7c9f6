// The deal screens in a real browser on the demo organisation: a manager runs
// a review, opens the rep with the 800% pipeline, reads why the five-year-old
// deal is flagged and returns it to prospecting; moves a stuck deal back a
// stage; returns three deals to prospecting in bulk; and previews a rep's
// "My deals". Acts only on story deals and on the deals of a rep no other
// story uses (Owen Murphy), so other specs' expectations hold.
import { expect, type Locator, type Page, test } from "@playwright/test";
import { STORY_TEAMS } from "../../prisma/seed/vocabulary";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./helpers";
import { SIGNED_IN } from "./people";

// Central's manager, signed in once by auth.setup.ts.
test.use({ storageState: SIGNED_IN.centralManager.storageState });

test.describe.configure({ mode: "serial" });

const central = STORY_TEAMS[0];
const fullName = (index: number) => {
  const person = central?.reps[index];
  if (!person) throw new Error(`No Central rep ${index} in the demo roster`);
  return `${person.first} ${person.last}`;
};
/** DEMO_STORIES.stuffedPipelineRep / fiveYearDeal owner: Central's first rep. */
const STUFFED_REP = fullName(0);
/** DEMO_STORIES.stuckInStageDeals.negotiation owner: Central's second rep. */
const STUCK_DEAL_REP = fullName(1);
/** A Central rep in no story: the bulk action touches only their deals. */
const BULK_REP = fullName(6);
/** The viewer until sign-in exists: Central's manager. */
const MANAGER = `${central?.manager.first} ${central?.manager.last}`;
const FIVE_YEAR_DEAL = "Brightwater Logistics — Fleet visibility platform";
const STUCK_DEAL = "Meridian Capital — Multi-year agreement";

/** "$1,480,000" → 1480000 */
function dollars(text: string | null): number {
  return Number((text ?? "").replace(/[^0-9.-]/g, ""));
}

async function openRep(page: Page, name: string) {
  await page.goto("/");
  await page.getByRole("link", { name, exact: true }).first().click();
  // The rep page renders whole on the server (no loading state, so a missing rep answers 404): give it time.
  await expect(page.getByRole("heading", { level: 1, name: `${name}'s pipeline` })).toBeVisible({ timeout: 30_000 });
}

function dealRow(page: Page, name: string): Locator {
  return page.getByTestId("deal-row").filter({ has: page.getByRole("link", { name, exact: true }) });
}

async function openValue(page: Page): Promise<number> {
  return dollars(await page.getByTestId("open-value").textContent());
}

test("a manager runs a review, sees the five-year-old deal flagged past its time, and returns it to prospecting", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("button", { name: /run review/i }).click();
  await expect(page.getByRole("status").filter({ hasText: /Review done/ })).toBeVisible({ timeout: 30_000 });

  await openRep(page, STUFFED_REP);
  // DEMO_STORIES.stuffedPipelineRep: open pipeline 8× the quarter's quota.
  await expect(page.getByTestId("stat-coverage")).toContainText("Pipeline is 8.0× the full");
  const before = await openValue(page);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "deals-rep-pipeline");

  // The CSV of this view: one line per deal shown, cells safe for spreadsheets.
  const csvHref = await page.getByRole("link", { name: "Download this view as CSV" }).getAttribute("href");
  const csv = await page.request.get(csvHref ?? "");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const csvLines = (await csv.text()).trim().split("\n");
  expect(csvLines[0]).toContain("Deal id,Source,External id,Deal,Account,Stage,Amount");
  expect(csvLines.join("\n")).toContain(FIVE_YEAR_DEAL);

  // The early-stage group holds the stale five-year-old deal, so it opens by itself with that deal first.
  const earlyGroup = page.getByTestId("early-group-row").getByRole("button");
  await expect(earlyGroup).toHaveAttribute("aria-expanded", "true");
  const row = dealRow(page, FIVE_YEAR_DEAL);
  await expect(row).toBeVisible();
  await expect(row).toContainText(/[\d.,]+× cycle/);

  // The flags are explained in the expandable row…
  await row.getByRole("button", { name: `Show details of ${FIVE_YEAR_DEAL}` }).click();
  const detail = page.locator(`#deal-detail-${await row.getAttribute("data-deal-id")}`);
  await expect(detail).toContainText(/Past its time \(stale\): Open \d+ days/);
  await expect(detail).toContainText("no buyer activity recorded");
  // …and by each badge on keyboard focus, as its accessible description.
  const badge = row.locator("span[tabindex='0']", { hasText: "Past its time" });
  await badge.focus();
  await expect(badge).toHaveAccessibleDescription(/^Stale: Open \d+ days — [\d.]+× the Central team's/);
  await expect(row.getByRole("tooltip").filter({ hasText: /^Stale: Open \d+ days/ })).toBeVisible();
  await saveScreenshot(page, "deals-rep-flag-explained");

  // The deal's page: facts, flags with explanations, actions, timeline.
  await row.getByRole("link", { name: FIVE_YEAR_DEAL }).click();
  await expect(page.getByRole("heading", { level: 1, name: FIVE_YEAR_DEAL })).toBeVisible();
  await expect(page.getByTestId("current-flags")).toContainText("Past its time");
  await expect(page.getByTestId("current-flags")).toContainText(/Open \d+ days — [\d.]+× the Central team's/);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "deals-deal-timeline");

  const returnForm = page.getByTestId("action-prospect");
  await returnForm.locator("summary").click();
  // Without a reason the server says what is missing, next to the field.
  await returnForm.getByRole("button", { name: "Return to prospecting" }).click();
  await expect(returnForm.getByRole("alert")).toContainText("Give a reason");
  await returnForm.getByLabel("Reason").fill("No reply from the buyer in five years — not a real opportunity");
  await returnForm.getByRole("button", { name: "Return to prospecting" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Returned to prospecting" })).toBeVisible();
  await expect(page.getByTestId("deal-status")).toContainText("Prospect — out of the pipeline");
  const change = page.getByTestId("timeline").locator("li[data-direction='to_prospect']");
  await expect(change).toContainText("Returned to prospecting from Discovery");
  await expect(change).toContainText("No reply from the buyer in five years");
  await expect(change).toContainText(MANAGER);
  await saveScreenshot(page, "deals-deal-returned-to-prospecting");

  // The audit trail has it: who, what, and the values before → after.
  const dealId = page.url().split("/deals/")[1]?.split(/[?#]/)[0] ?? "";
  await page.goto(`/audit?deal=${dealId}`);
  const entry = page.getByTestId("audit-row").filter({ hasText: "Returned to prospecting" }).first();
  await expect(entry).toContainText(MANAGER);
  // "→" is followed by "changed to" for screen readers.
  await expect(entry).toContainText(/Status\s*Open\s*→\s*(changed to\s*)?Prospecting/);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "audit-deal-returned-to-prospecting");

  // Back on the rep's pipeline: gone, and the pipeline value dropped by its amount.
  await openRep(page, STUFFED_REP);
  expect(await openValue(page)).toBe(before - 64_000);
  await page.goto(`${page.url().split("?")[0]}?early=open`);
  await expect(dealRow(page, FIVE_YEAR_DEAL)).toHaveCount(0);
});

test("moving a deal stuck in Negotiation back a stage clears its stuck-in-stage flag", async ({ page }) => {
  await openRep(page, STUCK_DEAL_REP);
  const row = dealRow(page, STUCK_DEAL);
  await expect(row).toContainText("Stuck in stage");
  await row.getByRole("link", { name: STUCK_DEAL }).click();
  await expect(page.getByTestId("current-flags")).toContainText("Stuck in stage");
  await expect(page.getByTestId("fact-stage")).toHaveText("Negotiation");

  const moveBack = page.getByTestId("action-move-back");
  await moveBack.locator("summary").click();
  await expect(moveBack).toContainText("From Negotiation back to Proposal");
  await moveBack.getByLabel("Reason").fill("Procurement reopened pricing: back to proposal");
  await moveBack.getByRole("button", { name: "Move back to Proposal" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Moved back from Negotiation to Proposal" })).toBeVisible();
  await expect(page.getByTestId("fact-stage")).toHaveText("Proposal");
  await expect(page.getByTestId("no-flags")).toBeVisible();
  const timeline = page.getByTestId("timeline");
  await expect(timeline.locator("li[data-direction='back']").first()).toContainText(
    "Moved back: Negotiation → Proposal",
  );
  await expect(timeline.locator("li[data-kind='flags']").first()).toContainText("cleared: Stuck in stage");
  await saveScreenshot(page, "deals-deal-moved-back");
});

test("returns three selected deals to prospecting in bulk, after showing what will change", async ({ page }) => {
  await openRep(page, BULK_REP);
  const before = await openValue(page);
  const rows = page.getByTestId("deal-row");
  const names: string[] = [];
  for (let index = 0; index < 3; index++) {
    const row = rows.nth(index);
    names.push((await row.getByRole("link").first().textContent()) ?? "");
    await row.getByRole("checkbox").check();
  }
  await expect(page.getByTestId("selection-count")).toContainText("3 selected");
  await page.getByRole("button", { name: "Return to prospecting…" }).click();

  const dialog = page.getByRole("dialog", { name: "Return 3 deals to prospecting" });
  await expect(dialog).toBeVisible();
  for (const name of names) await expect(dialog).toContainText(name);
  await expect(dialog).toContainText("Prospecting (out of the pipeline)");
  const leaving = dollars(
    (await dialog.getByTestId("bulk-impact").textContent())?.replace(/leaves the open pipeline.*/, "") ?? "",
  );
  expect(leaving).toBeGreaterThan(0);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "deals-bulk-dialog");

  await dialog.getByRole("button", { name: /^Return to prospecting: 3 deals/ }).click();
  await expect(dialog.getByRole("alert")).toContainText("Give a reason");
  await dialog.getByLabel(/Reason/).fill("No buyer engagement this quarter");
  await dialog.getByRole("button", { name: /^Return to prospecting: 3 deals/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "3 deals returned to prospecting" })).toBeVisible();
  for (const name of names) await expect(dealRow(page, name)).toHaveCount(0);
  await expect.poll(() => openValue(page)).toBe(before - leaving);
  await saveScreenshot(page, "deals-bulk-done");
});

test("“My deals” shows only that rep's deals, flagged first with what to do", async ({ page }) => {
  await page.goto("/");
  const href = await page.getByRole("link", { name: STUCK_DEAL_REP, exact: true }).first().getAttribute("href");
  const repId = decodeURIComponent(href?.split("/reps/")[1] ?? "");
  expect(repId).not.toBe("");

  await page.goto(`/reps/${encodeURIComponent(repId)}?early=open`);
  const pipelineIds = await page
    .getByTestId("deal-row")
    .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-deal-id")));
  expect(pipelineIds.length).toBeGreaterThan(0);

  await page.goto(`/my?rep=${encodeURIComponent(repId)}`);
  await expect(page.getByRole("heading", { level: 1, name: `${STUCK_DEAL_REP}'s deals` })).toBeVisible();
  await expect(page.getByTestId("preview-note")).toBeVisible();
  const flagged = page.getByTestId("my-flagged-deal");
  const myIds = [
    ...(await flagged.evaluateAll((cards) => cards.map((card) => card.getAttribute("data-deal-id")))),
    ...(await page
      .getByTestId("my-other-deal")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-deal-id")))),
  ];
  expect([...myIds].sort()).toEqual([...pipelineIds].sort());
  await expect(page.getByText(FIVE_YEAR_DEAL)).toHaveCount(0);
  // The demo gives this story rep flagged deals (beyond the stuck one): every card says what to do.
  expect(await flagged.count()).toBeGreaterThan(0);
  await expect(flagged.filter({ hasNotText: "What to do" })).toHaveCount(0);
  await expect(page.getByTestId("new-pipeline-streak")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "deals-my-deals");

  // The manager's own page (they own no deals) offers the preview.
  await page.goto("/my");
  await expect(page.getByRole("heading", { level: 1, name: "My deals" })).toBeVisible();
  await expect(page.getByLabel("Preview a rep's page")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "deals-my-deals-manager");

  // Nobody outside the manager's scope (or nobody at all) can be previewed.
  await page.goto("/my?rep=no-such-person");
  await expect(page.getByRole("heading", { name: "No such rep to preview" })).toBeVisible();
});
