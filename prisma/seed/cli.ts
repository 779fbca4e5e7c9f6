// npm run db:seed [-- --reset | --if-empty] [--seed N] [--today YYYY-MM-DD]
//                   [--deals N] [--closed N] [--activities N] [--reps N]
//
// Loads the demo organisation (or a benchmark-sized one) into the database
// DATABASE_URL names — embedded PGlite in ./data/pglite when unset. Applies
// migrations first, so it works on a fresh database. Deterministic: the same
// seed, day and sizes give the same data. Dates are relative to --today
// (default: today, UTC), so the demo always looks current.
//
//   npm run db:seed                      demo organisation, on an empty database
//   npm run db:seed -- --reset           replace everything with the demo
//   npm run db:seed -- --if-empty        load only if there are no deals yet
//   npm run db:seed -- --reset --deals 100000 --activities 2000000 --reps 2000
import { parseArgs } from "node:util";
import { hashPassword } from "better-auth/crypto";
import cliProgress from "cli-progress";
import { DEMO_PASSWORD } from "../../lib/auth/demo";
import { getConnection } from "../../lib/db";
import { applyMigrations, readMigrations } from "../../lib/db/migrate";
import { describeTarget } from "../../lib/db/target";
import { refreshRepFigures } from "../../lib/figures/mutations";
import { runReview } from "../../lib/reviews/mutations";
import { currentUtcDate, parseDay } from "./calendar";
import { DEMO_DEFAULTS, type DemoOptions, defaultClosedDeals, validateDemoOptions } from "./generate";
import { countExisting, type LoadProgress, loadDemoOrganisation } from "./load";
import { inThreadSource, workerSource } from "./statement-sources";
import { DEMO_STORIES } from "./stories";

const USAGE = `Usage: npm run db:seed -- [--reset | --if-empty] [--seed N] [--today YYYY-MM-DD]
                          [--deals N] [--closed N] [--activities N] [--reps N]

  --reset         empty every table first (all data is replaced by the demo)
  --if-empty      do nothing when the database already has deals or people
  --seed N        random seed (default ${DEMO_DEFAULTS.seed}); same seed, same data
  --today DATE    the day the data is relative to (default: today, UTC)
  --deals N       open deals in today's pipeline (default ${DEMO_DEFAULTS.openDeals})
  --closed N      deals closed over the last two years (default: 110 per rep, at most 60,000)
  --activities N  activities in total, buyer and seller (default ${DEMO_DEFAULTS.activities})
  --reps N        sales reps, in teams of about nine (default ${DEMO_DEFAULTS.reps}, at least 12)
  --no-worker     generate in the main thread (slower; for debugging)
  --no-review     leave the organisation unreviewed (the loaded demo is reviewed once, so its
                  first screen is true; a benchmark measures its own first review)

  SEED_TIMINGS=1 prints where the time went.`;

class UsageError extends Error {}

interface CliOptions {
  demo: DemoOptions;
  reset: boolean;
  ifEmpty: boolean;
  /** Generate in a worker thread, one batch ahead of the database. */
  worker: boolean;
  /** Run the organisation's first review after loading. */
  review: boolean;
}

function parseCommandLine(argv: string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        reset: { type: "boolean" },
        "if-empty": { type: "boolean" },
        seed: { type: "string" },
        today: { type: "string" },
        deals: { type: "string" },
        closed: { type: "string" },
        activities: { type: "string" },
        reps: { type: "string" },
        "no-worker": { type: "boolean" },
        "no-review": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.reset && values["if-empty"]) throw new UsageError("Use --reset or --if-empty, not both.");
  const whole = (name: string, fallback: number): number => {
    const text = values[name];
    if (text === undefined) return fallback;
    const value = Number(String(text).replace(/_/g, ""));
    if (!Number.isSafeInteger(value) || value < 0)
      throw new UsageError(`--${name} must be a whole number, not "${text}".`);
    return value;
  };
  const today = typeof values.today === "string" ? values.today : currentUtcDate();
  try {
    parseDay(today);
  } catch (error) {
    throw new UsageError(`--today: ${error instanceof Error ? error.message : String(error)}`);
  }
  const reps = whole("reps", DEMO_DEFAULTS.reps);
  const demo: DemoOptions = {
    seed: whole("seed", DEMO_DEFAULTS.seed),
    today,
    openDeals: whole("deals", DEMO_DEFAULTS.openDeals),
    closedDeals: whole("closed", defaultClosedDeals(reps)),
    activities: whole("activities", DEMO_DEFAULTS.activities),
    reps,
  };
  try {
    validateDemoOptions(demo);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    reset: Boolean(values.reset),
    ifEmpty: Boolean(values["if-empty"]),
    worker: !values["no-worker"],
    review: !values["no-review"],
    demo,
  };
}

/** A bar on a terminal; a line every few seconds in CI logs and pipes. */
function progressReporter() {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  if (process.stdout.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: "  {phase} |{bar}| {value}/{total} deals · {rows} rows · {duration_formatted}",
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let running = false;
    return {
      update(progress: LoadProgress) {
        const payload = { phase: progress.phase.padEnd(8), rows: progress.rowsWritten.toLocaleString("en-US") };
        if (!running) {
          bar.start(progress.dealsTotal, progress.dealsWritten, payload);
          running = true;
        } else {
          bar.update(progress.dealsWritten, payload);
        }
      },
      stop() {
        if (running) bar.stop();
      },
    };
  }
  let lastPrinted = 0;
  let lastPhase = "";
  return {
    update(progress: LoadProgress) {
      const now = performance.now();
      if (progress.phase === lastPhase && now - lastPrinted < 3000) return;
      lastPrinted = now;
      lastPhase = progress.phase;
      const percent = progress.dealsTotal ? Math.floor((100 * progress.dealsWritten) / progress.dealsTotal) : 100;
      console.log(
        `  ${progress.phase}: ${progress.dealsWritten.toLocaleString("en-US")}/${progress.dealsTotal.toLocaleString("en-US")} deals (${percent}%), ` +
          `${progress.rowsWritten.toLocaleString("en-US")} rows, ${seconds()}s`,
      );
    },
    stop() {},
  };
}

