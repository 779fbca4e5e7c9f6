// When the last review ran, by whom and over what — next to the button that runs the next one.
import type { Viewer } from "@/lib/auth/viewer";
import type { LastReview } from "@/lib/overview/data";
import { formatCount, formatDate } from "@/lib/format";
import { daysBetween } from "@/lib/rules/days";
import { RunReviewForm } from "./run-review-form";

export function LastReviewPanel({ review, viewer, now }: { review: LastReview | null; viewer: Viewer; now: Date }) {
  const canRun = viewer.role !== "rep";
  return (
    <div className="flex flex-wrap items-start justify-end gap-4" data-testid="last-review">
      <p className="max-w-md text-right text-sm text-slate-700">
        {review ? (
          <>
            Last review <strong>{formatDate(review.at)}</strong> ({ago(daysBetween(review.at, now))})
            {review.byName ? ` by ${review.byName}` : " from the command line"}
            {review.teamName ? `, ${review.teamName} team only` : ", whole organisation"}
            {formatDate(review.asOf) !== formatDate(review.at) ? `, as of ${formatDate(review.asOf)}` : ""}:{" "}
            {formatCount(review.flaggedDeals)} of {formatCount(review.openDeals)} open deals flagged.
          </>
        ) : (
          "No review has run yet."
        )}
      </p>
      {canRun ? <RunReviewForm /> : <p className="text-sm text-slate-600">Reviews are run by your manager.</p>}
    </div>
  );
}

function ago(days: number): string {
  if (days <= 0) return "today";
  return days === 1 ? "yesterday" : `${formatCount(days)} days ago`;
}
