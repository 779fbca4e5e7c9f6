// Settings → Connections in a real browser: an admin connects Salesforce by
// the web-server flow — the form, the trip to Salesforce's authorize page
// (a local fake org, tests/fixtures/crm/salesforce.ts, that approves at
// once) and back through the callback — and the page says it is connected,
// never showing the secret. A wrong key in the JWT form is refused in plain
// words. Salesforce is disconnected at the end; no deals are synced here, so
// the demo organisation the other specs read is unchanged.
import { expect, test } from "@playwright/test";
import { FakeSalesforce, SF_CLIENT_ID, SF_CLIENT_SECRET, SF_USERNAME } from "../fixtures/crm/salesforce";
import { expectNoSeriousA11yViolations } from "./helpers";
import { SIGNED_IN } from "./people";

test.use({ storageState: SIGNED_IN.admin.storageState });

const salesforce = new FakeSalesforce(3);
test.beforeAll(async () => {
  await salesforce.start();
});
test.afterAll(async () => {
  await salesforce.stop();
});

test("an admin connects Salesforce by signing in there, and the secret is never shown back", async ({ page }) => {
  await page.goto("/settings/connections");
  const section = page.getByRole("region", { name: "Salesforce" });
  await expect(section.getByRole("heading", { name: /Sign in with Salesforce/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The JWT form with a key the connected app does not hold: refused, in words that say what to check.
  await section.getByLabel("Consumer key (client id)").nth(1).fill(SF_CLIENT_ID);
  await section.getByLabel("Username").fill(SF_USERNAME);
  await section.getByLabel(/^Login address \(empty: https:\/\/login\.salesforce\.com\)$/).fill(salesforce.baseUrl);
  await section.getByLabel(/Private key of the connected app/).fill(new FakeSalesforce(0).keys.privateKey);
  await section.getByRole("button", { name: "Test and save" }).click();
  await expect(section.getByText(/Salesforce refused to sign in \(400\).*invalid assertion/)).toBeVisible();

  // The web-server flow: to the (fake) Salesforce and back.
  await section.getByLabel("Consumer key (client id)").first().fill(SF_CLIENT_ID);
  await section.getByLabel("Consumer secret").fill(SF_CLIENT_SECRET);
  await section
    .getByLabel(/Login address \(empty: https:\/\/login\.salesforce\.com; a sandbox/)
    .fill(salesforce.baseUrl);
  await section.getByRole("button", { name: "Sign in with Salesforce" }).click();
  await page.waitForURL(/\/settings\/connections\?salesforce=/);
  await expect(
    page.getByText(/Salesforce is connected\. Connected to Salesforce .*read the opportunity “SF deal/),
  ).toBeVisible();
  await expect(section.getByText(/Connected to http:\/\/127\.0\.0\.1:\d+ by a person's sign-in/)).toBeVisible();
  expect(await page.content()).not.toContain(SF_CLIENT_SECRET);
  expect(salesforce.grants).toEqual(["authorization_code", "refresh_token"]);

  await section.getByRole("button", { name: "Test connection" }).click();
  await expect(section.getByText(/Connected to Salesforce .*read the opportunity/).last()).toBeVisible();
  await section.getByRole("button", { name: "Disconnect" }).click();
  // The card shows the test's outcome still; what changes is the connection itself.
  await expect(section.getByText("Not connected.")).toBeVisible();
  await expect(section.getByRole("button", { name: "Disconnect" })).toHaveCount(0);
});
