// Which flags are current, in one place for Prisma reads and raw SQL alike.
//
// A flag is an episode (model Flag): current from the review or
// re-evaluation that found it until the review or action that cleared it
// sets endedAt. Current = endedAt is null; the partial unique indexes on
// current episodes (migration 20261206001000_flag_episodes) serve both tests.
import type { Prisma } from "@/lib/generated/prisma/client";

export const currentFlagWhere = { endedAt: null } satisfies Prisma.FlagWhereInput;

/** The same test in SQL, for the flag table under `alias`. */
export function currentFlagSql(alias: string): string {
  return `(${alias}."endedAt" IS NULL)`;
}

/**
 * Flagged at `at`: the episode had started and not yet ended. Episodes start
 * and end at as-of instants, so this reads history as of any date.
 */
export function flaggedAtWhere(at: Date): Prisma.FlagWhereInput {
  return { startedAt: { lte: at }, OR: [{ endedAt: null }, { endedAt: { gt: at } }] };
}

/** The same test in SQL; `param` is the placeholder holding the instant (e.g. "$2"). */
export function flaggedAtSql(alias: string, param: string): string {
  return `(${alias}."startedAt" <= ${param} AND (${alias}."endedAt" IS NULL OR ${alias}."endedAt" > ${param}))`;
}

/**
 * Writers of flags take turns: a review holds this lock alone, re-evaluations
 * share it. Without it, two reviews running at once on PostgreSQL would each
 * compare against only what was committed before them and both start the
 * same episode, and a deal acted on during a review could end up with an
 * episode the review had just ended. (PGlite runs one transaction at a time
 * anyway.) Transaction-scoped: it is released at commit or rollback.
 */
const FLAG_WRITERS_LOCK = 4_211_306;

export function lockFlagsForReviewSql(): string {
  return `SELECT true AS locked FROM pg_advisory_xact_lock(${FLAG_WRITERS_LOCK})`;
}

export function lockFlagsForReevaluationSql(): string {
  return `SELECT true AS locked FROM pg_advisory_xact_lock_shared(${FLAG_WRITERS_LOCK})`;
}
