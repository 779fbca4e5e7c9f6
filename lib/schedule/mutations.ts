// Writes of the daily schedule: the review time and the organisation's time
// zone (admins only, audited, inside the caller's transaction).
import { recordAudit } from "@/lib/audit/mutations";
import { assertRole } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/auth/viewer";
import type { DbClient } from "@/lib/db";
import type { ReviewScheduleInput } from "./schema";

export async function setReviewSchedule(
  tx: DbClient,
  ctx: { actor: Viewer; now: Date },
  input: ReviewScheduleInput,
): Promise<ReviewScheduleInput & { changed: boolean }> {
  assertRole(ctx.actor, ["admin"], "change when the daily review runs");
  const row = await tx.orgSettings.findUnique({ where: { id: 1 }, select: { reviewTime: true, timeZone: true } });
  const before = { reviewTime: row?.reviewTime ?? null, timeZone: row?.timeZone ?? null };
  if (before.reviewTime === input.reviewTime && before.timeZone === input.timeZone) return { ...input, changed: false };
  await tx.orgSettings.upsert({ where: { id: 1 }, create: { id: 1, ...input }, update: input });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "settings.review-schedule",
    entityType: "settings",
    entityId: 1,
    before,
    after: { ...input },
    at: ctx.now,
  });
  return { ...input, changed: true };
}
