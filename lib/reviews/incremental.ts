// Which deals a review judges again. A review the day after the last one
// re-judges only the deals whose verdict may have moved since their last
// judgement (judgements.ts): new in scope or never judged, facts changed
// (marked by triggers), yardsticks moved (the context key of their team and
// stage today), or their recheck instant come (lib/rules/recheck.ts).
// Everything else keeps its current flags, which is what a full review would
// find again. Whenever the comparison could be wrong — a review of history,
// no earlier review to build on, the settings, a team's overrides or whether
// the organisation records activities changed — it judges every deal (a full
// review), and says which and why in the review's totals (totals.judged).
//
// The plan reads no deal it does not judge (but for the open deals' ids, to
// find those never judged). It once hashed every open deal with its owner and
// stage (a facts fingerprint, FACTS_KEY_SQL) and compared the hash with the
// judgement's: ~1 s a day at 100,000 open deals to find the ~2% that moved.
// The fingerprint is gone, not kept as a second check: the triggers of
// migration *_deal_judgement_marks mark a judgement on exactly the changes
// that moved the fingerprint (any write path, one statement at a time), and a
// cheap check would still have to read every deal. The fingerprint lives on
// as the oracle in tests/integration/judgement-marks.test.ts, which changes
// each column it read and checks the marks agree with it.
import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { columnRows, pgArray, type Query } from "@/lib/db/bulk-sql";
import { type YardsticksToday, yardsticksToday } from "@/lib/rules/recheck";
import { parseRuleSettings } from "@/lib/rules/settings";
import type { RuleBasis } from "./evaluate";
import { keyDigest, openInScopeSql } from "./judgements";

/** Why a deal is judged again. */
export type RejudgeReason = "new" | "facts" | "context" | "recheck";

/** Stored in Review.totals.judged: how the review judged and, for the next review, what it judged against. */
export interface JudgedTotals {
  mode: "full" | "incremental";
  /** Why a full review (the first condition that failed), or "changes only". */
  reason: string;
  /** Deals judged by this review. */
  deals: number;
  /** For an incremental review: deals judged, by why. */
  because?: Partial<Record<RejudgeReason, number>>;
  /** What the next review compares with (besides Review.settings). */
  basis: { fromHistory: boolean; activitiesRecorded: boolean; overrides: string };
}

export type ReviewPlan =
  | { mode: "full"; reason: string }
  | { mode: "incremental"; dealIds: number[]; because: Partial<Record<RejudgeReason, number>> };

/** A digest of every team's saved overrides (and the team names they are worded with). */
export function overridesDigest(basis: RuleBasis): string {
  const sorted = [...basis.storedOverrides].sort((a, b) => a.teamId.localeCompare(b.teamId));
  return createHash("md5").update(JSON.stringify(sorted)).digest("hex");
}

export function judgedBasis(basis: RuleBasis, fromHistory: boolean): JudgedTotals["basis"] {
  return { fromHistory, activitiesRecorded: basis.context.activitiesRecorded, overrides: overridesDigest(basis) };
}

