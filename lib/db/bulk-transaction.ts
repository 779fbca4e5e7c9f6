// Bulk SQL inside a Prisma transaction on PGlite, without Prisma in the way.
//
// Every raw statement Prisma runs goes through its query compiler: the
// parameters are serialised, handed to its WASM and back, and every result
// value is converted again. For the JSON documents bulk writers carry (20,000
// rows, megabytes each) that cost ~10 µs a row on top of the database's own
// work — a fifth of a 100,000-deal re-import on PGlite (measured with
// `node --cpu-prof` on the bench organisation). The same statement on the
// PGlite transaction itself skips it.
//
// PGlite runs one transaction at a time, and the Prisma adapter opens it with
// `pglite.transaction()`. `trackTransactions` (lib/db.ts wraps the instance it
// gives the adapter) remembers each open one; `withBulkSql` finds the one
// behind a Prisma transaction — proven by a value set in it through Prisma
// and read back through PGlite, never guessed — and returns the Prisma
// transaction with its two raw-SQL methods running there. Model calls stay on
// Prisma; both run in the same transaction, one statement at a time. Anything
// else (a PostgreSQL server, the client outside a transaction) is returned
// unchanged. Results then come as PGlite gives them (as the reviews' own
// runner reads them): int4 and int8 as numbers, numeric as text — callers
// cast in SQL (`::int`, `::text`), as bulk code here does anyway.
import { randomUUID } from "node:crypto";
import type { PGlite, Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type { DbClient } from "@/lib/db";

/** The PGlite transactions open now (one per PGlite instance at most). */
const open = new Set<PgliteTransaction>();

/** The PGlite instance as the Prisma adapter should see it: the same, with its transactions tracked. */
export function trackTransactions(pglite: PGlite): PGlite {
  const transaction: PGlite["transaction"] = (callback) =>
    pglite.transaction(async (tx) => {
      open.add(tx);
      try {
        return await callback(tx);
      } finally {
        open.delete(tx);
      }
    });
  return new Proxy(pglite, {
    get(target, property) {
      if (property === "transaction") return transaction;
      // PGlite keeps its state in private fields: its methods must run on the instance itself.
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const BULK = Symbol("bulk SQL on the PGlite transaction");

/**
 * The Prisma transaction with `$queryRawUnsafe` / `$executeRawUnsafe` run
 * on PGlite's own transaction (see the header); unchanged when there is none.
 */
export async function withBulkSql<Client extends DbClient>(client: Client): Promise<Client> {
  if ((client as { [BULK]?: true })[BULK] || open.size === 0) return client;
  const token = randomUUID();
  // is_local: the value lives and dies with this transaction.
  await client.$queryRawUnsafe(`SELECT set_config('pipeline.bulk_probe', $1, true)`, token);
  let raw: PgliteTransaction | undefined;
  for (const candidate of open) {
    if (candidate.closed) continue;
    const { rows } = await candidate.query<{ probe: string | null }>(
      `SELECT current_setting('pipeline.bulk_probe', true) AS probe`,
    );
    if (rows[0]?.probe === token) raw = candidate;
  }
  if (!raw) return client;
  const tx = raw;
  const queryRawUnsafe = async (sql: string, ...params: unknown[]) => (await tx.query(sql, params)).rows;
  const executeRawUnsafe = async (sql: string, ...params: unknown[]) => (await tx.query(sql, params)).affectedRows ?? 0;
  return new Proxy(client, {
    get(target, property) {
      if (property === BULK) return true;
      if (property === "$queryRawUnsafe") return queryRawUnsafe;
      if (property === "$executeRawUnsafe") return executeRawUnsafe;
      return Reflect.get(target, property, target);
    },
  });
}
