// The team overview's HTML stays lean (issue 13: under 60 KB for a team of 8):
// the chart data travels once, not as both chart props and tables, and long
// tables are paged. Measured on the page as the server sends it to Central's
// manager (8 reps on the demo), not as the browser builds it afterwards.
import { expect, test } from "@playwright/test";
import { SIGNED_IN } from "./people";

test.use({ storageState: SIGNED_IN.centralManager.storageState });

const LIMIT_BYTES = 60 * 1024;

test("the overview for a team of 8 is under 60 KB of HTML", async ({ page }) => {
  const response = await page.request.get("/");
  expect(response.status()).toBe(200);
  const html = await response.text();
  // The real overview, with its reps and charts — not an error page or the sign-in form.
  expect(html.match(/data-testid="rep-row"/g)?.length).toBe(8);
  expect(html).toContain("Pipeline health by rep");
  expect(Buffer.byteLength(html, "utf8"), "bytes of HTML for the overview of a team of 8").toBeLessThan(LIMIT_BYTES);
});