/** Chooses between a full review and judging only the deals whose verdict may have moved. */
export async function planReview(
  query: Query,
  input: { teamId: string | null; asOf: Date; fromHistory: boolean; mode?: "full" },
  basis: RuleBasis,
): Promise<ReviewPlan> {
  if (input.mode === "full") return { mode: "full", reason: "a full review was asked for" };
  if (input.fromHistory) return { mode: "full", reason: "a review of history judges every deal" };
  const [last] = await query<{ as_of: Date | string; settings: unknown; judged: JudgedTotals | null }>(
    `SELECT "asOf" AS as_of, settings, totals -> 'judged' AS judged FROM "Review"
      WHERE "teamId" IS NOT DISTINCT FROM $1 ORDER BY id DESC LIMIT 1`,
    [input.teamId],
  );
  if (!last) return { mode: "full", reason: "no earlier review of this scope" };
  const judged = typeof last.judged === "string" ? (JSON.parse(last.judged) as JudgedTotals) : last.judged;
  if (!judged?.basis) return { mode: "full", reason: "the last review kept no judgement state" };
  if (judged.basis.fromHistory) return { mode: "full", reason: "the last review was of history" };
  if (new Date(last.as_of).getTime() > input.asOf.getTime()) {
    return { mode: "full", reason: "the last review was as of a later date" };
  }
  if (!isDeepStrictEqual(parseRuleSettings(last.settings), basis.settings)) {
    return { mode: "full", reason: "the organisation's settings changed" };
  }
  if (judged.basis.overrides !== overridesDigest(basis)) return { mode: "full", reason: "a team's thresholds changed" };
  if (judged.basis.activitiesRecorded !== basis.context.activitiesRecorded) {
    return { mode: "full", reason: "the organisation's first activities were recorded" };
  }
  // Nothing judged at all (the flags were emptied, or a review of history came last): every
  // deal would be judged anyway, and a full review counts its totals from the verdicts in hand.
  const [state] = await query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM "DealJudgement") AS any`);
  if (!state?.any) return { mode: "full", reason: "no deal has been judged yet" };
  const todaysKeys = await contextKeysToday(query, input, basis);
  const teamParam = input.teamId ? "$9" : null;
  // One pass over the judgements: marks, recheck instants and the context
  // check all need it, so no index would spare the scan. A candidate whose
  // judgement is unmarked and not dated after asOf is of a deal open in scope
  // today (closing it, moving its opening date or its owner's team would have
  // marked it); the others, a few thousand, are looked up one by one and kept
  // if open in scope (a marked judgement may be of a deal closed since).
  // OFFSET 0 keeps that look-up per candidate: without it the planner hashed
  // every open deal of the organisation (100,000 rows) to test a few thousand.
  const judgedSql = `WITH judged AS (
       SELECT j."opportunityId" AS id, j."factsChanged" OR j."judgedAsOf" > $1 AS may_have_left,
              CASE WHEN j."factsChanged" THEN 'facts'
                   WHEN j."judgedAsOf" > $1 OR j."recheckAt" <= $1 THEN 'recheck'
                   -- The yardsticks its verdict reads moved: yardsticksStillHold (lib/rules/recheck.ts) in SQL.
                   WHEN k.key IS NULL OR k.key <> j."contextKey"
                     OR j."cycleCited" <> k.cycle OR j."ageLimitNeeded" > k.age_limit
                     OR j."stageMedianCited" <> k.stage_median OR j."stageLimitNeeded" > k.stage_limit
                   THEN 'context' END AS reason
         FROM "DealJudgement" j
         LEFT JOIN unnest($2::text::text[], $3::text::int[], $4::text::text[], $5::text::text[], $6::text::int[],
                          $7::text::text[], $8::text::int[])
                   AS k(team_id, stage_id, key, cycle, age_limit, stage_median, stage_limit)
                ON k.team_id = coalesce(j."teamId", '') AND k.stage_id = j."stageId"
        ${teamParam ? `WHERE j."teamId" = ${teamParam} OR j."factsChanged"` : ""}
     )
     SELECT c.id, c.reason FROM judged c
      WHERE c.reason IS NOT NULL
        AND (NOT c.may_have_left OR EXISTS (
              SELECT 1 FROM "Opportunity" o JOIN "User" u ON u.id = o."ownerId"
               WHERE o.id = c.id AND ${openInScopeSql("$1", teamParam)} OFFSET 0))`;
  const params = [
    input.asOf,
    pgArray(todaysKeys.map((pair) => pair.teamId ?? "")),
    pgArray(todaysKeys.map((pair) => pair.stageId)),
    pgArray(todaysKeys.map((pair) => pair.key)),
    pgArray(todaysKeys.map((pair) => pair.cycle)),
    pgArray(todaysKeys.map((pair) => pair.ageLimit)),
    pgArray(todaysKeys.map((pair) => pair.stageMedian)),
    pgArray(todaysKeys.map((pair) => pair.stageLimit)),
    ...(input.teamId ? [input.teamId] : []),
  ];
  // The planner has no statistics for today's pairs (an unnest) and prices
  // hashing them as if most were alike, so it sorts the 100,000 judgements
  // for a merge join instead — spilling to disk, ~4× the time of the hash
  // join. Merge joins are off for this one statement.
  const [mergeJoins] = await query<{ setting: string }>(`SELECT current_setting('enable_mergejoin') AS setting`);
  await query(`SELECT set_config('enable_mergejoin', 'off', true)`);
  const rejudged = await columnRows<{ id: number; reason: RejudgeReason }>(query, judgedSql, params, ["id", "reason"]);
  await query(`SELECT set_config('enable_mergejoin', $1, true)`, [mergeJoins?.setting ?? "on"]);
  // The open deals in scope without a judgement: an index-only scan of the
  // narrow index of open deals (migration *_deal_judgement_marks) against the
  // judgements' ids — not the deals' rows.
  const neverJudged = await columnRows<{ id: number }>(
    query,
    `SELECT o.id FROM "Opportunity" o ${teamParam ? `JOIN "User" u ON u.id = o."ownerId"` : ""}
      WHERE ${openInScopeSql("$1", teamParam ? "$2" : null)}
        AND NOT EXISTS (SELECT 1 FROM "DealJudgement" j WHERE j."opportunityId" = o.id)`,
    input.teamId ? [input.asOf, input.teamId] : [input.asOf],
    ["id"],
  );
  const rows = [...rejudged, ...neverJudged.map(({ id }) => ({ id, reason: "new" as const }))];
  const because: Partial<Record<RejudgeReason, number>> = {};
  for (const row of rows) because[row.reason] = (because[row.reason] ?? 0) + 1;
  return { mode: "incremental", dealIds: rows.map((row) => Number(row.id)), because };
}

/**
 * Today's yardsticks for every team and stage an unmarked judgement can have
 * been made in (lib/rules/recheck.ts, yardsticksToday): of a deal they read
 * only its team, its stage and the stage's own day limit (DealPair), so each
 * pair is worked out from the Team and Stage tables — a few hundred teams
 * times a handful of stages, no judgement or deal read. Marked and new deals
 * are judged anyway and need no pair. An unmarked judgement's team and stage
 * are its deal's today (a change to either marks it); one whose pair is
 * missing here (its team deleted since) finds no key and is judged again.
 */
async function contextKeysToday(
  query: Query,
  input: { teamId: string | null },
  basis: RuleBasis,
): Promise<(YardsticksToday & { teamId: string | null; stageId: number })[]> {
  const [teams, stages] = await Promise.all([
    input.teamId ? [{ id: input.teamId }] : query<{ id: string }>(`SELECT id FROM "Team"`),
    query<{ id: number; max_days: number | null }>(`SELECT id, "maxDaysInStage" AS max_days FROM "Stage"`),
  ]);
  const teamIds: (string | null)[] = [...teams.map((team) => team.id), ...(input.teamId ? [] : [null])];
  const digest = keyDigest();
  return teamIds.flatMap((teamId) =>
    stages.map((stage) => {
      const pair = { teamId, stageId: Number(stage.id), stageMaxDaysInStage: stage.max_days };
      const today = yardsticksToday(pair, basis.context, basis.settings, basis.thresholds);
      return { teamId, stageId: pair.stageId, ...today, key: digest(today.key) };
    }),
  );
}
