// A real organisation's first day (issue 10), against the first-day server
// (scripts/e2e-first-day-server.mjs): an empty database, `npm run
// admin:create`, a Salesforce opportunity report with Salesforce's standard
// stage names imported with `--preset salesforce` and no mapping, then `npm
// run demo`, which must not load the demo into it. The new admin signs in and
// sees the imported deals; the sign-in page offers no demo accounts.
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD } from "../../lib/auth/demo";
import { FIRST_DAY } from "./first-day-setup.mjs";
import { saveScreenshot } from "./helpers";

test("the new admin signs in to their own data: the imported Salesforce deals, no demo", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByLabel("Email")).toBeVisible();
  // No demo accounts and no shared demo password on a database that holds a real organisation.
  await expect(page.getByRole("heading", { name: "Demo organisation" })).toHaveCount(0);
  await expect(page.getByText(DEMO_PASSWORD)).toHaveCount(0);
  await saveScreenshot(page, "first-day-sign-in");

  await page.getByLabel("Email").fill(FIRST_DAY.admin.email);
  await page.getByLabel("Password").fill(FIRST_DAY.admin.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/sign-in/, { timeout: 30_000 });
  await expect(page.getByRole("banner")).toContainText(FIRST_DAY.admin.name);

  // The report's owners are the organisation's reps, and nobody from the demo.
  await page.goto("/");
  await expect(page.getByRole("link", { name: "Sam Seller" }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Pat Pusher" }).first()).toBeVisible();
  await saveScreenshot(page, "first-day-overview");

  // Sam Seller's open deals from the report, in Salesforce's standard stages.
  await page.getByRole("link", { name: "Sam Seller" }).first().click();
  await expect(page.getByRole("heading", { name: "Sam Seller's pipeline" })).toBeVisible();
  const deals = page.getByRole("region", { name: /Open deals/ });
  for (const name of ["Acme - Rockets", "Hooli - Expansion", "Vandelay - Import", "Tyrell - Replicants"]) {
    await expect(deals.getByText(name).first()).toBeVisible();
  }
  // In Salesforce's standard stages, created by the import without a mapping.
  await expect(deals.getByRole("row", { name: /Acme - Rockets.*Negotiation\/Review/ })).toBeVisible();
  await expect(deals.getByRole("row", { name: /Hooli - Expansion.*Proposal\/Price Quote/ })).toBeVisible();
  // The won deal is not open: it is not in the pipeline.
  await expect(deals.getByText("Umbrella - Renewal")).toHaveCount(0);
  await saveScreenshot(page, "first-day-rep-pipeline");
});
