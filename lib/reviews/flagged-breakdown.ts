// How severity counts are said wherever they are shown together: as a breakdown
// of the flagged deals, each deal counted once at its worst severity, so the
// parts add up to the total ("29 flagged: 23 stale, 4 at risk, 2 nudges").
import { formatCount } from "@/lib/format";

/** Flagged deals, and how many of them have each severity as their worst. */
export interface FlaggedBreakdown {
  flagged: number;
  stale: number;
  atRisk: number;
  nudge: number;
}

/**
 * "29 flagged: 23 stale, 4 at risk, 2 nudges". Parts with no deal are left out;
 * a remainder (deals whose worst flag is only a warning) is said as "other" so
 * the sentence still adds up to the total.
 */
export function describeFlaggedBreakdown({ flagged, stale, atRisk, nudge }: FlaggedBreakdown): string {
  const other = flagged - stale - atRisk - nudge;
  const parts = [
    stale ? `${formatCount(stale)} stale` : null,
    atRisk ? `${formatCount(atRisk)} at risk` : null,
    nudge ? `${formatCount(nudge)} ${nudge === 1 ? "nudge" : "nudges"}` : null,
    other > 0 ? `${formatCount(other)} other` : null,
  ].filter((part) => part !== null);
  return parts.length ? `${formatCount(flagged)} flagged: ${parts.join(", ")}` : `${formatCount(flagged)} flagged`;
}
