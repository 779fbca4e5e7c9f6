"use client";
// "Inside the pipeline" on the overview and the changes page: the moves that
// leave the pipeline's value as it is (count and value, each a link), then one
// line per rep. A client component on purpose: React's payload carries these
// as a few numbers and words per rep instead of their whole element tree (the
// 60 KB page budget, issue 13); the server still renders the same HTML.
import Link from "next/link";
import { MOVEMENT_LABELS, type OTHER_MOVEMENTS } from "@/lib/changes/movements";
import { changesHref } from "@/lib/changes/window";
import { formatCount } from "@/lib/format";
import { ChangeLinks } from "./change-links";
import { type LinePart, moneyOf } from "./wording";

export interface ChangesFilter {
  teamId?: string | null;
  repId?: string | null;
}

/** One rep's week in a line: the movements that happened, in words (empty when nothing changed). */
export interface RepLine {
  repId: string;
  repName: string;
  parts: LinePart[];
}

export function InsidePipeline({
  movements,
  reps,
  currency,
  window,
  filter,
}: {
  /** Each move inside the pipeline: how many deals, and their value in cents. */
  movements: { kind: (typeof OTHER_MOVEMENTS)[number]; count: number; valueCents: number }[];
  /** Null when the lines are not shown (one rep, or the changes page of one rep). */
  reps: RepLine[] | null;
  currency: string;
  window: { from: Date; to: Date };
  filter: ChangesFilter;
}) {
  return (
    <>
      <dl className="movement-list">
        {movements.map((movement) => (
          <div key={movement.kind} className="contents" data-testid={`movement-${movement.kind}`}>
            <dt>{MOVEMENT_LABELS[movement.kind]}</dt>
            <dd>
              <Link
                href={changesHref({ movement: movement.kind, ...window, ...filter })}
                aria-label={`${MOVEMENT_LABELS[movement.kind]}: ${formatCount(movement.count)} ${movement.count === 1 ? "deal" : "deals"}`}
              >
                {formatCount(movement.count)}
              </Link>
            </dd>
            <dd className="text-slate-600">{moneyOf(movement.valueCents, currency)}</dd>
          </div>
        ))}
      </dl>
      {reps ? (
        <>
          <h3 className="mt-4 font-semibold text-slate-900">By rep</h3>
          <ul className="mt-1 space-y-1 text-sm">
            {reps.map((rep) => (
              <li key={rep.repId} data-testid={`rep-changes-${rep.repId}`}>
                <span className="font-medium">{rep.repName}</span>
                {": "}
                {rep.parts.length === 0 ? (
                  "no changes"
                ) : (
                  <ChangeLinks parts={rep.parts} window={window} repId={rep.repId} />
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
