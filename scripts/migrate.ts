// npm run db:migrate — applies prisma/migrations to the database DATABASE_URL
// names (embedded PGlite in ./data/pglite when unset). Safe to run again.
import { closeDb, getConnection } from "@/lib/db";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { describeTarget } from "@/lib/db/target";

async function main() {
  const connection = getConnection();
  const started = performance.now();
  const result = await applyMigrations(connection.sql, await readMigrations());
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const what = result.applied.length
    ? `applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
    : "already up to date";
  console.log(
    `Database (${describeTarget(connection.target)}): ${what} [${result.alreadyApplied} already applied, ${seconds}s]`,
  );
}

main()
  .then(() => closeDb())
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
    console.error("Nothing of the failing migration was kept; fix the cause and run npm run db:migrate again.");
    await closeDb().catch(() => undefined);
    process.exit(1);
  });
