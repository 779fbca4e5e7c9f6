// Signs in once per person the browser tests act as, through the real
// sign-in page, and keeps each session for the specs (Playwright storage
// state). Once per run, not once per test: the sign-in rate limit (5 attempts
// per client address per 5 minutes) holds for the browser tests too, and they
// all come from one address.
import { expect, test as setup } from "@playwright/test";
import { DEMO_PASSWORD } from "../../lib/auth/demo";
import { SIGNED_IN, type SignedInAs } from "./people";

for (const [who, person] of Object.entries(SIGNED_IN) as [SignedInAs, (typeof SIGNED_IN)[SignedInAs]][]) {
  setup(`sign in as ${person.name} (${who})`, async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    // Generous: hashing the password takes seconds on a loaded machine.
    await expect(page).not.toHaveURL(/\/sign-in/, { timeout: 30_000 });
    await expect(page.getByRole("banner")).toContainText(person.name);
    await page.context().storageState({ path: person.storageState });
  });
}
