// Shared by the CRM sync tests: an empty database before each test (so each
// stands alone, in any order) and a sync whose waits are recorded, not slept.
import { db } from "@/lib/db";
import type { Environment } from "@/lib/sync/credentials";
import type { Crm } from "@/lib/sync/records";
import { runSync } from "@/lib/sync/run";

/** Empties every table but the migrations' record and the organisation's settings row. */
export async function emptyDatabase() {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT tablename::text AS name FROM pg_tables
      WHERE schemaname = current_schema() AND tablename NOT IN ('_prisma_migrations', 'OrgSettings')`,
  );
  await db.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.name}"`).join(", ")} RESTART IDENTITY CASCADE`);
}

/** Runs a sync against a fake CRM; every wait the client would sleep is pushed to `waits` instead. */
export function syncer(crm: Crm, env: () => Environment) {
  const waits: number[] = [];
  const sync = (options: { full?: boolean } = {}) =>
    runSync(crm, {
      via: "command line",
      full: options.full,
      reader: {
        source: env(),
        http: {
          minIntervalMs: 0,
          sleep: async (ms) => {
            waits.push(ms);
          },
        },
      },
    });
  return { sync, waits };
}
