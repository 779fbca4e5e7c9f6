// Before the first review there are no flags: say so, and offer to run one.
import type { Viewer } from "@/lib/auth/viewer";
import { RunReviewForm } from "./run-review-form";

export function NoReviewYet({ viewer }: { viewer: Viewer }) {
  return (
    <section
      aria-labelledby="no-review-title"
      className="mb-6 flex flex-wrap items-center justify-between gap-4 rounded-lg border border-dashed border-blue-300 bg-blue-50 p-5"
      data-testid="no-review"
    >
      <div>
        <h2 id="no-review-title" className="font-semibold text-slate-900">
          No review yet — run one
        </h2>
        <p className="mt-1 max-w-2xl text-sm text-slate-700">
          A review checks every open deal against the stale-deal rules and flags what needs a decision. Until then the
          figures below show the pipeline without flags, and the age chart uses the default cycle.
        </p>
      </div>
      {viewer.role === "rep" ? (
        <p className="text-sm text-slate-700">Ask your manager to run the first review.</p>
      ) : (
        <RunReviewForm label="Run the first review" />
      )}
    </section>
  );
}
