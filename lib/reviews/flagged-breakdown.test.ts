import { describe, expect, it } from "vitest";
import { describeFlaggedBreakdown } from "./flagged-breakdown";

describe("describeFlaggedBreakdown", () => {
  it.each([
    [{ flagged: 29, stale: 23, atRisk: 4, nudge: 2 }, "29 flagged: 23 stale, 4 at risk, 2 nudges"],
    [{ flagged: 1, stale: 0, atRisk: 0, nudge: 1 }, "1 flagged: 1 nudge"],
    [{ flagged: 5, stale: 5, atRisk: 0, nudge: 0 }, "5 flagged: 5 stale"],
    [{ flagged: 0, stale: 0, atRisk: 0, nudge: 0 }, "0 flagged"],
    // A deal flagged only with a warning still counts, so the parts add up to the total.
    [{ flagged: 4, stale: 1, atRisk: 1, nudge: 1 }, "4 flagged: 1 stale, 1 at risk, 1 nudge, 1 other"],
    [{ flagged: 1234, stale: 1200, atRisk: 34, nudge: 0 }, "1,234 flagged: 1,200 stale, 34 at risk"],
  ])("says %o as %s", (breakdown, expected) => {
    expect(describeFlaggedBreakdown(breakdown)).toBe(expected);
  });
});