function secondsBetween(from: number, to: number): string {
  return ((to - from) / 1000).toFixed(1);
}

async function main(): Promise<number> {
  const options = parseCommandLine(process.argv.slice(2));
  const connection = getConnection();
  try {
    const started = performance.now();
    console.log(`Database: ${describeTarget(connection.target)}`);
    const migrated = await applyMigrations(connection.sql, await readMigrations());
    if (migrated.applied.length > 0)
      console.log(`Applied ${migrated.applied.length} migration(s): ${migrated.applied.join(", ")}`);

    const existing = await countExisting(connection.sql);
    const hasData = existing.opportunities > 0 || existing.users > 0;
    if (hasData && options.ifEmpty) {
      console.log(
        `The database already has ${existing.opportunities.toLocaleString("en-US")} opportunities and ` +
          `${existing.users.toLocaleString("en-US")} people; leaving it as it is (--if-empty).`,
      );
      return 0;
    }
    if (hasData && !options.reset) {
      console.error(
        `The database already has ${existing.opportunities.toLocaleString("en-US")} opportunities and ` +
          `${existing.users.toLocaleString("en-US")} people. Run with --reset to replace everything with the demo ` +
          "organisation, or --if-empty to keep what is there.",
      );
      return 1;
    }

    const ready = performance.now();
    const { demo } = options;
    console.log(
      `Generating the demo organisation as of ${demo.today} (seed ${demo.seed}): ${demo.reps.toLocaleString("en-US")} reps, ` +
        `${demo.openDeals.toLocaleString("en-US")} open deals, ${demo.closedDeals.toLocaleString("en-US")} closed deals, ` +
        `${demo.activities.toLocaleString("en-US")} activities…`,
    );
    const source = options.worker ? workerSource(demo) : inThreadSource(demo);
    const progress = progressReporter();
    let result: Awaited<ReturnType<typeof loadDemoOrganisation>>;
    try {
      result = await loadDemoOrganisation(connection.sql, source, {
        reset: options.reset,
        dealsTotal: demo.openDeals + demo.closedDeals,
        onProgress: (p) => progress.update(p),
        logTimings: Boolean(process.env.SEED_TIMINGS),
        demoPasswordHash: await hashPassword(DEMO_PASSWORD),
      });
    } finally {
      progress.stop();
      await source.close();
    }
    // The first review, as the daily one would run it: every screen is true from the start.
    const review = options.review
      ? await runReview(connection.sql, {
          actorId: null,
          teamId: null,
          asOf: new Date(),
          now: new Date(),
          fromHistory: false,
        })
      : null;
    // Unreviewed (a benchmark): the per-rep figures still count the open deals (the review keeps them otherwise).
    if (!review) await refreshRepFigures((sql, params) => connection.sql.query(sql, params), "everyone");
    const loaded = performance.now();
    await connection.close();
    const closed = performance.now();

    const { counts, summary } = result;
    const count = (table: string) => (counts[table] ?? 0).toLocaleString("en-US");
    console.log(
      [
        "",
        `Loaded the demo organisation "${summary.organisationName}" as of ${demo.today}:`,
        `  ${summary.teams} teams, ${count("User")} people, ${count("Quota")} quotas, ${count("Account")} accounts`,
        `  ${count("Opportunity")} opportunities (${summary.openDeals.toLocaleString("en-US")} open), ${count("Activity")} activities, ` +
          `${count("StageChange")} stage changes, ${count("CloseDateChange")} close-date changes, ` +
          `${count("AmountChange")} amount changes, ${count("PipelineSnapshot")} weekly snapshots`,
        review
          ? `  Reviewed: ${review.totals.flaggedDeals.toLocaleString("en-US")} of ${review.totals.openDeals.toLocaleString("en-US")} open deals flagged (review #${review.reviewId})`
          : "  Not reviewed yet (--no-review): run npm run review, or the server reviews at its daily time",
        `  Time: ${secondsBetween(started, closed)}s — opening and migrating the database ${secondsBetween(started, ready)}s, ` +
          `generating and writing ${secondsBetween(ready, loaded)}s, closing ${secondsBetween(loaded, closed)}s`,
        `  Sign in as any of them with the password "${DEMO_PASSWORD}", e.g. the manager ${DEMO_STORIES.firstManagerEmail},`,
        `  the admin ${DEMO_STORIES.adminEmail}, or a rep ${DEMO_STORIES.sampleRepEmail}; the sign-in page lists them.`,
      ].join("\n"),
    );
    return 0;
  } finally {
    // Closing twice is harmless; PGlite keeps Node alive until it is closed.
    await connection.close().catch(() => undefined);
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`\nLoading the demo organisation failed: ${error instanceof Error ? error.message : String(error)}`);
    console.error(
      "The load runs in one transaction, so a failed load leaves the data as it was. Fix the cause and run it again.",
    );
    if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
    process.exit(1);
  });
