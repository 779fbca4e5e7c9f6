// After any action on a deal, the deal is evaluated again so its flags are
// current without a full review: its current flags are superseded (kept as
// history) and the new verdicts stored without a review id.
import type { DbClient } from "@/lib/db";
import { prismaQuery } from "@/lib/db/bulk-sql";
import { analyzeWhenGrown, FLAG_STATISTICS } from "@/lib/db/statistics";
import { currentFlagSql, lockFlagsForReevaluationSql } from "./current-flags";
import { evaluateScope, flagRows, insertFlags } from "./evaluate";

export async function reevaluateDeals(client: DbClient, dealIds: number[], asOf: Date, now: Date): Promise<void> {
  if (dealIds.length === 0) return;
  const query = prismaQuery(client);
  await query(lockFlagsForReevaluationSql());
  const [org] = await query<{ fixed: boolean }>(`SELECT "asOf" IS NOT NULL AS fixed FROM "OrgSettings" WHERE id = 1`);
  const evaluation = await evaluateScope(query, { teamId: null, dealIds }, asOf, { fromHistory: Boolean(org?.fixed) });
  await client.$executeRawUnsafe(
    `UPDATE "Flag" f SET "supersededAt" = $1 WHERE f."opportunityId" = ANY($2::int[]) AND ${currentFlagSql("f")}`,
    now,
    dealIds,
  );
  const flags = flagRows(evaluation);
  await insertFlags(query, flags, null, asOf, now);
  await analyzeWhenGrown(query, [FLAG_STATISTICS], flags.length);
}
