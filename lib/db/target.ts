// Which database the app talks to, decided once from the environment:
// - DATABASE_URL=postgres://… or postgresql://…  → a PostgreSQL server;
// - DATABASE_URL=memory://                        → a throwaway in-memory PGlite (tests);
// - anything else / unset                         → PGlite on disk, default ./data/pglite
//   (PGLITE_DIR overrides the directory).
import path from "node:path";

export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string | undefined };

export function resolveDatabaseTarget(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url && /^postgres(ql)?:\/\//i.test(url)) return { kind: "postgres", url };
  if (url === "memory://") return { kind: "pglite", dataDir: undefined };
  const dir = env.PGLITE_DIR?.trim();
  // turbopackIgnore: the directory is data, not code for the build to trace.
  return {
    kind: "pglite",
    dataDir: dir ? path.resolve(/*turbopackIgnore: true*/ dir) : path.join(process.cwd(), "data", "pglite"),
  };
}

export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "pglite") {
    return target.dataDir ? `embedded PGlite in ${target.dataDir}` : "embedded PGlite in memory";
  }
  // Never print a password.
  return `PostgreSQL at ${target.url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")}`;
}
