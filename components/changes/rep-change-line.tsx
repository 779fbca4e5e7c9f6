// One rep's week in a line — "+2 new $140K · 1 pushed · 1 newly flagged" —
// each part a link to the deals behind it (drawn by ChangeLinks in the browser).
import type { PipelineChanges } from "@/lib/changes/movements";
import { ChangeLinks } from "./change-links";
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
  return <ChangeLinks parts={parts} window={window} repId={repId} className={className} />;
}
