// The rep page's "Since last week" strip: the rep's open pipeline then and
// now, and what moved it, each number a link to the deals behind it.
import Link from "next/link";
import type { WhatChanged } from "@/lib/changes/data";
import { changesHref } from "@/lib/changes/window";
import { formatDate } from "@/lib/format";
import { RepChangeLine } from "./rep-change-line";
import { openPipelineSentence } from "./wording";

export function RepChangesStrip({
  changes,
  repId,
  currency,
}: {
  changes: WhatChanged;
  repId: string;
  currency: string;
}) {
  const { total, from, to } = changes;
  return (
    <section
      aria-labelledby="rep-changes-title"
      className="mb-4 flex flex-wrap items-baseline gap-x-3 gap-y-1 rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm shadow-sm"
      data-testid="rep-changes-strip"
    >
      <h2 id="rep-changes-title" className="font-semibold text-slate-900">
        Since last week
      </h2>
      <span className="text-slate-600">
        {formatDate(from)} → {formatDate(to)}
      </span>
      <span>{openPipelineSentence(total, currency)}</span>
      <span aria-hidden="true">·</span>
      <RepChangeLine changes={total} currency={currency} window={{ from, to }} repId={repId} />
      <Link href={changesHref({ from, to, repId })} className="ml-auto text-blue-800 underline">
        Every change
      </Link>
    </section>
  );
}
