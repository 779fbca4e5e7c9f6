// Runs once when the server starts: refuse to serve in production without the
// secrets the app needs, with a message that says what to set; then start the
// daily jobs (the organisation's review at its set time, lib/schedule).
export async function register() {
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.NODE_ENV === "production") {
    const missing: string[] = [];
    if (!process.env.BETTER_AUTH_SECRET || process.env.BETTER_AUTH_SECRET.length < 32) {
      missing.push("BETTER_AUTH_SECRET (at least 32 random characters, e.g. `openssl rand -base64 32`)");
    }
    if (missing.length) {
      throw new Error(
        `Pipeline Integrity cannot start: set ${missing.join(" and ")}. ` +
          "npm run demo sets one for you; a production server needs its own (see README, Sign-in).",
      );
    }
  }
  // The scheduler needs Node (database drivers, timers); the edge runtime has neither.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startDailyJobs } = await import("@/lib/schedule/start");
    startDailyJobs();
  }
}
