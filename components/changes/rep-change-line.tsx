// One rep's week in a line — "+2 new $140K · 1 pushed · 1 newly flagged" —
// each part a link to the deals behind it.
import Link from "next/link";
import type { PipelineChanges } from "@/lib/changes/movements";
import { changesHref } from "@/lib/changes/window";
import { changeLineParts } from "./wording";

export function RepChangeLine({
  changes,
  currency,
  window,
  repId,
  className,
}: {
  changes: PipelineChanges;
  currency: string;
  window: { from: Date; to: Date };
  repId: string;
  className?: string;
}) {
  const parts = changeLineParts(changes, currency);
  if (parts.length === 0) return <span className={className}>no changes</span>;
  return (
    <span className={className}>
      {parts.map((part, index) => (
        <span key={part.kind}>
          {index > 0 ? " · " : null}
          <Link
            href={changesHref({ movement: part.kind, from: window.from, to: window.to, repId })}
            className="change-link"
          >
            {part.text}
          </Link>
        </span>
      ))}
    </span>
  );
}
