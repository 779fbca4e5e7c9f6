import { defineConfig, devices } from "@playwright/test";
import { chromiumPath } from "./scripts/chromium-path.mjs";

const port = Number(process.env.E2E_PORT ?? 3210);
// The first-day server (an empty database, an admin and a Salesforce import; scripts/e2e-first-day-server.mjs).
const firstDayPort = port + 10_000;

export default defineConfig({
  testDir: "tests/e2e",
  // E2E_OUTPUT_DIR keeps parallel runs apart; screenshots for people go to test-results/screenshots.
  outputDir: process.env.E2E_OUTPUT_DIR || "test-results/e2e",
  timeout: 90_000,
  // Pages render whole on the server (no loading states above pages that can be
  // not found, so they answer 404); on a loaded 2-core machine a page can take
  // several seconds, more than Playwright's default 5 s wait.
  expect: { timeout: 15_000 },
  // One server, one embedded database: tests that change data run in order.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/e2e-report.json" }]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 720 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    timezoneId: "America/New_York",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    // Signs in once per person (tests/e2e/people.ts); the specs reuse the sessions.
    { name: "sign-in", testMatch: /auth\.setup\.ts$/ },
    {
      name: "chromium",
      dependencies: ["sign-in"],
      testIgnore: /first-day\.spec\.ts$/,
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 720 } },
    },
    {
      name: "first-day",
      testMatch: /first-day\.spec\.ts$/,
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 720 },
        baseURL: `http://127.0.0.1:${firstDayPort}`,
      },
    },
  ],
  // Started in this order, one after the other: the first-day server reuses the first one's build.
  webServer: [
    {
      command: "node scripts/e2e-server.mjs",
      // The weekly-messages spec (messages.spec.ts) runs an SMTP server on port + 20000; the app sends to it.
      env: {
        PORT: String(port),
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(port + 20000),
        SMTP_TLS: "off",
        MAIL_FROM: "Pipeline Integrity <pipeline@e2e.example>",
        APP_URL: `http://127.0.0.1:${port}`,
        // CRM connection secrets are encrypted under it (connections.spec.ts saves one).
        CONNECTIONS_KEY: Buffer.alloc(32, 5).toString("base64"),
      },
      url: `http://127.0.0.1:${port}/`,
      timeout: 600_000,
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: "node scripts/e2e-first-day-server.mjs",
      env: { PORT: String(firstDayPort), APP_URL: `http://127.0.0.1:${firstDayPort}` },
      url: `http://127.0.0.1:${firstDayPort}/sign-in`,
      timeout: 600_000,
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
