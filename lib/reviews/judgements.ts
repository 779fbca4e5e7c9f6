// The per-deal judgement state (model DealJudgement): written by every
// evaluation that judges deals — the review, full or incremental, and the
// re-evaluation after an action or import — in its own transaction, and read by
// the incremental review (incremental.ts) to find the deals whose verdict may
// have moved since.
//
// What moved is marked, not fingerprinted: triggers (migrations
// *_deal_judgement and *_deal_judgement_marks) set factsChanged when a column
// the review reads of the deal, its owner's team or its stage changes, or an
// activity or waiver of the deal is written, whoever writes it. A judgement
// stored here is unmarked: it vouches for the rows the evaluation read.
import { createHash } from "node:crypto";
import { chunks, instant, pgArray, type Query } from "@/lib/db/bulk-sql";
import { yardsticksRead } from "@/lib/rules/recheck";
import type { DealVerdict } from "@/lib/rules/types";
import type { Evaluation } from "./evaluate";

/** Open on asOf and in the review's scope (alias o, u): the deals a review of now judges. */
export function openInScopeSql(asOfParam: string, teamParam: string | null): string {
  return `o.status = 'open' AND o."openedAt" <= ${asOfParam}${teamParam ? ` AND u."teamId" = ${teamParam}` : ""}`;
}

/**
 * The stored form of a context key: the contract's key may be long (it can
 * name every threshold) and is kept per deal, so a digest. Keys repeat across
 * a team's deals, so each distinct key is hashed once.
 */
export function keyDigest(): (key: string) => string {
  const digests = new Map<string, string>();
  return (key) => {
    let digest = digests.get(key);
    if (digest === undefined) {
      digest = createHash("md5").update(key).digest("hex");
      digests.set(key, digest);
    }
    return digest;
  };
}

/**
 * Stores the judgement of every deal the evaluation judged: one multi-row
 * insert per 20,000 deals, unmarked, with the team and stage the evaluation
 * read (the context check's pair). Nothing is read back from the deal: a
 * change made after the evaluation read it, in this transaction or a later
 * one, marks the judgement through the triggers (one committing while a
 * review runs waits in them for the review's lock, then marks what the review
 * wrote: migration *_judgement_marks_wait_for_review).
 */
export async function writeJudgements(query: Query, evaluation: Evaluation, asOf: Date): Promise<void> {
  const { context, settings, thresholds } = evaluation;
  const digest = keyDigest();
  const verdictOf = new Map<number, DealVerdict>(evaluation.dealVerdicts.map((verdict) => [verdict.dealId, verdict]));
  for (const part of chunks(evaluation.deals)) {
    const verdicts = part.map((deal) => verdictOf.get(deal.id));
    // Its recheck instant and what its verdict reads of its yardsticks (lib/rules/recheck.ts).
    const judged = part.map((deal) => yardsticksRead(deal, context, settings, asOf, thresholds));
    await query(
      `INSERT INTO "DealJudgement" ("opportunityId", "judgedAsOf", "recheckAt", "contextKey", "teamId", "stageId",
                                    "factsChanged", "waivedFlags", "notJudged", "cycleCited", "ageLimitNeeded",
                                    "stageMedianCited", "stageLimitNeeded")
       SELECT d.id, $1::timestamptz, d.recheck_at, d.context_key, d.team_id, d.stage_id, false,
              d.waived, coalesce(d.not_judged::jsonb, '[]'::jsonb), d.cycle_cited, d.age_limit_needed,
              d.stage_median_cited, d.stage_limit_needed
         FROM unnest($2::text::int[], $3::text::timestamptz[], $4::text::text[], $5::text::text[], $6::text::int[],
                     $7::text::int[], $8::text::text[], $9::text::text[], $10::text::int[], $11::text::text[],
                     $12::text::int[])
              AS d(id, recheck_at, context_key, team_id, stage_id, waived, not_judged, cycle_cited,
                   age_limit_needed, stage_median_cited, stage_limit_needed)
       ON CONFLICT ("opportunityId") DO UPDATE SET
         "judgedAsOf" = EXCLUDED."judgedAsOf", "recheckAt" = EXCLUDED."recheckAt",
         "contextKey" = EXCLUDED."contextKey", "teamId" = EXCLUDED."teamId", "stageId" = EXCLUDED."stageId",
         "factsChanged" = false,
         "waivedFlags" = EXCLUDED."waivedFlags", "notJudged" = EXCLUDED."notJudged",
         "cycleCited" = EXCLUDED."cycleCited", "ageLimitNeeded" = EXCLUDED."ageLimitNeeded",
         "stageMedianCited" = EXCLUDED."stageMedianCited", "stageLimitNeeded" = EXCLUDED."stageLimitNeeded"`,
      [
        asOf,
        pgArray(part.map((deal) => deal.id)),
        pgArray(judged.map(({ recheckAt }) => instant(recheckAt))),
        pgArray(judged.map(({ read }) => digest(read.key))),
        pgArray(part.map((deal) => deal.teamId)),
        pgArray(part.map((deal) => deal.stageId)),
        pgArray(verdicts.map((verdict) => verdict?.suppressed.length ?? 0)),
        pgArray(
          verdicts.map(
            (verdict) =>
              verdict && verdict.notJudged.length > 0
                ? JSON.stringify(verdict.notJudged.map(({ rule, reason }) => ({ rule, reason })))
                : null, // most deals: no JSON to parse
          ),
        ),
        pgArray(judged.map(({ read }) => read.cycleCited)),
        pgArray(judged.map(({ read }) => read.ageLimitNeeded)),
        pgArray(judged.map(({ read }) => read.stageMedianCited)),
        pgArray(judged.map(({ read }) => read.stageLimitNeeded)),
      ],
    );
  }
}

