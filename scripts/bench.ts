// npm run bench [-- --runs 5 --deals 100000 --activities 2000000 --reps 2000 --fresh]
//
// Generates (or reuses) a large organisation — by default 100,000 open deals
// and 2,000,000 activities across 2,000 reps — on the embedded database in
// ./data/bench (or the PostgreSQL server DATABASE_URL names), then times over
// several runs and prints the median of each:
//   - the full review run (all rules, all open deals, flags and snapshots stored);
//   - the floor: one hand-written SQL query computing only the past-its-time rule;
//   - the write floor: the review's flags copied into a bare table (rolled back),
//     what storing them costs before any rule is computed;
//   - the page data of one rep's pipeline and of the team overview.
// Targets (from issue 3): review ≤ 3× the floor and < 10 s on PGlite; page data < 200 ms.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import type { Viewer } from "@/lib/auth/viewer";
import { closeDb, db, getConnection } from "@/lib/db";
import { describeTarget, resolveDatabaseTarget } from "@/lib/db/target";
import { runReviewAs } from "@/lib/reviews/run";
import { DEFAULT_RULE_SETTINGS } from "@/lib/rules/settings";
import { getRepPipeline } from "@/lib/deals/data";
import { getTeamOverview } from "@/lib/overview/data";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    deals: { type: "string", default: "100000" },
    activities: { type: "string", default: "2000000" },
    reps: { type: "string", default: "2000" },
    fresh: { type: "boolean", default: false },
  },
});
const runs = Math.max(1, Number(values.runs));
const wanted = { deals: Number(values.deals), activities: Number(values.activities), reps: Number(values.reps) };

const usingPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");
if (!usingPostgres) process.env.PGLITE_DIR ??= "data/bench";

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function time(label: string, fn: () => Promise<unknown>, count = runs) {
  const samples: number[] = [];
  for (let run = 0; run < count; run++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
    process.stdout.write(`  ${label}: run ${run + 1}/${count} ${samples.at(-1)?.toFixed(0)} ms\n`);
  }
  return { label, median: median(samples), min: Math.min(...samples), max: Math.max(...samples), runs: count };
}

