"use client";
// What a deal screen shows when it failed to load: what happened, what to do.
import { Button } from "@/components/ui/button";

export function ScreenError({
  what,
  error,
  reset,
}: {
  what: string;
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="text-2xl font-semibold">Could not load {what}</h1>
      <p role="alert" className="mt-2 text-slate-700">
        Something went wrong while reading the data. Nothing was changed. Try again; if it keeps failing, tell your
        administrator{error.digest ? ` and quote error ${error.digest}` : ""}.
      </p>
      <div className="mt-4 flex gap-3">
        <Button variant="primary" onClick={() => reset()}>
          Try again
        </Button>
        <a href="/" className="self-center text-blue-800 underline">
          Back to the team overview
        </a>
      </div>
    </main>
  );
}
