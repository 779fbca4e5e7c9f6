import { describe, expect, it } from "vitest";
import { flaggedDays, flaggedForText } from "./flagged-for";

const asOf = new Date("2026-12-04T15:00:00Z");

describe("flaggedForText", () => {
  it.each([
    ["2026-12-04T06:00:00Z", "flagged since today (Dec 4)"],
    ["2026-12-03T06:00:00Z", "flagged for 1 day (since Dec 3)"],
    ["2026-11-24T06:00:00Z", "flagged for 10 days (since Nov 24)"],
    ["2026-10-30T06:00:00Z", "flagged for 5 weeks (since Oct 30)"],
    ["2026-06-01T06:00:00Z", "flagged for 6 months (since Jun 1)"],
    ["2025-11-20T06:00:00Z", "flagged for 12 months (since Nov 20, 2025)"],
    ["2023-01-10T06:00:00Z", "flagged for 3 years (since Jan 10, 2023)"],
  ])("since %s: %s", (since, text) => {
    expect(flaggedForText(new Date(since), asOf)).toBe(text);
  });

  it("counts whole UTC days, never below zero", () => {
    expect(flaggedDays(new Date("2026-10-30T23:00:00Z"), asOf)).toBe(35);
    expect(flaggedDays(new Date("2026-12-05T01:00:00Z"), asOf)).toBe(0);
  });
});
