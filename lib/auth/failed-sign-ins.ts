// Failed sign-ins per account, next to better-auth's per-address limit: an
// attacker who spreads guesses over many addresses still gets only a few
// tries at one person's password. Counted in the RateLimit table (the one
// better-auth uses), so every server instance shares the count.
//
// Counted by the email typed, whether or not such a person exists, so the
// answer never tells whether an account exists.
import { randomUUID } from "node:crypto";
import { type DbClient, db } from "@/lib/db";

/** Wrong passwords allowed for one account per window before it is refused for the rest of the window. */
export const ACCOUNT_FAILURES_ALLOWED = 5;
/** The same window as the per-address limit, so better-auth's clean-up of old rows never cuts a count short. */
export const ACCOUNT_FAILURE_WINDOW_SECONDS = 300;

const keyFor = (email: string) => `failed-sign-in|${email.trim().toLowerCase()}`;

/** Seconds until the account may try again, or null when it may try now. */
export async function accountLockedFor(email: string, now = Date.now(), client: DbClient = db): Promise<number | null> {
  const row = await client.rateLimit.findUnique({ where: { key: keyFor(email) } });
  if (!row || row.count < ACCOUNT_FAILURES_ALLOWED) return null;
  const endsAt = Number(row.lastRequest) + ACCOUNT_FAILURE_WINDOW_SECONDS * 1000;
  return endsAt > now ? Math.ceil((endsAt - now) / 1000) : null;
}

/**
 * One more wrong password for the account, in one statement so concurrent
 * guesses cannot both read the old count. A count older than the window
 * starts again at 1.
 */
export async function recordFailedSignIn(email: string, now = Date.now(), client: DbClient = db): Promise<void> {
  const windowStart = now - ACCOUNT_FAILURE_WINDOW_SECONDS * 1000;
  await client.$executeRaw`
    INSERT INTO "RateLimit" (id, key, count, "lastRequest")
    VALUES (${randomUUID()}, ${keyFor(email)}, 1, ${BigInt(now)})
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN "RateLimit"."lastRequest" <= ${BigInt(windowStart)} THEN 1 ELSE "RateLimit".count + 1 END,
      "lastRequest" = ${BigInt(now)}`;
}

/** A successful sign-in, or an administrator setting a new password, clears the account's count. */
export async function clearFailedSignIns(email: string, client: DbClient = db): Promise<void> {
  await client.rateLimit.deleteMany({ where: { key: keyFor(email) } });
}
