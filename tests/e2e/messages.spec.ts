// The weekly messages' settings in a real browser on the demo organisation:
// the admin previews a rep's digest and a manager's brief as each would get
// them, and "send me a test" delivers to an SMTP server this spec runs (the
// e2e server is started with SMTP_PORT = E2E port + 20000, see
// playwright.config.ts). A rep is refused the admin page and turns their own
// digest off on /account.
import { expect, type Page, test } from "@playwright/test";
import { startTestSmtpServer, type TestSmtpServer } from "../fixtures/smtp";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./helpers";
import { SIGNED_IN, type SignedInAs } from "./people";

// Pages render server-side from the embedded database; on a busy machine that takes more than the default 5 s.
const slow = expect.configure({ timeout: 30_000 });
const SMTP_PORT = Number(process.env.E2E_PORT ?? 3210) + 20000;

test.describe.configure({ mode: "serial", timeout: 240_000 });

let smtp: TestSmtpServer;

test.beforeAll(async () => {
  smtp = await startTestSmtpServer({ port: SMTP_PORT });
});

test.afterAll(async () => {
  await smtp?.close();
});

// Uses the sessions the shared sign-in setup saved (tests/e2e/auth.setup.ts):
// signing in again here from 127.0.0.1 would count against the sign-in limit
// of 5 attempts per address in 5 minutes that the setup already used.
function signInAs(who: SignedInAs) {
  test.use({ storageState: SIGNED_IN[who].storageState });
}

async function choosePerson(page: Page, optionText: string) {
  const value = await page.locator("#preview-person option", { hasText: optionText }).getAttribute("value");
  await page.getByLabel("Show the message as this person gets it").selectOption(value ?? "");
}

test.describe("as the admin", () => {
  signInAs("admin");

  test("previews a rep's digest and a manager's brief, and sends a test to the admin", async ({ page }) => {
    await page.goto("/settings/messages");
    await slow(page.getByRole("heading", { name: "Weekly messages" })).toBeVisible();
    await slow(page.getByTestId("smtp-status")).toContainText("Delivery is off");

    const rep = SIGNED_IN.centralRep.name;
    await choosePerson(page, `${rep} — Rep digest`);
    await page.getByRole("button", { name: "Show", exact: true }).click();
    await slow(page.getByTestId("message-preview")).toContainText(`To ${rep}`);
    const subject = (await page.getByTestId("preview-subject").textContent()) ?? "";
    expect(subject).toMatch(
      /Subject: (\d+ deals? needs? you before the meeting|Your pipeline is clean this week|Your deals this week: not reviewed yet)/,
    );
    const frame = page.frameLocator("iframe");
    await slow(frame.getByRole("link", { name: "Open My deals" })).toHaveAttribute("href", /\/my$/);
    await saveScreenshot(page, "messages-preview-rep-digest");
    // The app's page; the email itself is previewed in a sandboxed iframe axe cannot enter.
    await expectNoSeriousA11yViolations(page, ["iframe"]);

    await page.getByRole("button", { name: "Send me a test" }).click();
    await slow(page.getByRole("status").filter({ hasText: "Sent a test to" })).toContainText(SIGNED_IN.admin.email);
    await slow.poll(() => smtp.to(SIGNED_IN.admin.email).length).toBe(1);
    const [mail] = smtp.to(SIGNED_IN.admin.email);
    expect(mail?.subject).toBe(`[Test] ${subject.replace("Subject: ", "")} (as ${rep} gets it)`);
    expect(smtp.to(SIGNED_IN.centralRep.email)).toEqual([]);
    await slow(page.getByRole("table")).toContainText(SIGNED_IN.admin.email);

    const manager = SIGNED_IN.centralManager.name;
    await choosePerson(page, `${manager} — Manager brief`);
    await page.getByRole("button", { name: "Show", exact: true }).click();
    await slow(page.getByTestId("preview-subject")).toContainText("brief for the meeting on");
    await slow(frame.getByRole("link", { name: "Open meeting mode" })).toHaveAttribute("href", /\/meeting$/);
    await slow(frame.getByText("Deals to discuss, in meeting order")).toBeVisible();
    await saveScreenshot(page, "messages-preview-manager-brief");
  });
});

test.describe("as a rep", () => {
  signInAs("centralRep");

  test("is refused the admin page and turns their own digest off", async ({ page }) => {
    await page.goto("/settings/messages");
    await slow(page.getByTestId("admins-only")).toContainText("Only administrators manage the weekly messages");
    await page.getByRole("link", { name: "Your own message choices" }).click();
    await slow(page).toHaveURL(/\/account$/);
    const digest = page.getByLabel(/Weekly digest of my flagged deals/);
    await slow(digest).toBeChecked();
    await digest.uncheck();
    await page.getByLabel("My time zone").fill("Not/AZone");
    await page.getByRole("button", { name: "Save my choices" }).click();
    await slow(page.locator("#my-time-zone-error")).toContainText("Pick a time zone from the list");
    await page.getByLabel("My time zone").fill("Europe/Berlin");
    await page.getByRole("button", { name: "Save my choices" }).click();
    await slow(page.getByRole("status").filter({ hasText: "Saved" })).toContainText("Saved your message choices.");
    await page.reload();
    await slow(page.getByLabel(/Weekly digest of my flagged deals/)).not.toBeChecked();
    await slow(page.getByLabel("My time zone")).toHaveValue("Europe/Berlin");
    await expectNoSeriousA11yViolations(page);
  });
});
