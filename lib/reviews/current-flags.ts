// Which flags are current, in one place for Prisma reads and raw SQL alike.
//
// A flag stops being current in one of two ways:
// - through its review: a later review over the same scope sets
//   Review.supersededAt once, and its flags (100,000 of them for a large
//   organisation) are left untouched;
// - by itself: re-evaluating a deal after an action or an import, or a team
//   review over part of an organisation review, sets Flag.supersededAt on
//   just those flags.
// Current means neither happened. When it stopped: the earlier of the two.
import type { Prisma } from "@/lib/generated/prisma/client";

export const currentFlagWhere = {
  supersededAt: null,
  OR: [{ reviewId: null }, { review: { supersededAt: null } }],
} satisfies Prisma.FlagWhereInput;

/**
 * The same test in SQL, for the flag table under `alias`. It also says that
 * a current flag is newer than the latest organisation review's
 * `flagsAfterId` — always true, as that review superseded every flag before
 * it — so that a deal's flags are looked up in the (opportunityId, id) index
 * from there instead of through its whole history.
 */
export function currentFlagSql(alias: string): string {
  return `(${alias}."supersededAt" IS NULL
    AND ${alias}.id > coalesce((SELECT cr."flagsAfterId" FROM "Review" cr WHERE cr."teamId" IS NULL ORDER BY cr.id DESC LIMIT 1), 0)
    AND (${alias}."reviewId" IS NULL OR ${alias}."reviewId" IN (SELECT cr.id FROM "Review" cr WHERE cr."supersededAt" IS NULL)))`;
}

/** Select this with a flag to know when it stopped being current (flagEndedAt). */
export const flagEndSelect = {
  supersededAt: true,
  review: { select: { supersededAt: true } },
} as const satisfies Prisma.FlagSelect;

export function flagEndedAt(flag: {
  supersededAt: Date | null;
  review: { supersededAt: Date | null } | null;
}): Date | null {
  const own = flag.supersededAt;
  const viaReview = flag.review?.supersededAt ?? null;
  if (own === null) return viaReview;
  if (viaReview === null) return own;
  return own.getTime() <= viaReview.getTime() ? own : viaReview;
}

/**
 * Writers of flags take turns: a review holds this lock alone, re-evaluations
 * share it. Without it, two reviews running at once on PostgreSQL would each
 * supersede only what was committed before them and both stay current, and
 * a deal acted on during a review would keep two sets of current flags.
 * (PGlite runs one transaction at a time anyway.) Transaction-scoped: it is
 * released at commit or rollback.
 */
const FLAG_WRITERS_LOCK = 4_211_306;

export function lockFlagsForReviewSql(): string {
  return `SELECT true AS locked FROM pg_advisory_xact_lock(${FLAG_WRITERS_LOCK})`;
}

export function lockFlagsForReevaluationSql(): string {
  return `SELECT true AS locked FROM pg_advisory_xact_lock_shared(${FLAG_WRITERS_LOCK})`;
}
