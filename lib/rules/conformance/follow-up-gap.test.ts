// SPEC "The rules", follow-up-gap (nudge): no seller activity for 14 days,
// suppressed by a "waiting on buyer" waiver (through its last day, granted by
// asOf). A deal never followed up counts from when it opened. Not judged where
// the organisation has no activities at all. Expected verdicts by hand.
import { describe, expect, it } from "vitest";
import { contextWith, daysBefore, healthyDeal, settingsWith, utcDate } from "../test-support";
import type { DealFacts, DealWaiver } from "../types";
import { type Verdict, verdictOf } from "./verdict";

const settings = settingsWith();
const context = contextWith();
const lastSeller = (days: number, more: Partial<DealFacts> = {}) =>
  healthyDeal({ lastSellerActivityAt: daysBefore(days), ...more });

describe("follow-up-gap: 14 days without seller activity", () => {
  it.each<[string, DealFacts, Verdict]>([
    ["last seller activity 13 days ago", lastSeller(13), "clear"],
    ["exactly 14 days ago", lastSeller(14), "clear"],
    ["15 days ago", lastSeller(15), "flagged"],
    [
      "never followed up, opened 14 days ago",
      healthyDeal({ openedAt: daysBefore(14), lastSellerActivityAt: null }),
      "clear",
    ],
    [
      "never followed up, opened 15 days ago",
      healthyDeal({ openedAt: daysBefore(15), lastSellerActivityAt: null }),
      "flagged",
    ],
  ])("%s → %s", (_case, deal, expected) => {
    expect(verdictOf("follow-up-gap", deal, context, settings)).toBe(expected);
  });
});

describe("follow-up-gap: the waiting-on-buyer waiver", () => {
  const waiting = (until: string, more: Partial<DealWaiver> = {}): DealWaiver[] => [
    {
      kind: "waiting_on_buyer",
      until: utcDate(until),
      reason: "Buyer asked for time",
      createdAt: daysBefore(3),
      ...more,
    },
  ];
  it.each<[string, DealWaiver[], Verdict]>([
    ["until tomorrow", waiting("2024-06-15"), "waived"],
    ["until asOf's day (its last day)", waiting("2024-06-14"), "waived"],
    ["until the day before (expired)", waiting("2024-06-13"), "flagged"],
    ["granted after asOf (not in effect yet)", waiting("2024-06-20", { createdAt: daysBefore(-1) }), "flagged"],
    ["replaced before asOf", waiting("2024-06-20", { endedAt: daysBefore(1) }), "flagged"],
  ])("%s → %s", (_case, waivers, expected) => {
    expect(verdictOf("follow-up-gap", lastSeller(15, { waivers }), context, settings)).toBe(expected);
  });
});

describe("follow-up-gap: missing data", () => {
  it("is not judged when the organisation has no activities at all", () => {
    const none = contextWith({ activitiesRecorded: false });
    expect(verdictOf("follow-up-gap", healthyDeal({ lastSellerActivityAt: null }), none, settings)).toBe("not judged");
  });
});
