"use server";
// Server actions on deals: check who is asking, parse the input with zod,
// run the mutation in one transaction, refresh the pages that show the deal.
// Every action returns ActionResult; refusals come back as plain messages.
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import {
  ActionRefused,
  type ActionResult,
  fail,
  invalidInput,
  ok,
  type ActionInput,
  actionInputObject,
} from "@/lib/action-result";
import { getActionViewer } from "@/lib/auth/viewer";
import { db, type Transaction } from "@/lib/db";
import { parseRuleSettings } from "@/lib/rules/settings";
import { getOrgContext } from "@/lib/org/data";
import { formatDate } from "@/lib/format";
import {
  applyBulkAction,
  type ChangeContext,
  historyAt,
  keepDealWithWaiver,
  logDealActivity,
  moveDealBack,
  recordWaitingOnBuyer,
  removeDealFromPipeline,
  returnDealToProspecting,
  updateDealDetails,
} from "./mutations";
import {
  bulkActionSchema,
  keepWithWaiverSchema,
  logActivitySchema,
  moveBackSchema,
  removeFromPipelineSchema,
  returnToProspectingSchema,
  updateDealSchema,
  waitingOnBuyerSchema,
} from "./schema";

/** Interactive transactions on the embedded database can queue behind a review run. */
const TRANSACTION_OPTIONS = { timeout: 60_000, maxWait: 15_000 };

async function runDealAction<S extends z.ZodType, T>(
  schema: S,
  input: ActionInput,
  change: (tx: Transaction, ctx: ChangeContext, parsed: z.infer<S>) => Promise<T>,
  message: (result: T) => string,
  /** Logging an activity keeps the activity's own time: no "recorded on" note. */
  options: { recordsHistory: boolean } = { recordsHistory: true },
): Promise<ActionResult<T>> {
  const parsed = schema.safeParse(actionInputObject(input));
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const now = new Date();
    const [actor, org] = await Promise.all([getActionViewer(), getOrgContext(now)]);
    const settings = parseRuleSettings(org.rules);
    const ctx: ChangeContext = {
      actor,
      now,
      asOf: org.asOf,
      maxKeepWaiverDays: settings.maxKeepWaiverDays,
      maxWaitingOnBuyerDays: settings.maxWaitingOnBuyerDays,
    };
    const result = await db.$transaction((tx) => change(tx, ctx, parsed.data), TRANSACTION_OPTIONS);
    revalidatePath("/", "layout");
    return ok(result, `${message(result)}${options.recordsHistory ? recordedOnNote(ctx) : ""}`);
  } catch (error) {
    if (error instanceof ActionRefused) return fail(error.message);
    console.error("Deal action failed", error);
    return fail("The change could not be saved because of an unexpected error. Nothing was changed; try again.");
  }
}

/** Under a fixed earlier as-of date the change enters the deal's history on that date (historyAt): say so. */
function recordedOnNote(ctx: ChangeContext): string {
  const at = historyAt(ctx);
  if (at.getTime() === ctx.now.getTime()) return "";
  return ` Recorded in the deal's history on ${formatDate(at)}, the organisation's as-of date, so reviews of that date include it.`;
}

export async function moveDealBackAction(input: ActionInput) {
  return runDealAction(moveBackSchema, input, moveDealBack, (r) => `Moved back from ${r.from} to ${r.to}.`);
}

export async function returnDealToProspectingAction(input: ActionInput) {
  return runDealAction(
    returnToProspectingSchema,
    input,
    returnDealToProspecting,
    () => "Returned to prospecting: the deal has left the pipeline.",
  );
}

export async function removeDealFromPipelineAction(input: ActionInput) {
  return runDealAction(
    removeFromPipelineSchema,
    input,
    removeDealFromPipeline,
    () => "Removed from the pipeline and closed as lost.",
  );
}

export async function keepDealWithWaiverAction(input: ActionInput) {
  return runDealAction(keepWithWaiverSchema, input, keepDealWithWaiver, () => "Kept with a waiver.");
}

export async function waitingOnBuyerAction(input: ActionInput) {
  return runDealAction(waitingOnBuyerSchema, input, recordWaitingOnBuyer, () => "Recorded: waiting on the buyer.");
}

export async function logActivityAction(input: ActionInput) {
  return runDealAction(logActivitySchema, input, logDealActivity, () => "Activity logged.", { recordsHistory: false });
}

export async function updateDealAction(input: ActionInput) {
  return runDealAction(updateDealSchema, input, updateDealDetails, (r) =>
    r.pushed ? "Saved. The later close date counts as a push." : "Saved.",
  );
}

/** Bulk: `deals` is a list of { dealId, version } (FormData: repeated `deal` fields "id:version"). */
export async function bulkDealAction(input: ActionInput) {
  let object = actionInputObject(input);
  if (input instanceof FormData) {
    const deals = input.getAll("deal").map((value) => {
      const [dealId, version] = String(value).split(":");
      return { dealId, version };
    });
    object = { ...object, deals };
  }
  return runDealAction(
    bulkActionSchema,
    object,
    applyBulkAction,
    (r) => `${r.dealIds.length} deal${r.dealIds.length === 1 ? "" : "s"} updated.`,
  );
}
