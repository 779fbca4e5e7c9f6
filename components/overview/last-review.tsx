// When the last review ran, by whom and over what — or that none has run yet —
// next to the button that runs the next one. One bar in both states, so the
// button keeps its result message when the page refreshes after the first review.
import { canRunReview, NOT_REVIEWED_YET } from "@/components/reviews/not-reviewed-yet";
import { describeFlaggedBreakdown } from "@/lib/reviews/flagged-breakdown";
import type { Viewer } from "@/lib/auth/viewer";
import { formatCount, formatDate } from "@/lib/format";
import type { LastReview } from "@/lib/overview/data";
import { daysBetween } from "@/lib/rules/days";
import { RunReviewForm } from "./run-review-form";

export function ReviewBar({ review, viewer, now }: { review: LastReview | null; viewer: Viewer; now: Date }) {
  const canRun = canRunReview(viewer);
  return (
    <section
      aria-labelledby="review-bar-title"
      data-testid={review ? "last-review" : "no-review"}
      className={`mb-6 flex flex-wrap items-center justify-between gap-4 rounded-lg p-4 ${
        review ? "border border-slate-200 bg-white" : "border border-dashed border-blue-300 bg-blue-50"
      }`}
    >
      <div className="max-w-3xl">
        {review ? (
          <>
            <h2 id="review-bar-title" className="sr-only">
              Last review
            </h2>
            <p className="text-sm text-slate-700">
              Last review <strong className="text-slate-900">{formatDate(review.at)}</strong> (
              {ago(daysBetween(review.at, now))}){review.byName ? ` by ${review.byName}` : " from the command line"}
              {review.teamName ? `, ${review.teamName} team only` : ", whole organisation"}
              {formatDate(review.asOf) !== formatDate(review.at) ? `, as of ${formatDate(review.asOf)}` : ""}:{" "}
              <strong className="text-slate-900">
                {formatCount(review.openDeals)} open deals, {describeFlaggedBreakdown(review.breakdown)}
              </strong>
              .
            </p>
          </>
        ) : (
          <>
            <h2 id="review-bar-title" className="font-semibold text-slate-900">
              {NOT_REVIEWED_YET}
            </h2>
            <p className="mt-1 text-sm text-slate-700">
              No review has checked the pipeline against the stale-deal rules yet, so no deal is flagged — that does not
              mean it is clean. A review flags what needs a decision; until then the age chart uses the default cycle.
            </p>
          </>
        )}
      </div>
      {canRun ? (
        <RunReviewForm />
      ) : (
        <p className="text-sm text-slate-600">
          {review ? "Reviews are run by your manager." : "The review runs daily; flags appear after the first one."}
        </p>
      )}
    </section>
  );
}

function ago(days: number): string {
  if (days <= 0) return "today";
  return days === 1 ? "yesterday" : `${formatCount(days)} days ago`;
}