/**
 * Forgets the judgements of deals a review no longer judges: closed, returned
 * to prospecting, moved to another team (for a team's review). Their flags
 * end with the same review; should they open again, they are judged afresh.
 * Only a marked judgement, or one dated after asOf, can be of such a deal
 * (one judged open by asOf and unmarked since is still open), so only those
 * few are looked up, not every deal.
 */
export async function forgetDealsLeftScope(query: Query, asOf: Date, teamId: string | null): Promise<void> {
  await query(
    `DELETE FROM "DealJudgement" j
      USING "Opportunity" o, "User" u
      WHERE (j."factsChanged" OR j."judgedAsOf" > $1)
        AND o.id = j."opportunityId" AND u.id = o."ownerId"
        ${teamId ? `AND u."teamId" = $2` : ""}
        AND NOT (o.status = 'open' AND o."openedAt" <= $1)`,
    teamId ? [asOf, teamId] : [asOf],
  );
}

/** Forgets the judgements of these deals (a re-evaluation that no longer judges them, a review of history). */
export async function forgetJudgements(query: Query, dealIds: readonly number[] | "all", teamId?: string | null) {
  if (dealIds === "all") {
    await query(
      teamId
        ? `DELETE FROM "DealJudgement" j USING "Opportunity" o, "User" u
            WHERE o.id = j."opportunityId" AND u.id = o."ownerId" AND u."teamId" = $1`
        : // The whole organisation: emptied at once, not row by row (100,000 rows). Writers of flags
          // hold the review lock (current-flags.ts), so no one reads the table meanwhile.
          `TRUNCATE "DealJudgement"`,
      teamId ? [teamId] : [],
    );
    return;
  }
  if (dealIds.length === 0) return;
  await query(`DELETE FROM "DealJudgement" WHERE "opportunityId" IN (SELECT unnest($1::text::int[]))`, [
    pgArray(dealIds),
  ]);
}

/** The next review judges these deals again, as if their facts had changed (cheaper to write than a judgement). */
export async function markJudgementsChanged(query: Query, dealIds: readonly number[]): Promise<void> {
  if (dealIds.length === 0) return;
  await query(
    `UPDATE "DealJudgement" SET "factsChanged" = true
      WHERE "opportunityId" IN (SELECT unnest($1::text::int[])) AND NOT "factsChanged"`,
    [pgArray(dealIds)],
  );
}
