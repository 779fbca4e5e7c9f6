// The browser tests' second server: a real organisation's first day, run
// with exactly the commands README "Using your own data" gives, on its own
// empty embedded database (not the demo's):
//   npm run db:migrate
//   ADMIN_PASSWORD=… npm run admin:create -- --email … --name …
//   npm run import -- --preset salesforce <Salesforce opportunity report>
//   npm run demo      (must not load the demo into it; serves the production build)
// It reuses the build the main e2e server made (playwright.config.ts starts
// that one first), so CI builds once. tests/e2e/first-day.spec.ts checks the result.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { FIRST_DAY } from "../tests/e2e/first-day-setup.mjs";

const port = process.env.PORT ?? "13210";
const mainDataDir = process.env.E2E_DATA_DIR || "data/e2e";
const dataDir = `${mainDataDir}-first-day`;
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PGLITE_DIR: dataDir };
delete env.DATABASE_URL;

function npm(args, extraEnv = {}) {
  console.log(`first-day server: npm ${args.join(" ")}`);
  const result = spawnSync("npm", args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  if (result.status !== 0) {
    console.error(`first-day server: npm ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

rmSync(dataDir, { recursive: true, force: true });
npm(["run", "db:migrate"]);
npm(["run", "admin:create", "--", "--email", FIRST_DAY.admin.email, "--name", FIRST_DAY.admin.name], {
  ADMIN_PASSWORD: FIRST_DAY.admin.password,
});
npm(["run", "import", "--", "--preset", "salesforce", FIRST_DAY.report]);
// SKIP_BUILD: the main e2e server has just built the app.
const server = spawnSync("npm", ["run", "demo"], { stdio: "inherit", env: { ...env, PORT: port, SKIP_BUILD: "1" } });
process.exit(server.status ?? 0);
