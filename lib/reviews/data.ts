// Reads about reviews that screens need before showing any verdict.
import "server-only";
import { db, type DbClient } from "@/lib/db";

/**
 * False on an organisation's first day (deals imported, no review run yet):
 * screens then say "Not reviewed yet" instead of calling the pipeline clean.
 * With a team, only reviews that covered it count (the organisation's, or that
 * team's own): another team's review judged none of its deals.
 */
export async function hasAnyReview(client: DbClient = db, teamId?: string | null): Promise<boolean> {
  const where = teamId ? { OR: [{ teamId: null }, { teamId }] } : {};
  return (await client.review.findFirst({ where, select: { id: true } })) !== null;
}
