// npm run bench [-- --runs 5 --deals 100000 --activities 2000000 --reps 2000 --days 30 --fresh --reviews-only --first-only]
//
// Generates (or reuses) a large organisation — by default 100,000 open deals
// and 2,000,000 activities across 2,000 reps — on the embedded database in
// ./data/bench (or the PostgreSQL server DATABASE_URL names), then times over
// several runs and prints the median of each:
//   - the first review (all rules, all open deals, flags and snapshots stored),
//     each run from the same tables with no flag and no judgement state, so
//     every run judges every deal and starts every episode, with each step's
//     wall/CPU time and the GC pauses (scripts/bench/first-review.ts);
//   - the engine alone: the pure rules over the review's loaded deals (the
//     wall-clock check that used to sit in a unit test);
//   - the floor: one hand-written SQL query computing only the past-its-time
//     verdict, exactly as the engine does (UTC calendar days, the same
//     lookback, windows, team → organisation → default cycle and managers'
//     keeps), returning the deal ids. The bench compares them with the
//     review's past-its-time deals and fails (exit 1, the differing ids) when
//     the two sets differ: a floor that computes another rule measures nothing;
//   - the write floor: the review's flags serialised to JSON as the review
//     does and inserted into a copy of the Flag table with its indexes
//     (rolled back) — what storing them costs before any rule is computed;
//   - the history path: a review as of 30 days before (facts from history);
//   - the page data of one rep's pipeline and of the team overview;
//   - daily reviews (scripts/bench/daily-reviews.ts): a review each day for
//     --days days, each after ~2% of the open deals changed; the repeat
//     review's time and the flag rows the month leaves.
// It ends with the lines issue 13 names (targets: first review ≤ 6×, repeat
// review ≤ 2× the floor plus the write floor; flag rows ≤ 1.5× one review's),
// then the lines other areas measure in scripts/bench/<name>.ts.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import type { Viewer } from "@/lib/auth/viewer";
import { closeDb, db, getConnection } from "@/lib/db";
import { maintainTables, maintenanceSwitchedOff, tablePages } from "@/lib/db/maintenance";
import { describeTarget, resolveDatabaseTarget } from "@/lib/db/target";
import { flagRows } from "@/lib/reviews/evaluate";
import { writeJudgements } from "@/lib/reviews/judgements";
import { runReviewAs } from "@/lib/reviews/run";
import { evaluateDeals } from "@/lib/rules/deal-rules";
import { DEFAULT_RULE_SETTINGS } from "@/lib/rules/settings";
import { getRepPipeline } from "@/lib/deals/rep-pipeline";
import { getTeamOverview } from "@/lib/overview/data";
import { benchAdminOverview } from "./bench/overview";
import { benchMeetingAgenda } from "./bench/meeting";
import { measureReimport } from "./bench/reimport";
import { measureDailyReviews } from "./bench/daily-reviews";
import { benchBacktest } from "./bench/backtest";
import { measureFirstReviews, medianPhasesLine } from "./bench/first-review";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    deals: { type: "string", default: "100000" },
    activities: { type: "string", default: "2000000" },
    reps: { type: "string", default: "2000" },
    days: { type: "string", default: "30" },
    fresh: { type: "boolean", default: false },
    /** Only the reviews (first, floors, history, daily): skips the pages, overview, meeting, re-import and backtest. */
    "reviews-only": { type: "boolean", default: false },
    /** Only the first review and the floors it is measured against (with its steps): ends with its ratio line. */
    "first-only": { type: "boolean", default: false },
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

