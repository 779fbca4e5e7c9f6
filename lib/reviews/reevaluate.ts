// After any action on a deal, the deal is evaluated again so its flags are
// current without a full review: episodes the deal no longer earns end at
// asOf, new ones start (without a review id), changed ones are updated.
import type { DbClient } from "@/lib/db";
import { prismaQuery } from "@/lib/db/bulk-sql";
import { analyzeWhenGrown, FLAG_STATISTICS } from "@/lib/db/statistics";
import { lockFlagsForReevaluationSql } from "@/lib/flags/current-flags";
import { evaluateScope, flagRows } from "./evaluate";
import { writeFlagEpisodes } from "./flag-episodes";
import { forgetJudgements, writeJudgements } from "./judgements";

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
  // The judgement state follows the flags: the next review need not judge
  // these deals again. Facts read from history are not what the fingerprint
  // reads (today's rows), so such a judgement is forgotten, not stored.
  const judged = new Set(fromHistory ? [] : evaluation.deals.map((deal) => deal.id));
  if (!fromHistory) await writeJudgements(query, evaluation, asOf);
  await forgetJudgements(
    query,
    dealIds.filter((id) => !judged.has(id)),
  );
}
