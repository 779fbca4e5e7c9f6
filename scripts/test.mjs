// npm test — the unit and database tests (vitest, embedded PGlite), then the
// browser tests (Playwright driving Debian's Chromium) when Chromium is
// installed. Extra arguments go to vitest, e.g. `npm test -- lib/rules`.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { chromiumPath } from "./chromium-path.mjs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const args = process.argv.slice(2);

const unit = spawnSync("npx", ["vitest", "run", ...args], { stdio: "inherit", env });
let status = unit.status ?? 1;

if (args.length === 0) {
  const browser = chromiumPath();
  if (browser && existsSync(browser)) {
    const e2e = spawnSync("npx", ["playwright", "test"], { stdio: "inherit", env });
    status ||= e2e.status ?? 1;
  } else {
    console.log(
      "\nBrowser tests skipped: Chromium is not installed. Install it with `sudo apt-get install -y chromium`" +
        " (or set CHROMIUM_PATH), then run `npm test` again or `npm run test:e2e`.",
    );
  }
}
process.exit(status);
