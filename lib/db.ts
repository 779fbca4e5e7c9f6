// The one Prisma client of the app, on PGlite (embedded, default) or a
// PostgreSQL server (DATABASE_URL=postgres://…); see lib/db/target.ts.
//
// Created lazily on first use, not at import: `next build` imports modules to
// collect page data and must not open the database. Kept on globalThis so Next's
// dev reloads reuse it — two PGlite instances on one data directory corrupt it.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { Pool } from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { trackTransactions } from "./db/bulk-transaction";
import { type DatabaseTarget, resolveDatabaseTarget } from "./db/target";
import { type SqlRunner, pgliteRunner, pgRunner } from "./db/sql-runner";
import { PrismaClient } from "./generated/prisma/client";

export type Database = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** What reads and writes accept: the client or an open transaction. */
export type DbClient = Database | Transaction;

export interface Connection {
  target: DatabaseTarget;
  prisma: PrismaClient;
  /** Raw SQL on the same database (bulk loads, set-based queries). */
  sql: SqlRunner;
  /** Set for PGlite; lets tooling reach the embedded database directly. */
  pglite?: PGlite;
  close(): Promise<void>;
}

export function openConnection(target: DatabaseTarget, existing?: PGlite): Connection {
  if (target.kind === "postgres") {
    const pool = new Pool({
      connectionString: target.url,
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      // No JIT compilation: PostgreSQL compiled the overview's 100,000-deal
      // query for 0.5 s to run it in 0.45 s. Our queries are many and
      // short-lived, which JIT does not pay off for.
      options: "-c jit=off",
    });
    // An idle connection the server ends (restart, failover, a dropped test
    // database) must not crash the process; the pool opens a new one on the
    // next query.
    pool.on("error", (error) => console.warn(`PostgreSQL closed an idle connection: ${error.message}`));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      target,
      prisma,
      sql: pgRunner(pool),
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  // PGlite creates its own directory but not the parents (./data).
  if (!existing && target.dataDir) mkdirSync(path.dirname(target.dataDir), { recursive: true });
  const pglite = existing ?? new PGlite(target.dataDir);
  // Its transactions tracked, so bulk writers can run their statements on them (lib/db/bulk-transaction.ts).
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(trackTransactions(pglite)) });
  return {
    target,
    prisma,
    sql: pgliteRunner(pglite),
    pglite,
    async close() {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

const globalForDb = globalThis as typeof globalThis & { __pipelineConnection?: Connection };

export function getConnection(): Connection {
  if (!globalForDb.__pipelineConnection) {
    const connection = openConnection(resolveDatabaseTarget());
    globalForDb.__pipelineConnection = connection;
    if (connection.pglite && connection.target.kind === "pglite" && connection.target.dataDir) {
      closeOnExit(connection);
    }
  }
  return globalForDb.__pipelineConnection;
}

/** Replaces the app's connection (tests point the app at a prepared database). */
export function useConnection(connection: Connection): void {
  globalForDb.__pipelineConnection = connection;
}

export async function closeDb(): Promise<void> {
  const connection = globalForDb.__pipelineConnection;
  globalForDb.__pipelineConnection = undefined;
  await connection?.close();
}

/** The Prisma client: `db.opportunity.findMany(…)`. Opens the database on first use. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const prisma = getConnection().prisma;
    const value = Reflect.get(prisma, property, prisma);
    return typeof value === "function" ? value.bind(prisma) : value;
  },
});

// PGlite writes its checkpoint on close; a server stopped with Ctrl-C or a
// SIGTERM must close it or the next start has to recover the data directory.
function closeOnExit(connection: Connection) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      connection
        .close()
        .catch((error) => console.error("Closing the embedded database failed:", error))
        .finally(() => process.exit(0));
    });
  }
}
