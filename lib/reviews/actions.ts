"use server";
import { revalidatePath } from "next/cache";
import { ActionRefused, type ActionResult, fail, ok } from "@/lib/action-result";
import { getActionViewer } from "@/lib/auth/viewer";
import { runReviewAs } from "./run";

export async function runReviewAction(): Promise<ActionResult<{ reviewId: number; flaggedDeals: number }>> {
  try {
    const viewer = await getActionViewer();
    const { reviewId, totals } = await runReviewAs(viewer);
    revalidatePath("/", "layout");
    return ok(
      { reviewId, flaggedDeals: totals.flaggedDeals },
      `Review done: ${totals.flaggedDeals} of ${totals.openDeals} open deals flagged.`,
    );
  } catch (error) {
    if (error instanceof ActionRefused) return fail(error.message);
    console.error("Review failed", error);
    return fail("The review could not be completed because of an unexpected error. Nothing was stored; try again.");
  }
}
