// The one "Not reviewed yet" state every screen shows before the first review:
// with no review, no deal has been judged, so nothing may be called clean or
// "0 flagged". Those allowed to run a review (SPEC Permissions: a manager for
// their team, an admin for the organisation) get the button; reps are told the
// review runs daily.
import { RunReviewForm } from "@/components/overview/run-review-form";
import type { Viewer } from "@/lib/auth/viewer";

export const NOT_REVIEWED_YET = "Not reviewed yet";

/** Whether this viewer may press "Run review" (reps may not; a manager needs a team to review). */
export function canRunReview(viewer: Pick<Viewer, "role" | "teamId">): boolean {
  return viewer.role === "admin" || (viewer.role === "manager" && viewer.teamId !== null);
}

export function NotReviewedYet({ viewer, what = "the pipeline" }: { viewer: Viewer; what?: string }) {
  return (
    <section
      aria-labelledby="not-reviewed-yet-title"
      data-testid="not-reviewed-yet"
      className="mb-6 flex flex-wrap items-center justify-between gap-4 rounded-lg border border-dashed border-blue-300 bg-blue-50 p-4"
    >
      <div className="max-w-3xl">
        <h2 id="not-reviewed-yet-title" className="font-semibold text-slate-900">
          {NOT_REVIEWED_YET}
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          No review has checked {what} against the stale-deal rules yet, so no deal is flagged — that does not mean it
          is clean.{" "}
          {canRunReview(viewer)
            ? "Run one now to see what needs a decision."
            : "The review runs daily; flags appear here after the first one."}
        </p>
      </div>
      {canRunReview(viewer) ? <RunReviewForm /> : null}
    </section>
  );
}
