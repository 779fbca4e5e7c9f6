// npm run sync -- <hubspot|pipedrive|salesforce> [--full]
// Syncs deals, activities, stage / close-date / amount history, owners and
// teams from a CRM through the same import core as CSV files, page by page
// (each page one transaction, resumable from the last cursor). Credentials:
// the connection saved on Settings → Connections, else the environment
// (HUBSPOT_ACCESS_TOKEN; PIPEDRIVE_API_TOKEN; SALESFORCE_CLIENT_ID,
// SALESFORCE_USERNAME, SALESFORCE_PRIVATE_KEY_FILE). Prints a progress line
// per page and the run's counts; exits 0 when the run finished, 1 when it
// stopped (the reason printed; the next run resumes), 2 on a usage error.
// Applies pending migrations first, so it also fills a brand-new database.
import { parseArgs } from "node:util";
import { closeDb, getConnection } from "@/lib/db";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { describeTarget } from "@/lib/db/target";
import { SyncRefused } from "@/lib/sync/credentials";
import { CRMS, type Crm, CRM_LABELS } from "@/lib/sync/records";
import { runSync, type SyncCounts } from "@/lib/sync/run";

const USAGE = "Usage: npm run sync -- <hubspot|pipedrive|salesforce> [--full]";

function line(label: string, counts: SyncCounts[keyof Omit<SyncCounts, "deletedClosed" | "newStages">]) {
  return `  ${label.padEnd(11)} ${counts.new} new · ${counts.updated} updated · ${counts.unchanged} unchanged · ${counts.rejected} rejected${counts.skipped ? ` · ${counts.skipped} skipped (planned, not done)` : ""}`;
}

async function main(): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ options: { full: { type: "boolean" }; help: { type: "boolean" } }; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({ options: { full: { type: "boolean" }, help: { type: "boolean" } }, allowPositionals: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const crm = parsed.positionals[0]?.toLowerCase() as Crm | undefined;
  if (!crm || !CRMS.includes(crm) || parsed.positionals.length > 1) {
    console.error(`Name one CRM to sync: ${CRMS.join(", ")}.\n${USAGE}`);
    return 2;
  }
  // A server or cron job may point the sync at a new database: set it up first (a no-op when it is).
  const connection = getConnection();
  const migrated = await applyMigrations(connection.sql, await readMigrations());
  if (migrated.applied.length) console.log(`Set up the database: applied ${migrated.applied.length} migration(s).`);
  console.log(`Syncing ${CRM_LABELS[crm]} into ${describeTarget(connection.target)}…`);
  try {
    const outcome = await runSync(crm, {
      via: "command line",
      full: parsed.values.full,
      onProgress: ({ page, counts }) => {
        if (page > 0)
          console.log(
            `  page ${page}: ${counts.deals.new + counts.deals.updated} deals written so far, ${counts.activities.new} new activities`,
          );
      },
      reader: { http: { onWait: (ms, why) => console.log(`  waiting ${Math.ceil(ms / 1000)} s (${why})`) } },
    });
    const { counts } = outcome;
    console.log(
      `${outcome.ok ? "Finished" : "Stopped"} after ${outcome.pages} ${outcome.pages === 1 ? "page" : "pages"} in ${(outcome.durationMs / 1000).toFixed(1)} s (run ${outcome.runId}).`,
    );
    console.log(line("Owners", counts.owners));
    console.log(line("Deals", counts.deals));
    console.log(line("History", counts.history));
    console.log(line("Activities", counts.activities));
    if (counts.deletedClosed)
      console.log(
        `  ${counts.deletedClosed} deals deleted in ${CRM_LABELS[crm]} closed as lost here (kept, not deleted).`,
      );
    if (counts.newStages.length) console.log(`  New stages: ${counts.newStages.join(", ")}.`);
    for (const error of outcome.errors) (outcome.ok ? console.log : console.error)(`  ${error}`);
    return outcome.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof SyncRefused) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await closeDb().catch(() => undefined);
    process.exit(1);
  });
