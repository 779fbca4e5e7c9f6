// Who runs a review over what: an admin (or the command line) reviews the
// whole organisation, a manager their team; reps do not run reviews. The one
// entry point for the button and `npm run review`.
import { ActionRefused } from "@/lib/action-result";
import type { Viewer } from "@/lib/auth/viewer";
import { getConnection } from "@/lib/db";
import { maintainTables } from "@/lib/db/maintenance";
import { getOrgContext } from "@/lib/org/data";
import { runReview } from "./mutations";
import { type PhaseListener, phaseTimer } from "./phases";

export async function runReviewAs(
  viewer: Viewer | null,
  options: {
    now?: Date;
    asOf?: Date;
    teamId?: string | null;
    /** Told how long each step took, table maintenance included (the bench's breakdown). */
    onPhase?: PhaseListener;
  } = {},
) {
  const now = options.now ?? new Date();
  const org = await getOrgContext(now);
  let teamId: string | null = options.teamId ?? null;
  if (viewer) {
    if (viewer.role === "rep") throw new ActionRefused("Reviews are run by managers. Ask your manager.", "forbidden");
    if (viewer.role === "manager") {
      if (!viewer.teamId) throw new ActionRefused("You manage no team yet, so there is nothing to review.", "invalid");
      teamId = viewer.teamId;
    }
  }
  const asOf = options.asOf ?? org.asOf;
  const result = await runReview(getConnection().sql, {
    actorId: viewer?.userId ?? null,
    teamId,
    asOf,
    now,
    fromHistory: asOf.getTime() < now.getTime() - 60_000 && (org.asOfFixed || options.asOf !== undefined),
    onPhase: options.onPhase,
  });
  // The review rewrote flags, judgements, figures and snapshots: on the
  // embedded database nobody else reclaims the dead rows (lib/db/maintenance.ts).
  await phaseTimer(options.onPhase)("table maintenance", () => maintainTables());
  return result;
}
