// Shared by the incremental review's tests (incremental-review.test.ts,
// incremental-import.test.ts): a review, then a full review of the same
// as-of in a transaction that is rolled back. The full one must find nothing
// to write (no episode started, ended or changed), give the same totals, and
// leave the same current flags, snapshots and rep figures (recomputed from
// scratch for every rep).
import { expect } from "vitest";
import { getConnection } from "@/lib/db";
import type { Query } from "@/lib/db/bulk-sql";
import type { SqlRunner } from "@/lib/db/sql-runner";
import { refreshRepFigures } from "@/lib/figures/mutations";
import { runReview } from "@/lib/reviews/mutations";

export const sql = () => getConnection().sql;
export const query: Query = (text, params) => sql().query(text, params);

/** What a review leaves stored, in a comparable form. */
export async function storedState(run: Query) {
  const flags = await run(
    `SELECT "opportunityId" AS deal, "userId" AS rep, "teamId" AS team, rule, severity::text, explanation,
            metrics, "startedAt" AS started
       FROM "Flag" WHERE "endedAt" IS NULL
      ORDER BY rule, coalesce("opportunityId", 0), coalesce("userId", ''), coalesce("teamId", '')`,
  );
  const snapshots = await run(
    `SELECT "userId", "weekStart"::text, "openCount", "openValue"::text, "weightedValue"::text, "staleCount",
            "staleValue"::text, "newPipelineValue"::text, "wonValue"::text
       FROM "PipelineSnapshot" ORDER BY "userId", "weekStart"`,
  );
  const figures = (await run(`SELECT * FROM "RepFigures" ORDER BY "repId"`)).map((row) => {
    const { updatedAt: _updated, ...rest } = row as Record<string, unknown>;
    return JSON.parse(JSON.stringify(rest, (_key, value) => (typeof value === "bigint" ? String(value) : value)));
  });
  return { flags: JSON.parse(JSON.stringify(flags)), snapshots, figures };
}

class RolledBack extends Error {}

/** A full review of asOf in a transaction that is rolled back: `look` reads what it did before the rollback. */
async function inRolledBackFullReview<T>(
  asOf: Date,
  teamId: string | null,
  look: (result: Awaited<ReturnType<typeof runReview>>, run: Query) => Promise<T>,
): Promise<T> {
  let found: { value: T } | undefined;
  try {
    await sql().transaction(async (tx) => {
      const inside: SqlRunner = { query: tx.query, exec: tx.exec, transaction: (fn) => fn(inside) };
      const run: Query = (text, params) => tx.query(text, params);
      const result = await runReview(inside, {
        actorId: null,
        teamId,
        asOf,
        now: asOf,
        fromHistory: false,
        mode: "full",
      });
      found = { value: await look(result, run) };
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  if (!found) throw new Error("The full review did not run.");
  return found.value;
}

/** A full review of the same as-of, in a transaction that is rolled back: what it writes and leaves. */
export async function fullReviewOf(asOf: Date, teamId: string | null) {
  return inRolledBackFullReview(asOf, teamId, async (result, run) => {
    // Every rep's figures from scratch: a review refreshes only the owners of deals whose flags moved.
    await refreshRepFigures(run, "everyone");
    const { judged: _judged, ...totals } = result.totals;
    const { dealIds: _ids, ...episodes } = result.episodes;
    return { episodes: episodes as unknown, totals: totals as unknown, state: await storedState(run) };
  });
}

/** What a full review of the organisation as of asOf would still write (nothing, when the review before was right). */
export async function fullReviewWrites(asOf: Date) {
  return inRolledBackFullReview(asOf, null, async ({ episodes }) => ({
    started: episodes.started,
    ended: episodes.ended,
    changed: episodes.changed,
  }));
}

export async function reviewAndCompare(asOf: Date, teamId: string | null = null) {
  // The figures as the writers leave them: the tests' raw writes stand for actions and imports, which keep
  // RepFigures current in their own transactions, and the review reads the open pipeline from them
  // (lib/reviews/snapshots.ts, stored-totals.ts). Marking deals for judgement is still left to the review.
  await refreshRepFigures(query, "everyone");
  const result = await runReview(sql(), { actorId: null, teamId, asOf, now: asOf, fromHistory: false });
  const { judged, ...totals } = result.totals;
  await refreshRepFigures(query, "everyone");
  const stored = await storedState(query);
  const full = await fullReviewOf(asOf, teamId);
  expect(full.episodes, `a full review after the ${judged?.mode} one (${judged?.reason})`).toEqual({
    started: 0,
    ended: 0,
    changed: 0,
  });
  expect(totals).toEqual(full.totals);
  expect(stored).toEqual(full.state);
  return { judged, totals };
}