/** Times fn `count` times; fn may return the milliseconds of its timed part (set-up left out). */
async function time(label: string, fn: () => Promise<unknown>, count = runs) {
  const samples: number[] = [];
  // CPU time of this process (on PGlite the database's too), the whole call: a busy machine inflates it far less.
  const cpuSamples: number[] = [];
  for (let run = 0; run < count; run++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const timed = await fn();
    const used = process.cpuUsage(cpu);
    cpuSamples.push((used.user + used.system) / 1000);
    samples.push(typeof timed === "number" ? timed : performance.now() - started);
    process.stdout.write(`  ${label}: run ${run + 1}/${count} ${samples.at(-1)?.toFixed(0)} ms\n`);
  }
  return {
    label,
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    runs: count,
    cpuMedian: median(cpuSamples),
  };
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
 * The floor: only the past-its-time rule, in one SQL statement, the same
 * verdict as the engine (lib/rules/deal-rules.ts pastItsTime with
 * lib/rules/statistics.ts averageCycles and lib/rules/waivers.ts):
 * - days are UTC calendar days: (instant AT TIME ZONE 'UTC')::date;
 * - won deals count if won at or before asOf and no more than lookbackDays
 *   calendar days before asOf's day (that day included), for the team that
 *   won them (closedTeamId); cycle = closed day − opened day, negatives dropped;
 * - mean per team with at least minSample wins, else the organisation's
 *   (at least minSample), else the default cycle; never below 1 day; unrounded;
 * - age (asOf's day − opened day) > multiple × cycle, unless the last buyer
 *   activity and the last forward move (at or before asOf) are within their
 *   windows, counted in calendar days;
 * - a manager's keep in effect on asOf's day (granted by asOf, not replaced by
 *   then, until ≥ asOf's day, capped at maxKeepWaiverDays from the grant day)
 *   holds the flag back. "Waiting on buyer" does not touch this rule.
 * Reads the rollups, so it matches a review "as of now" (not from history).
 */
async function pastItsTimeFloor(asOf: Date): Promise<number[]> {
  const s = DEFAULT_RULE_SETTINGS;
  const day = (column: string) => `((${column}) AT TIME ZONE 'UTC')::date`;
  const rows = await getConnection().sql.query<{ id: number }>(
    `WITH params AS (SELECT ${day("$1::timestamptz")} AS as_of_day),
     won AS (
       SELECT o."closedTeamId" AS team_id, ${day('o."closedAt"')} - ${day('o."openedAt"')} AS days
         FROM "Opportunity" o, params p
        WHERE o.status = 'won' AND o."closedAt" <= $1 AND o."openedAt" <= $1
          AND p.as_of_day - ${day('o."closedAt"')} <= $2
          AND ${day('o."closedAt"')} >= ${day('o."openedAt"')}
     ), org AS (
       SELECT CASE WHEN count(*) >= $3 THEN greatest(1, avg(days)::float8) ELSE $4::float8 END AS days FROM won
     ), team AS (
       SELECT w.team_id, greatest(1, avg(w.days)::float8) AS days
         FROM won w JOIN "Team" t ON t.id = w.team_id
        GROUP BY w.team_id HAVING count(*) >= $3
     )
     SELECT o.id
       FROM "Opportunity" o
       JOIN "User" u ON u.id = o."ownerId"
       LEFT JOIN team t ON t.team_id = u."teamId"
       CROSS JOIN org CROSS JOIN params p
      WHERE o.status = 'open' AND o."openedAt" <= $1
        AND (p.as_of_day - ${day('o."openedAt"')}) > $5::float8 * coalesce(t.days, org.days)
        AND NOT (coalesce(o."lastBuyerActivityAt" <= $1 AND p.as_of_day - ${day('o."lastBuyerActivityAt"')} <= $6, false)
             AND coalesce(o."lastForwardMoveAt" <= $1 AND p.as_of_day - ${day('o."lastForwardMoveAt"')} <= $7, false))
        AND NOT EXISTS (
          SELECT 1 FROM "Waiver" w
           WHERE w."opportunityId" = o.id AND w.kind = 'manager_keep'
             AND w."createdAt" <= $1 AND (w."endedAt" IS NULL OR w."endedAt" > $1)
             AND least(w.until, ${day('w."createdAt"')} + $8::int) >= p.as_of_day)
      ORDER BY o.id`,
    [
      asOf,
      s.lookbackDays,
      s.minSample,
      s.defaultCycleDays,
      s.pastItsTimeMultiple,
      s.buyerActivityWithinDays,
      s.forwardMoveWithinDays,
      s.maxKeepWaiverDays,
    ],
  );
  return rows.map((row) => Number(row.id));
}

/** Ids in one set and not the other, both ways, for the failure message. */
function difference(review: readonly number[], floor: readonly number[]) {
  const inFloor = new Set(floor);
  const inReview = new Set(review);
  return {
    reviewOnly: review.filter((id) => !inFloor.has(id)),
    floorOnly: floor.filter((id) => !inReview.has(id)),
  };
}

/** The tables a review or an import rewrites, whose size the bench prints before and after its setup's VACUUM. */
const REWRITTEN_TABLES = [
  "Opportunity",
  "Activity",
  "Flag",
  "DealJudgement",
  "RepFigures",
  "PipelineSnapshot",
  "TeamWeekTotals",
  "Review",
];

/**
 * Untimed setup: every table vacuumed and analyzed (on PGlite; a server's
 * autovacuum does it there), so every measure — the floors included — reads
 * the same tables whatever earlier runs left behind. The reviews measured
 * then do their own maintenance, timed, as the product does (lib/db/maintenance.ts).
 */
async function setUpTables(): Promise<void> {
  const connection = getConnection();
  const before = await tablePages(connection, REWRITTEN_TABLES);
  const report = await maintainTables(connection, { force: true });
  const after = await tablePages(connection, REWRITTEN_TABLES);
  const sizes = REWRITTEN_TABLES.map((table) => `${table} ${before.get(table)} → ${after.get(table)}`).join(", ");
  console.log(
    report.skipped
      ? `Setup: no VACUUM (${report.skipped}); pages: ${sizes}`
      : `Setup (untimed): VACUUM (ANALYZE) of ${report.vacuum.length} tables; pages before → after: ${sizes}`,
  );
  console.log(
    `Table maintenance after each review: ${maintenanceSwitchedOff() ? "OFF (PIPELINE_TABLE_MAINTENANCE=off)" : "on"}\n`,
  );
}

class RolledBack extends Error {}

async function main() {
  await ensureOrganisation();
  await setUpTables();
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

  const firstReviews = await measureFirstReviews(runs, (line) => process.stdout.write(`${line}\n`));
  const review = {
    label: "first review (no flags before it)",
    median: median(firstReviews.runs.map((run) => run.ms)),
    min: Math.min(...firstReviews.runs.map((run) => run.ms)),
    max: Math.max(...firstReviews.runs.map((run) => run.ms)),
    runs,
    cpuMedian: median(firstReviews.runs.map((run) => run.cpuMs)),
  };
  const reviewResult = firstReviews.last;
  const { evaluation } = reviewResult;
  const reviewRow = await db.review.findUniqueOrThrow({ where: { id: reviewResult.reviewId } });
  const reviewAsOf = reviewRow.asOf;
  const flaggedByReview = evaluation.dealVerdicts
    .filter((verdict) => verdict.flags.some((flag) => flag.rule === "past-its-time"))
    .map((verdict) => verdict.dealId)
    .sort((a, b) => a - b);

  const engine = await time(
    `engine alone (pure rules over the review's ${evaluation.deals.length} deals)`,
    async () => {
      evaluateDeals(evaluation.deals, evaluation.context, evaluation.settings, reviewAsOf);
    },
  );

  let flaggedByFloor: number[] = [];
  const floor = await time("SQL floor (past-its-time only)", async () => {
    flaggedByFloor = await pastItsTimeFloor(reviewAsOf);
  });
  const { reviewOnly, floorOnly } = difference(flaggedByReview, flaggedByFloor);
  if (reviewOnly.length > 0 || floorOnly.length > 0) {
    console.error(
      `\nThe SQL floor and the review disagree on past-its-time: review ${flaggedByReview.length} deals, floor ${flaggedByFloor.length}.\n` +
        `  flagged by the review only (${reviewOnly.length}): ${reviewOnly.slice(0, 50).join(", ")}${reviewOnly.length > 50 ? " …" : ""}\n` +
        `  flagged by the floor only (${floorOnly.length}): ${floorOnly.slice(0, 50).join(", ")}${floorOnly.length > 50 ? " …" : ""}`,
    );
    throw new Error("The floor does not compute the review's verdict; its time measures nothing.");
  }

  // What storing the flags costs by itself: the review's flags serialised to
  // JSON as the review does, parsed and inserted into a copy of the Flag table
  // with its indexes, then rolled back. No review that stores its flags can be
  // faster than this.
  const flags = flagRows(evaluation);
  const writeFloor = await time(
    "write floor (the review's flags serialised into an indexed copy of Flag)",
    async () => {
      await getConnection()
        .sql.transaction(async (tx) => {
          await tx.exec(`CREATE TEMP TABLE "BenchWriteFloor" (LIKE "Flag" INCLUDING DEFAULTS INCLUDING INDEXES)`);
          for (let start = 0; start < flags.length; start += 20_000) {
            const document = JSON.stringify(
              flags.slice(start, start + 20_000).map((row) => ({
                opportunity_id: row.opportunityId,
                user_id: row.userId,
                team_id: row.teamId,
                rule: row.flag.rule,
                severity: row.flag.severity,
                explanation: row.flag.explanation,
                metrics: row.flag.metrics,
              })),
            );
            await tx.query(
              `INSERT INTO "BenchWriteFloor" ("opportunityId", "userId", "teamId", rule, severity, explanation, metrics, "asOf", "createdAt", "startedAt")
             SELECT t.opportunity_id, t.user_id, t.team_id, t.rule, t.severity::"Severity", t.explanation, t.metrics, $1, $1, $1
               FROM json_to_recordset($2::text::json)
                 AS t(opportunity_id int, user_id text, team_id text, rule text, severity text, explanation text, metrics jsonb)`,
              [reviewAsOf, document],
            );
          }
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        });
    },
  );
  // What the first review adds for the next one: the judgement state of every
  // deal it judged (lib/reviews/judgements.ts), written again into an empty
  // table, then rolled back. Part of the first review's time above, shown apart.
  const judgementWrite = await time("judgement state write (part of the first review)", async () => {
    let ms = 0;
    await getConnection()
      .sql.transaction(async (tx) => {
        await tx.exec(`DELETE FROM "DealJudgement"`);
        const started = performance.now();
        await writeJudgements((text, params) => tx.query(text, params), evaluation, reviewAsOf);
        ms = performance.now() - started;
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    return ms;
  });
  const storedFlags = flags.length;
  const firstReviewLines = [
    `first review, where the time went (median wall/CPU ms of ${runs} runs): ${medianPhasesLine(firstReviews.runs)}`,
    `first review: GC pauses per run ${firstReviews.runs.map((run) => run.gcMs.toFixed(0)).join(", ")} ms; ` +
      `CPU per run ${firstReviews.runs.map((run) => run.cpuMs.toFixed(0)).join(", ")} ms`,
  ];
  if (values["first-only"]) {
    const first = [review, engine, floor, writeFloor, judgementWrite];
    console.log(`\nMedian of ${runs} runs on ${describeTarget(resolveDatabaseTarget())}`);
    console.table(
      first.map((r) => ({
        measure: r.label,
        "median ms": Math.round(r.median),
        "min ms": Math.round(r.min),
        "max ms": Math.round(r.max),
        runs: r.runs,
        "median CPU ms": Math.round(r.cpuMedian),
      })),
    );
    for (const line of firstReviewLines) console.log(line);
    console.log(
      `floor ${Math.round(floor.median)} ms + write floor ${Math.round(writeFloor.median)} ms (the review's ${storedFlags} flags) = ${Math.round(floor.median + writeFloor.median)} ms`,
    );
    console.log(
      `by CPU time: review / (floor + write floor) = ${(review.cpuMedian / (floor.cpuMedian + writeFloor.cpuMedian)).toFixed(2)}×`,
    );
    console.log(
      `\nreview / (floor + write floor) = ${(review.median / (floor.median + writeFloor.median)).toFixed(2)}×`,
    );
    return;
  }
  const pageRuns = Math.max(runs, 5);
  const adminViewer: Viewer | null = admin ? { userId: admin.id, name: admin.name, role: "admin", teamId: null } : null;
  const rules = (await db.orgSettings.findUnique({ where: { id: 1 } }))?.rules ?? {};
  const reviewsOnly = values["reviews-only"];
  const pages = reviewsOnly
    ? []
    : [
        await time(
          "rep pipeline page data (busiest rep)",
          async () => {
            // The rep's own manager (or an admin) sees it; an out-of-scope read would return null fast and flatter us.
            const pipeline = await getRepPipeline(repManager, repId, asOf);
            if (!pipeline) throw new Error("The rep pipeline read returned nothing: the viewer cannot see the rep.");
          },
          pageRuns,
        ),
        await time(
          "team overview page data (manager)",
          () => getTeamOverview(managerViewer, { asOf, rules }),
          pageRuns,
        ),
      ];
  if (adminViewer && !reviewsOnly) {
    pages.push(
      await time(
        "team overview page data (admin, all reps)",
        () => getTeamOverview(adminViewer, { asOf, rules }),
        pageRuns,
      ),
    );
  }

  // The history path: a review as of 30 days before, facts read from history
  // (deals open then, their stage and amount then, activities up to then).
  const historyAsOf = new Date(reviewAsOf.getTime() - 30 * 86_400_000);
  let historyDeals = 0;
  const history = await time("review as of 30 days before (history path)", async () => {
    const result = await runReviewAs(null, { asOf: historyAsOf });
    historyDeals = result.evaluation.deals.length;
  });

  // Daily reviews from today on: the repeat review's time and the rows a month leaves.
  const days = Math.max(2, Number(values.days));
  console.log(`daily reviews: ${days} days, ~2% of the open deals changed before each`);
  // Before the daily reviews: they leave reviews dated up to --days ahead.
  const adminOverviewLine = reviewsOnly ? "" : await benchAdminOverview(pageRuns, asOf);
  const pagesBeforeDaily = await tablePages(getConnection(), REWRITTEN_TABLES);
  const daily = await measureDailyReviews({
    firstAsOf: new Date(),
    days,
    share: 0.02,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  // Files never shrink (VACUUM frees space inside them for new rows): pages
  // after the days are the most the tables needed during them.
  const pagesAfterDaily = await tablePages(getConnection(), REWRITTEN_TABLES);
  console.log(
    `  table pages before → after the daily reviews: ${REWRITTEN_TABLES.map((table) => `${table} ${pagesBeforeDaily.get(table)} → ${pagesAfterDaily.get(table)}`).join(", ")}`,
  );
  const repeat = {
    label: `repeat review (next day, ${daily.changedPerDay} deals changed)`,
    median: median(daily.repeatMs),
    min: Math.min(...daily.repeatMs),
    max: Math.max(...daily.repeatMs),
    runs: daily.repeatMs.length,
    cpuMedian: median(daily.repeatCpuMs),
  };

  const results = [review, repeat, engine, floor, writeFloor, judgementWrite, history, ...pages];
  console.log(
    `\nMedian of ${runs} runs (page data: ${pageRuns}; repeat review: ${repeat.runs} days) on ${describeTarget(resolveDatabaseTarget())}`,
  );
  console.table(
    results.map((r) => ({
      measure: r.label,
      "median ms": Math.round(r.median),
      "min ms": Math.round(r.min),
      "max ms": Math.round(r.max),
      runs: r.runs,
      "median CPU ms": Math.round(r.cpuMedian),
    })),
  );
  console.log(
    `past-its-time deals: review ${flaggedByReview.length}, SQL floor ${flaggedByFloor.length} — the same ${flaggedByFloor.length} deal ids`,
  );
  console.log(
    `engine alone: ${Math.round(engine.median)} ms for ${evaluation.deals.length} deals; history path: ${(history.median / 1000).toFixed(2)} s for the ${historyDeals} deals open on ${historyAsOf.toISOString().slice(0, 10)}`,
  );
  console.log(
    `floor ${Math.round(floor.median)} ms + write floor ${Math.round(writeFloor.median)} ms (the review's ${storedFlags} flags) = ${Math.round(floor.median + writeFloor.median)} ms`,
  );
  console.log(
    `the ${repeat.runs} repeat reviews wrote: ${daily.episodes.started} episodes started, ${daily.episodes.ended} ended, ${daily.episodes.changed} updated in place; ` +
      `flags: ${daily.flagsOfFirstReview} found by the first review, ${daily.flagsOfOneReview} by the last, ${daily.flagRowsAfter} rows in all`,
  );
  console.log(
    `repeat review CPU time (this process; on PGlite the database's work too): median ${Math.round(median(daily.repeatCpuMs))} ms ` +
      `over ${daily.repeatCpuMs.length} days = ${((median(daily.repeatCpuMs) / Math.max(1, daily.firstCpuMs)) * 100).toFixed(0)}% ` +
      `of the first review's ${Math.round(daily.firstCpuMs)} ms (same run: a ratio the machine's load moves little)`,
  );
  for (const line of firstReviewLines) console.log(line);
  const floorsCpu = floor.cpuMedian + writeFloor.cpuMedian;
  console.log(
    `by CPU time: review / (floor + write floor) = ${(review.cpuMedian / floorsCpu).toFixed(2)}×, ` +
      `repeat review / (floor + write floor) = ${(repeat.cpuMedian / floorsCpu).toFixed(2)}×`,
  );
  for (const r of pages) console.log(`${r.label}: ${Math.round(r.median)} ms (target < 200 ms)`);
  if (!reviewsOnly) console.log(await benchBacktest());

  // The closing lines (issue 13), in this order.
  const floors = floor.median + writeFloor.median;
  console.log(`\nreview / (floor + write floor) = ${(review.median / floors).toFixed(2)}×`);
  console.log(
    `repeat review (next day, ${daily.changedPerDay} deals changed) / (floor + write floor) = ${(repeat.median / floors).toFixed(2)}×`,
  );
  console.log(
    `flag rows after ${days} daily reviews / flags of one review = ${(daily.flagRowsAfter / Math.max(1, daily.flagsOfOneReview)).toFixed(2)}×`,
  );
  if (reviewsOnly) return;
  console.log(adminOverviewLine);
  console.log(await benchMeetingAgenda({ runs: pageRuns, asOf }));
  console.log(await measureReimport());
}

main()
  .then(() => closeDb())
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    console.error(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    await closeDb().catch(() => undefined);
    process.exit(1);
  });
