// Where Debian's Chromium is. Playwright drives it; its own browser download
// (`npx playwright install`) cannot work on these machines.
import { existsSync } from "node:fs";

export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((candidate) => candidate && existsSync(candidate));
}
