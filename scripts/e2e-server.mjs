// The server the browser tests run against: a production build on its own
// embedded database (./data/e2e), freshly loaded with the demo organisation
// so every run starts from the same data.
import { rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { ensureAuthSecret } from "./auth-secret.mjs";

const port = process.env.PORT ?? "3210";
// E2E_DATA_DIR and NEXT_DIST_DIR let parallel runs keep apart (default data/e2e, .next).
const dataDir = process.env.E2E_DATA_DIR || "data/e2e";
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  PGLITE_DIR: dataDir,
  BETTER_AUTH_SECRET: ensureAuthSecret(),
};
delete env.DATABASE_URL;

function run(command, args) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync(dataDir, { recursive: true, force: true });
run("npx", ["tsx", "scripts/migrate.ts"]);
run("npx", ["tsx", "prisma/seed/cli.ts"]);
if (process.env.E2E_SKIP_BUILD !== "1") run("npx", ["next", "build"]);
const server = spawnSync("node", ["scripts/serve.mjs"], { stdio: "inherit", env: { ...env, PORT: port } });
process.exit(server.status ?? 0);
