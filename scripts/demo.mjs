// npm run demo — one command from a fresh clone to the running app:
// apply migrations, load the demo organisation if the database is empty, build,
// and serve on http://localhost:3000 (PORT to change it). Each step runs as
// its own process, one after the other, because the embedded database may be
// open in only one process at a time.
import { spawnSync } from "node:child_process";
import { ensureAuthSecret } from "./auth-secret.mjs";

const port = process.env.PORT ?? "3000";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", BETTER_AUTH_SECRET: ensureAuthSecret() };

function step(title, command, args) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`\n✖ ${title} failed (exit code ${result.status ?? result.signal}). See the messages above.`);
    process.exit(result.status ?? 1);
  }
}

step("Applying database migrations", "npx", ["tsx", "scripts/migrate.ts"]);
step("Loading the demo organisation (skipped if the database already has deals)", "npx", [
  "tsx",
  "prisma/seed/cli.ts",
  "--if-empty",
]);
// SKIP_BUILD=1: the app is already built (the browser tests' first-day server reuses their build).
if (process.env.SKIP_BUILD === "1") console.log("\n▶ Building the app: skipped (SKIP_BUILD=1)");
else step("Building the app", "npx", ["next", "build"]);

console.log(`\n▶ Serving on http://localhost:${port} — press Ctrl-C to stop.`);
console.log("  Sign in there: while the demo organisation is loaded, the sign-in page lists its accounts");
console.log("  (admin, each manager, a rep per team) with their shared password and one-click buttons.");
console.log("  Reset the demo data later with: npm run db:reset\n");
const server = spawnSync("node", ["scripts/serve.mjs"], { stdio: "inherit", env: { ...env, PORT: port } });
process.exit(server.status ?? 0);
