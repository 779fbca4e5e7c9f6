// npx tsx --conditions=react-server scripts/profile-overview.ts [--runs 5] [--as-of ISO]
//
// Where the admin overview's time goes, on the bench organisation (PGlite,
// ./data/bench): each SQL statement's database time (PGlite runs in this
// process, one statement at a time, so its query() call is the statement's
// whole cost including handing the rows to JavaScript), and the rest of
// getTeamOverview (Prisma's layer and the JavaScript aggregation) as the
// remainder. CPU milliseconds of this process, not wall-clock: the machines
// these run on are shared. Prints the median of each over the runs.
import { AsyncLocalStorage } from "node:async_hooks";
import { parseArgs } from "node:util";
import type { Viewer } from "@/lib/auth/viewer";
import { closeDb, db, getConnection } from "@/lib/db";
import { getTeamOverview } from "@/lib/overview/data";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    "as-of": { type: "string" },
    /** Also print EXPLAIN ANALYZE of each statement that took at least this many ms. */
    explain: { type: "string" },
  },
});
process.env.PGLITE_DIR ??= "data/bench";

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const median = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

async function main() {
  const connection = getConnection();
  const pglite = connection.pglite;
  if (!pglite) throw new Error("Profiles PGlite only (unset DATABASE_URL).");
  const statements = new Map<string, number[]>();
  const lastParams = new Map<string, { sql: string; params: unknown[] }>();
  let current: Map<string, number> | null = null;
  // Opened before patching: PGlite's start-up queries its own catalogue through query().
  await pglite.waitReady;
  await db.$queryRawUnsafe("SELECT 1");
  const original = pglite.query.bind(pglite);
  // Own property on the instance: the transaction-tracking proxy in lib/db reads it at call time.
  // Statements issued together (Promise.all) queue inside PGlite; queued here instead, so each
  // one's time is its own and not its wait.
  // PGlite calls query() itself while answering one (array types): those nested calls go straight through.
  let queue: Promise<unknown> = Promise.resolve();
  const inside = new AsyncLocalStorage<true>();
  (pglite as unknown as { query: typeof original }).query = ((sql: string, params?: unknown[], options?: object) => {
    if (inside.getStore()) return original(sql, params as never, options as never);
    const run = () =>
      inside.run(true, async () => {
        const started = process.cpuUsage();
        try {
          return await original(sql, params as never, options as never);
        } finally {
          if (current) {
            const key = sql.replace(/\s+/g, " ").trim().slice(0, 90);
            lastParams.set(key, { sql, params: params ?? [] });
            current.set(key, (current.get(key) ?? 0) + cpuMs(started));
          }
        }
      });
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  }) as typeof original;

  const admin = await db.user.findFirst({ where: { role: "admin" }, orderBy: { createdAt: "asc" } });
  if (!admin) throw new Error("No admin in the organisation.");
  const viewer: Viewer = { userId: admin.id, name: admin.name, role: "admin", teamId: null };
  const rules = (await db.orgSettings.findUnique({ where: { id: 1 } }))?.rules ?? {};
  const asOf = values["as-of"] ? new Date(values["as-of"]) : new Date();
  const runs = Math.max(1, Number(values.runs));
  const totals: number[] = [];
  const walls: number[] = [];
  const rest: number[] = [];
  for (let run = 0; run <= runs; run++) {
    current = new Map();
    const wall = performance.now();
    const started = process.cpuUsage();
    const overview = await getTeamOverview(viewer, { asOf, rules });
    const total = cpuMs(started);
    if (run === 0) {
      console.log(`warm-up: ${overview.reps.length} reps, ${overview.ages.total.count} open deals in the age chart`);
      continue;
    }
    totals.push(total);
    walls.push(performance.now() - wall);
    let inSql = 0;
    for (const [key, ms] of current) {
      inSql += ms;
      statements.set(key, [...(statements.get(key) ?? []), ms]);
    }
    rest.push(total - inSql);
  }
  current = null;
  console.log(`as of ${asOf.toISOString()}, ${runs} runs, medians (CPU ms of this process):`);
  const lines = [...statements].map(([key, samples]) => ({ key, ms: median(samples) })).sort((a, b) => b.ms - a.ms);
  for (const line of lines) console.log(`  ${line.ms.toFixed(1).padStart(7)}  ${line.key}`);
  console.log(`  ${median(rest).toFixed(1).padStart(7)}  (outside PGlite: Prisma, JSON.parse, aggregation)`);
  console.log(
    `  ${median(totals).toFixed(1).padStart(7)}  total CPU; wall-clock median ${median(walls).toFixed(0)} ms`,
  );
  if (values.explain === undefined) return;
  for (const line of lines.filter((line) => line.ms >= Number(values.explain))) {
    const statement = lastParams.get(line.key);
    if (!statement) continue;
    const plan = await original(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params as never);
    console.log(`\n${line.key}`);
    for (const row of plan.rows as Record<string, string>[]) console.log(Object.values(row)[0]);
  }
}

main()
  .then(() => closeDb())
  .catch(async (error) => {
    console.error(error);
    await closeDb();
    process.exit(1);
  });
