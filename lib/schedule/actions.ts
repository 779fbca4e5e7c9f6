"use server";
// The settings screen's "Daily review" form: admin → zod → write → refresh.
import { revalidatePath } from "next/cache";
import { ActionRefused, type ActionResult, fail, invalidInput, ok } from "@/lib/action-result";
import { getActionViewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import { setReviewSchedule } from "./mutations";
import { type ReviewScheduleInput, reviewScheduleSchema } from "./schema";

export async function setReviewScheduleAction(
  _previous: unknown,
  form: FormData,
): Promise<ActionResult<ReviewScheduleInput>> {
  const parsed = reviewScheduleSchema.safeParse({ reviewTime: form.get("reviewTime"), timeZone: form.get("timeZone") });
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const actor = await getActionViewer();
    const result = await db.$transaction((tx) => setReviewSchedule(tx, { actor, now: new Date() }, parsed.data));
    revalidatePath("/settings");
    return ok(
      { reviewTime: result.reviewTime, timeZone: result.timeZone },
      result.changed
        ? `The review now runs by itself every day at ${result.reviewTime} (${result.timeZone}).`
        : "Nothing changed.",
    );
  } catch (error) {
    if (error instanceof ActionRefused) return fail(error.message);
    console.error("Saving the review schedule failed", error);
    return fail("The schedule could not be saved because of an unexpected error. Nothing was changed; try again.");
  }
}
