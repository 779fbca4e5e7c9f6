// When the last review ran, by whom and over what — or that none has run yet —
// next to the button that runs the next one. One bar in both states, so the
// button keeps its result message when the page refreshes after the first review.
import type { Viewer } from "@/lib/auth/viewer";
import { formatCount, formatDate } from "@/lib/format";
import type { LastReview } from "@/lib/overview/data";
import { daysBetween } from "@/lib/rules/days";
import { RunReviewForm } from "./run-review-form";

export function ReviewBar({ review, viewer, now }: { review: LastReview | null; viewer: Viewer; now: Date }) {
  const canRun = viewer.role !== "rep";
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
                {formatCount(review.flaggedDeals)} of {formatCount(review.openDeals)} open deals flagged
              </strong>
              .
            </p>
          </>
        ) : (
          <>
            <h2 id="review-bar-title" className="font-semibold text-slate-900">
              No review yet — run one
            </h2>
            <p className="mt-1 text-sm text-slate-700">
              A review checks every open deal against the stale-deal rules and flags what needs a decision. Until then
              the figures below show the pipeline without flags, and the age chart uses the default cycle.
            </p>
          </>
        )}
      </div>
      {canRun ? (
        <RunReviewForm />
      ) : (
        <p className="text-sm text-slate-600">
          {review ? "Reviews are run by your manager." : "Ask your manager to run the first review."}
        </p>
      )}
    </section>
  );
}

function ago(days: number): string {
  if (days <= 0) return "today";
  return days === 1 ? "yesterday" : `${formatCount(days)} days ago`;
}
