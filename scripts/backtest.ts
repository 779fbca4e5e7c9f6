// npm run backtest [-- --as-of YYYY-MM-DD] [--window-days 365] [--team "Team name"]
// Replays the stale-deal rules over every deal closed in the window and prints,
// per rule and threshold, how the deals each would have flagged ended against
// the deals it never flagged (lib/backtest). Reads only; writes nothing.
// Exit codes: 0 printed, 1 failed, 2 the command line was wrong.
import { BACKTEST_USAGE, backtestCommand, UsageError } from "@/lib/backtest/command";
import { closeDb } from "@/lib/db";

backtestCommand(process.argv.slice(2))
  .then(async ({ text }) => {
    console.log(text);
    await closeDb();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    await closeDb().catch(() => undefined);
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${BACKTEST_USAGE}`);
      process.exit(2);
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Back-test failed: ${message}`);
    if (/relation .* does not exist/.test(message))
      console.error("The database is not set up yet: run npm run db:migrate first.");
    process.exit(1);
  });
