// Runs once when the server starts: refuse to serve in production without the
// secrets the app needs, with a message that says what to set.
export function register() {
  if (process.env.NODE_ENV !== "production" || process.env.NEXT_PHASE === "phase-production-build") return;
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
