"use client";
// Meeting mode could not be prepared: say so in plain words, offer to try
// again or go back to the overview.
import Link from "next/link";

export default function MeetingError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="flex min-h-screen flex-col bg-white text-slate-950">
      <div className="border-b-2 border-slate-900 px-4 py-2 text-2xl font-bold">Pipeline meeting</div>
      <main className="p-8">
        <h1 className="text-3xl font-bold">The meeting could not be prepared</h1>
        <p className="mt-3 text-xl">
          {error.message.includes("no manager")
            ? error.message
            : "Something went wrong while reading the pipeline. Nothing was changed. Try again; if it keeps failing, tell whoever runs the app."}
        </p>
        {error.digest ? <p className="mt-2 text-base text-slate-700">Reference: {error.digest}</p> : null}
        <div className="mt-6 flex gap-4">
          <button
            type="button"
            onClick={reset}
            className="rounded-md bg-blue-800 px-4 py-2 text-lg font-semibold text-white"
          >
            Try again
          </button>
          <Link href="/" className="rounded-md border-2 border-slate-900 px-4 py-2 text-lg font-semibold">
            Back to the team overview
          </Link>
        </div>
      </main>
    </div>
  );
}
