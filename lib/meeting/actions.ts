"use server";
// The meeting deck's one read on demand: a rep's deals when their screen comes
// near (the agenda brings only the first reps' deals; lib/meeting/data.ts).
// A read, not a change: nothing to revalidate.
import { type ActionInput, type ActionResult, actionInputObject, fail, invalidInput, ok } from "@/lib/action-result";
import { ActionRefused } from "@/lib/action-result";
import { getActionViewer } from "@/lib/auth/viewer";
import { getOrgContext } from "@/lib/settings/data";
import { getMeetingRepDeals } from "./rep-deals";
import { repDealsSchema } from "./schema";
import { type DealRowView, dealRowView } from "./screens";

export async function loadMeetingRepDealsAction(input: ActionInput): Promise<ActionResult<DealRowView[]>> {
  const parsed = repDealsSchema.safeParse(actionInputObject(input));
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const [viewer, org] = await Promise.all([getActionViewer(), getOrgContext()]);
    const deals = await getMeetingRepDeals(viewer, parsed.data.repId, org.asOf);
    return ok(deals.map(dealRowView));
  } catch (error) {
    if (error instanceof ActionRefused) return fail(error.message);
    console.error("Loading a rep's meeting deals failed", error);
    return fail("This rep's deals could not be loaded. Press → and ← to try again, or reload the page.");
  }
}
