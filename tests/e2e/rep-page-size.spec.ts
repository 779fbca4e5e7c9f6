// A rep's page for their manager: the page `npm run bench:load` asks for
// with the overview (the first rep link on Central's overview), including
// React's payload. It is the heaviest page of the load test: under many
// users at once a page's time grows with its weight, so this budget fails as
// soon as the page grows back. On the fresh demo it is the demo's largest rep
// pipeline (36 open deals, early-stage group open because it holds a stale
// deal), ~160 KB from 206 KB (README, "Load").
import { expect, test } from "@playwright/test";
import { SIGNED_IN } from "./people";

const PAGE_BUDGET_BYTES = 175_000;

test.use({ storageState: SIGNED_IN.centralManager.storageState });

test("the rep page the load test asks for stays within its byte budget", async ({ page }) => {
  const overview = await page.request.get("/");
  expect(overview.status()).toBe(200);
  const repPath = (await overview.text()).match(/href="(\/reps\/[^"?#]+)"/)?.[1];
  expect(repPath).toBeDefined();
  const response = await page.request.get(repPath ?? "");
  expect(response.status()).toBe(200);
  const html = (await response.body()).toString("utf8");
  // A rep's pipeline with its deals, not a sign-in page or an error.
  expect(html).toContain('data-testid="deal-row"');
  expect(Buffer.byteLength(html)).toBeLessThan(PAGE_BUDGET_BYTES);
});