async function ensureOrganisation() {
  const open = await db.opportunity.count({ where: { status: "open" } }).catch(() => 0);
  if (!values.fresh && open >= wanted.deals * 0.95) {
    console.log(`Reusing the organisation on ${describeTarget(resolveDatabaseTarget())}: ${open} open deals.`);
    return;
  }
  await closeDb();
  console.log(`Generating ${wanted.deals} open deals, ${wanted.activities} activities, ${wanted.reps} reps …`);
  const started = performance.now();
  const seed = spawnSync(
    "npx",
    [
      "tsx",
      "prisma/seed/cli.ts",
      "--reset",
      "--deals",
      String(wanted.deals),
      "--activities",
      String(wanted.activities),
      "--reps",
      String(wanted.reps),
      // The benchmark measures the first review itself.
      "--no-review",
    ],
    { stdio: "inherit", env: process.env },
  );
  if (seed.status !== 0) throw new Error("Generating the benchmark organisation failed (see above).");
  console.log(`Generated in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

/**
 * The floor: only the past-its-time rule, in one SQL statement — team average
 * cycle over won deals in the lookback (organisation, then default fallback),
 * age > 2× it, unless buyer activity in 21 days and a forward move in 45.
 */
async function pastItsTimeFloor(asOf: Date): Promise<number> {
  const s = DEFAULT_RULE_SETTINGS;
  const rows = await getConnection().sql.query<{ flagged: number }>(
    `WITH won AS (
       SELECT u."teamId" AS team_id, extract(epoch FROM o."closedAt" - o."openedAt") / 86400 AS days
         FROM "Opportunity" o JOIN "User" u ON u.id = o."ownerId"
        WHERE o.status = 'won' AND o."closedAt" <= $1 AND o."closedAt" > $1 - make_interval(days => $2)
     ), org AS (
       SELECT CASE WHEN count(*) >= $3 THEN avg(days) ELSE $4 END AS days FROM won
     ), team AS (
       SELECT team_id, avg(days) AS days FROM won GROUP BY team_id HAVING count(*) >= $3
     )
     SELECT count(*)::int AS flagged
       FROM "Opportunity" o
       JOIN "User" u ON u.id = o."ownerId"
       LEFT JOIN team t ON t.team_id = u."teamId"
       CROSS JOIN org
      WHERE o.status = 'open' AND o."openedAt" <= $1
        AND extract(epoch FROM $1 - o."openedAt") / 86400 > $5 * coalesce(t.days, org.days)
        AND NOT (coalesce(o."lastBuyerActivityAt" >= $1 - make_interval(days => $6), false)
             AND coalesce(o."lastForwardMoveAt" >= $1 - make_interval(days => $7), false))`,
    [
      asOf,
      s.lookbackDays,
      s.minSample,
      s.defaultCycleDays,
      s.pastItsTimeMultiple,
      s.buyerActivityWithinDays,
      s.forwardMoveWithinDays,
    ],
  );
  return rows[0]?.flagged ?? 0;
}

class RolledBack extends Error {}

async function main() {
  await ensureOrganisation();
  const [openDeals, activities, reps] = await Promise.all([
    db.opportunity.count({ where: { status: "open" } }),
    db.activity.count(),
    db.user.count({ where: { role: "rep" } }),
  ]);
  console.log(
    `Data: ${openDeals} open deals, ${activities} activities, ${reps} reps on ${describeTarget(resolveDatabaseTarget())}\n`,
  );

  const asOf = new Date();
  const admin = await db.user.findFirst({ where: { role: "admin" } });
  const manager = await db.user.findFirstOrThrow({ where: { role: "manager", managedTeam: { isNot: null } } });
  const managerViewer: Viewer = { userId: manager.id, name: manager.name, role: manager.role, teamId: manager.teamId };
  const busiestRep = await db.opportunity.groupBy({
    by: ["ownerId"],
    where: { status: "open" },
    _count: { _all: true },
    orderBy: { _count: { ownerId: "desc" } },
    take: 1,
  });
  const repId = busiestRep[0]?.ownerId;
  if (!repId) throw new Error("No open deals to benchmark.");

  const rep = await db.user.findUniqueOrThrow({ where: { id: repId }, select: { teamId: true } });
  const repTeamManager = await db.user.findFirst({ where: { role: "manager", managedTeam: { id: rep.teamId ?? "" } } });
  const repManager: Viewer = repTeamManager
    ? { userId: repTeamManager.id, name: repTeamManager.name, role: "manager", teamId: repTeamManager.teamId }
    : admin
      ? { userId: admin.id, name: admin.name, role: "admin", teamId: null }
      : managerViewer;

  let flaggedByReview = 0;
  const review = await time("full review", async () => {
    // As the button and `npm run review` do: as of now. (A fixed asOf would
    // turn into a review of the past once a run starts a minute after it,
    // which reads facts from history instead of the rollups.)
    const result = await runReviewAs(null);
    flaggedByReview = result.totals.byRule["past-its-time"]?.count ?? 0;
  });
  let flaggedByFloor = 0;
  const floor = await time("SQL floor (past-its-time only)", async () => {
    flaggedByFloor = await pastItsTimeFloor(asOf);
  });
  // What storing the flags costs by itself: the last review's flags copied,
  // inside the database, into a table with no index or constraint, then
  // rolled back. No review that stores its flags can be faster than this.
  let storedFlags = 0;
  const writeFloor = await time("write floor (the review's flags into a bare table)", async () => {
    await getConnection()
      .sql.transaction(async (tx) => {
        const [latest] = await tx.query<{ id: number }>(`SELECT max(id) AS id FROM "Review"`);
        await tx.exec(`CREATE TABLE "BenchWriteFloor" (LIKE "Flag")`);
        const [copied] = await tx.query<{ count: number }>(
          `WITH copied AS (INSERT INTO "BenchWriteFloor" SELECT * FROM "Flag" WHERE "reviewId" = $1 RETURNING 1)
           SELECT count(*)::int AS count FROM copied`,
          [latest?.id ?? 0],
        );
        storedFlags = copied?.count ?? 0;
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
  });
  const pageRuns = Math.max(runs, 5);
  const adminViewer: Viewer | null = admin ? { userId: admin.id, name: admin.name, role: "admin", teamId: null } : null;
  const rules = (await db.orgSettings.findUnique({ where: { id: 1 } }))?.rules ?? {};
  const pages = [
    await time(
      "rep pipeline page data (busiest rep)",
      async () => {
        // The rep's own manager (or an admin) sees it; an out-of-scope read would return null fast and flatter us.
        const pipeline = await getRepPipeline(repManager, repId, asOf);
        if (!pipeline) throw new Error("The rep pipeline read returned nothing: the viewer cannot see the rep.");
      },
      pageRuns,
    ),
    await time("team overview page data (manager)", () => getTeamOverview(managerViewer, { asOf, rules }), pageRuns),
  ];
  if (adminViewer) {
    pages.push(
      await time(
        "team overview page data (admin, all reps)",
        () => getTeamOverview(adminViewer, { asOf, rules }),
        pageRuns,
      ),
    );
  }

  const results = [review, floor, writeFloor, ...pages];
  console.log(`\nMedian of ${runs} runs (page data: ${pageRuns}) on ${describeTarget(resolveDatabaseTarget())}`);
  console.table(
    results.map((r) => ({
      measure: r.label,
      "median ms": Math.round(r.median),
      "min ms": Math.round(r.min),
      "max ms": Math.round(r.max),
      runs: r.runs,
    })),
  );
  const ratio = review.median / floor.median;
  console.log(
    `review / floor = ${ratio.toFixed(2)}× (target ≤ 3×) — review ${(review.median / 1000).toFixed(2)} s (target < 10 s)`,
  );
  console.log(`past-its-time flags: review ${flaggedByReview}, SQL floor ${flaggedByFloor}`);
  console.log(
    `storing the review's ${storedFlags} flags alone takes ${Math.round(writeFloor.median)} ms = ${(writeFloor.median / floor.median).toFixed(1)}× the floor`,
  );
  for (const r of pages) console.log(`${r.label}: ${Math.round(r.median)} ms (target < 200 ms)`);
}

main()
  .then(() => closeDb())
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    console.error(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    await closeDb().catch(() => undefined);
    process.exit(1);
  });
