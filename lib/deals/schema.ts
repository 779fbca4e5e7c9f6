// What each action on a deal accepts. Shared by the forms (field names and
// messages) and the server actions (parsing FormData or plain objects).
import { z } from "zod";

/** Deal ids are PostgreSQL integers: a larger number cannot be a deal, and the database would refuse it. */
export const LARGEST_DEAL_ID = 2_147_483_647;

const dealId = z.coerce
  .number({ error: "Which deal? The deal id is missing." })
  .int()
  .positive()
  .max(LARGEST_DEAL_ID, "This deal does not exist or is not yours to change. Reload the page.");

/** A deal id from a URL ("123"), or null when the text cannot be one (so the page answers "not found"). */
export function dealIdFromPath(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const id = Number(text);
  return id >= 1 && id <= LARGEST_DEAL_ID ? id : null;
}
/** The version of the deal the form was loaded with (optimistic concurrency). */
const version = z.coerce.number({ error: "Reload the page: the form is missing the deal's version." }).int().min(0);
const reviewId = z.coerce.number().int().positive().optional();

const reason = z
  .string({ error: "Give a reason." })
  .trim()
  .min(3, "Give a reason of at least 3 characters: it is kept in the deal's history.")
  .max(500, "Keep the reason under 500 characters.");

/** A calendar day "YYYY-MM-DD" from a date input, as UTC midnight. */
export const calendarDay = z
  .string({ error: "Pick a date." })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-31.")
  .transform((value, ctx) => {
    const date = new Date(`${value}T00:00:00.000Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
      ctx.addIssue({ code: "custom", message: `${value} is not a real date.` });
      return z.NEVER;
    }
    return date;
  });

const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

export const moveBackSchema = z.object({ dealId, version, reason: reason.optional(), reviewId });
export const returnToProspectingSchema = z.object({ dealId, version, reason, reviewId });
export const removeFromPipelineSchema = z.object({
  dealId,
  version,
  reason: z.preprocess(emptyToUndefined, reason.default("stale — removed in review")),
  reviewId,
});
export const keepWithWaiverSchema = z.object({ dealId, version, reason, until: calendarDay, reviewId });
export const waitingOnBuyerSchema = z.object({ dealId, version, reason, until: calendarDay });

export const ACTIVITY_TYPES = ["call", "email", "meeting", "note", "task", "other"] as const;
export const logActivitySchema = z.object({
  dealId,
  type: z.enum(ACTIVITY_TYPES, { error: "Pick the kind of activity: call, email, meeting, note, task or other." }),
  side: z.enum(["buyer", "seller"], {
    error: "Say whose effort it was: the buyer's (they replied, called, met, returned a document) or ours.",
  }),
  at: z.coerce.date({ error: "When did it happen? Give a date and time." }),
  summary: z.preprocess(
    emptyToUndefined,
    z.string().trim().max(2000, "Keep the summary under 2,000 characters.").optional(),
  ),
});

const amount = z.preprocess(
  (value) => (typeof value === "string" ? value.replace(/[\s,$€£]/g, "") : value),
  z
    .string()
    .regex(/^\d{1,12}(\.\d{1,2})?$/, "Give the amount as a number, like 25000 or 25000.50 (no negative amounts).")
    .or(
      z
        .number()
        .nonnegative("The amount cannot be negative.")
        .transform((n) => n.toFixed(2)),
    ),
);

export const updateDealSchema = z
  .object({
    dealId,
    version,
    nextStep: z.preprocess(
      (value) => (value === null ? undefined : value),
      z.string().trim().max(500, "Keep the next step under 500 characters.").optional(),
    ),
    expectedCloseDate: z.preprocess(emptyToUndefined, calendarDay.optional()),
    amount: z.preprocess(emptyToUndefined, amount.optional()),
  })
  .refine((input) => input.nextStep !== undefined || input.expectedCloseDate || input.amount !== undefined, {
    message: "Change at least one of next step, expected close date or amount.",
    path: ["form"],
  });

export const BULK_ACTIONS = ["move_back", "return_to_prospecting", "remove"] as const;
export const bulkActionSchema = z.object({
  action: z.enum(BULK_ACTIONS, { error: "Pick what to do with the selected deals." }),
  deals: z
    .array(z.object({ dealId, version }))
    .min(1, "Select at least one deal.")
    .max(500, "Select at most 500 deals at once."),
  reason: z.preprocess(emptyToUndefined, reason.optional()),
  reviewId,
});

export type MoveBackInput = z.infer<typeof moveBackSchema>;
export type ReturnToProspectingInput = z.infer<typeof returnToProspectingSchema>;
export type RemoveFromPipelineInput = z.infer<typeof removeFromPipelineSchema>;
export type KeepWithWaiverInput = z.infer<typeof keepWithWaiverSchema>;
export type WaitingOnBuyerInput = z.infer<typeof waitingOnBuyerSchema>;
export type LogActivityInput = z.infer<typeof logActivitySchema>;
export type UpdateDealInput = z.infer<typeof updateDealSchema>;
export type BulkActionInput = z.infer<typeof bulkActionSchema>;
