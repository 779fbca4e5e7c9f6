// After an import the whole organisation is reviewed (SPEC "Keeping verdicts
// current"): the import re-evaluated the deals it touched, but rep and team
// rules and the week's snapshots look at whole pipelines. The import has
// committed by then; a review that fails is logged and left to the next daily
// run rather than reported as a failed import.
import { runReviewAs } from "@/lib/reviews/run";

export async function reviewAfterImport(now: Date): Promise<{ reviewId: number } | null> {
  try {
    const { reviewId } = await runReviewAs(null, { now });
    return { reviewId };
  } catch (error) {
    console.error("The review after the import failed; the next daily review will catch up.", error);
    return null;
  }
}
