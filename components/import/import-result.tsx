"use client";
// After an import: what was written, in one transaction, with links to the
// pipelines of the reps whose deals came in and to the audit trail. Takes the
// focus when it appears, so keyboard and screen-reader users land on it.
import Link from "next/link";
import { useEffect, useRef } from "react";
import type { ImportResult as Result } from "@/lib/import/run";
import { DataQualityReport } from "./data-quality";
import { plural } from "./wording";

export function ImportResult({ result, seconds }: { result: Result; seconds: number }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const owners = new Map<string, string>();
  for (const file of result.files) for (const owner of file.owners) owners.set(owner.id, owner.name);
  const totals = result.files.reduce(
    (sum, file) => ({
      new: sum.new + file.counts.new,
      updated: sum.updated + file.counts.updated,
      unchanged: sum.unchanged + file.counts.unchanged,
      rejected: sum.rejected + file.counts.rejected,
    }),
    { new: 0, updated: 0, unchanged: 0, rejected: 0 },
  );
  return (
    <section
      aria-labelledby="import-result-title"
      className="rounded-lg border border-emerald-300 bg-emerald-50 p-4"
      data-testid="import-result"
    >
      <h2 id="import-result-title" ref={heading} tabIndex={-1} className="text-lg font-semibold text-emerald-950">
        Imported: {plural(result.files.length, "file")} in {seconds.toLocaleString("en-US")} s, all in one transaction
      </h2>
      <p className="mt-1 text-sm text-emerald-950" role="status">
        {plural(totals.new, "new row")}, {totals.updated.toLocaleString("en-US")} updated,{" "}
        {totals.unchanged.toLocaleString("en-US")} unchanged
        {totals.rejected ? `; ${plural(totals.rejected, "rejected row")} left out, as you chose` : ""}.
        {result.asOf.willFix ? ` Every screen now reads the data as of ${result.asOf.willFix}.` : ""}
      </p>
      <div className="mt-3">
        <DataQualityReport quality={result.quality} />
      </div>
      {owners.size ? (
        <div className="mt-3">
          <h3 className="text-sm font-semibold text-emerald-950">The pipelines of the reps whose deals came in</h3>
          <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {[...owners].map(([id, name]) => (
              <li key={id}>
                <Link href={`/reps/${encodeURIComponent(id)}`} className="text-blue-800 underline">
                  {name}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ul className="mt-3 space-y-1 text-sm text-emerald-950">
        <li>
          <Link href="/audit?kind=imports" className="text-blue-800 underline">
            The import in the audit trail
          </Link>{" "}
          — who imported which files, with every count.
        </li>
        <li>
          New deals are flagged by the next review:{" "}
          <Link href="/" className="text-blue-800 underline">
            run one on the team overview
          </Link>
          .
        </li>
      </ul>
    </section>
  );
}
