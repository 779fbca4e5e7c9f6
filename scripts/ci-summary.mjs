// Adds up every result file .ci/run wrote and prints "N passed, N failed" as
// the last line; exits non-zero when anything failed or nothing ran.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? "test-results/ci";
let passed = 0;
let failed = 0;
for (const file of readdirSync(dir)
  .filter((name) => name.endsWith(".json"))
  .sort()) {
  const data = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
  let p = 0;
  let f = 0;
  if (file.endsWith(".count.json")) {
    p = data.passed;
    f = data.failed;
  } else if (file.startsWith("vitest")) {
    p = data.numPassedTests;
    f =
      data.numFailedTests +
      (data.numRuntimeErrorTestSuites ?? 0) +
      (data.success === false && data.numFailedTests === 0 ? 1 : 0);
  } else if (file.startsWith("playwright")) {
    p = data.stats.expected + data.stats.flaky;
    f = data.stats.unexpected + (data.errors?.length ?? 0);
  }
  console.log(`${file.replace(/\.(count\.)?json$/, "").padEnd(20)} ${p} passed, ${f} failed`);
  passed += p;
  failed += f;
}
if (passed + failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
