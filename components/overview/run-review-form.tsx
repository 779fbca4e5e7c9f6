"use client";
// The "Run review" button: runs the rules over the viewer's scope through the
// same server action everywhere, shows that it is working, then says what it
// found. The page refreshes itself (the action revalidates it).
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action-result";
import { runReviewAction } from "@/lib/reviews/actions";

type ReviewResult = Awaited<ReturnType<typeof runReviewAction>>;

export function RunReviewForm({ label = "Run review" }: { label?: string }) {
  const [result, run, pending] = useActionState<ReviewResult | null>(() => runReviewAction(), null);
  return (
    <form action={run} className="flex flex-col items-end gap-1">
      <Button type="submit" variant="primary" disabled={pending} aria-describedby="run-review-result">
        {pending ? "Running review…" : label}
      </Button>
      <p id="run-review-result" role="status" aria-live="polite" className="text-right text-sm">
        {pending ? <span className="text-slate-600">Checking every open deal against the rules…</span> : null}
        {!pending && result ? <ResultMessage result={result} /> : null}
      </p>
    </form>
  );
}

function ResultMessage({ result }: { result: ActionResult<unknown> }) {
  return result.ok ? (
    <span className="text-emerald-800">{result.message ?? "Review done."}</span>
  ) : (
    <span className="text-red-800">{result.message}</span>
  );
}
