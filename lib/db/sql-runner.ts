// The smallest common surface of PGlite and node-postgres, for the code that
// runs raw SQL outside Prisma (the migrator, bulk loaders, benchmarks).
import type { PGlite } from "@electric-sql/pglite";
import type { Client, Pool, PoolClient } from "pg";

export interface SqlRunner {
  /** One statement with $1-style parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** A script of several statements, no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs fn inside BEGIN … COMMIT; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

type PgliteLike = Pick<PGlite, "query" | "exec"> & Partial<Pick<PGlite, "transaction">>;

export function pgliteRunner(pglite: PgliteLike): SqlRunner {
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await pglite.query<Row>(sql, params);
      return result.rows;
    },
    async exec(sql: string) {
      await pglite.exec(sql);
    },
    async transaction(fn) {
      if (!pglite.transaction) throw new Error("Nested transactions are not supported");
      return pglite.transaction((tx) => fn(pgliteRunner(tx)));
    },
  };
}

/** node-postgres: a Client, or a Pool (each transaction then takes one pooled connection). */
export function pgRunner(client: Client | Pool | PoolClient): SqlRunner {
  // One connection runs one query at a time. Callers may start several at
  // once (Promise.all over a transaction's reads); node-postgres queues them
  // itself but warns that pg@9 will not, so they wait their turn here. A
  // Pool hands concurrent queries to different connections.
  const isPool = "totalCount" in client;
  let previous: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    if (isPool) return run();
    const next = previous.then(run, run);
    previous = next.catch(() => undefined);
    return next;
  };
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await inTurn(() => client.query(sql, params));
      return result.rows as Row[];
    },
    async exec(sql: string) {
      // Without parameters node-postgres uses the simple protocol, which
      // accepts several statements at once.
      await inTurn(() => client.query(sql));
    },
    async transaction(fn) {
      const connection = isPool ? await (client as Pool).connect() : (client as Client | PoolClient);
      try {
        await connection.query("BEGIN");
        try {
          const result = await fn(pgRunner(connection));
          await connection.query("COMMIT");
          return result;
        } catch (error) {
          await connection.query("ROLLBACK");
          throw error;
        }
      } finally {
        if (isPool) (connection as PoolClient).release();
      }
    },
  };
}
