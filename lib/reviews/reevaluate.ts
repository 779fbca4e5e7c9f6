// After any action on a deal, the deal is evaluated again so its flags are
// current without a full review: episodes the deal no longer earns end at
// asOf, new ones start (without a review id), changed ones are updated.
import type { DbClient } from "@/lib/db";
import { prismaQuery } from "@/lib/db/bulk-sql";
import { analyzeWhenGrown, FLAG_STATISTICS } from "@/lib/db/statistics";
import { lockFlagsForReevaluationSql } from "@/lib/flags/current-flags";
import { evaluateScope, flagRows } from "./evaluate";
import { writeFlagEpisodes } from "./flag-episodes";
import { forgetJudgements, markJudgementsChanged, writeJudgements } from "./judgements";

/** Re-evaluations of at most this many deals store their judgement state (see below). */
const STORE_JUDGEMENTS_UP_TO = 1_000;

export async function reevaluateDeals(client: DbClient, dealIds: number[], asOf: Date, now: Date): Promise<void> {
  if (dealIds.length === 0) return;
  const query = prismaQuery(client);
  await query(lockFlagsForReevaluationSql());
  const [org] = await query<{ fixed: boolean }>(`SELECT "asOf" IS NOT NULL AS fixed FROM "OrgSettings" WHERE id = 1`);
  const fromHistory = Boolean(org?.fixed);
  const evaluation = await evaluateScope(query, { teamId: null, dealIds }, asOf, { fromHistory });
  const episodes = await writeFlagEpisodes(
    query,
    flagRows(evaluation),
    { kind: "deals", dealIds },
    {
      reviewId: null,
      asOf,
      now,
    },
  );
  await analyzeWhenGrown(query, [FLAG_STATISTICS], episodes.started + episodes.ended);
  // The judgement state follows the flags. After an action (a few deals) it
  // is stored, so the next review need not judge them again. After a large
  // import it is marked changed instead: storing it would cost the import
  // what a review's judgement write costs (a second or more at 100,000
  // deals), and the next review judges them anyway when their facts moved.
  // Facts read from history are not today's rows, which an unmarked
  // judgement vouches for: such a judgement is never stored.
  if (fromHistory || dealIds.length > STORE_JUDGEMENTS_UP_TO) {
    await markJudgementsChanged(query, dealIds);
    return;
  }
  const judged = new Set(evaluation.deals.map((deal) => deal.id));
  await writeJudgements(query, evaluation, asOf);
  await forgetJudgements(
    query,
    dealIds.filter((id) => !judged.has(id)),
  );
}
