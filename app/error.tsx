"use client";
// When a screen fails to load: say so plainly and offer to try again.
import Link from "next/link";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main className="mx-auto max-w-2xl px-4 py-12">
      <div role="alert" className="rounded-lg border border-red-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold text-slate-900">This page could not be loaded</h1>
        <p className="mt-2 text-sm text-slate-700">
          Something went wrong while reading the pipeline. Nothing was changed. Try again; if it keeps happening, check
          that the database is running and migrated (<code>npm run db:migrate</code>).
        </p>
        {error.digest ? <p className="mt-2 text-xs text-slate-500">Error reference: {error.digest}</p> : null}
        <div className="mt-4 flex gap-3">
          <Button variant="primary" onClick={reset}>
            Try again
          </Button>
          <Link href="/" className="self-center text-sm text-blue-800 underline">
            Back to the team overview
          </Link>
        </div>
      </div>
    </main>
  );
}
