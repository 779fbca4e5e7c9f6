// The outcome of a settings form: a status line people and screen readers notice.
import type { ActionResult } from "@/lib/action-result";

export function FormResult({ result, id }: { result: ActionResult<unknown> | null; id?: string }) {
  return (
    <p id={id} role="status" aria-live="polite" className="text-sm">
      {result ? <span className={result.ok ? "text-emerald-800" : "text-red-800"}>{result.message}</span> : null}
    </p>
  );
}
