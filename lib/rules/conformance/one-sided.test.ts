// SPEC "The rules", one-sided (at-risk): ≥ 5 seller activities and no buyer
// activity in the last 30 days. Waiting on the buyer does NOT hold it back
// (SPEC: it suppresses only the follow-up nudge); a manager's keep does.
// Not judged where the organisation has no activities at all.
// Expected verdicts worked out by hand.
import { describe, expect, it } from "vitest";
import { contextWith, daysBefore, healthyDeal, settingsWith, utcDate } from "../test-support";
import type { DealFacts } from "../types";
import { type Verdict, verdictOf } from "./verdict";

const settings = settingsWith();
const context = contextWith();
const chasing = (sellerInWindow: number, lastBuyerDaysAgo: number | null, more: Partial<DealFacts> = {}) =>
  healthyDeal({
    sellerActivitiesInWindow: sellerInWindow,
    buyerActivitiesInWindow: 0,
    lastBuyerActivityAt: lastBuyerDaysAgo === null ? null : daysBefore(lastBuyerDaysAgo),
    lastSellerActivityAt: daysBefore(1),
    lastActivityAt: daysBefore(1),
    ...more,
  });

describe("one-sided: 5 or more seller activities in the window", () => {
  it.each<[number, Verdict]>([
    [4, "clear"],
    [5, "flagged"],
    [6, "flagged"],
  ])("%i seller activities, no buyer activity ever → %s", (count, expected) => {
    expect(verdictOf("one-sided", chasing(count, null), context, settings)).toBe(expected);
  });
});

describe("one-sided: no buyer activity in the last 30 days", () => {
  it.each<[string, number, Verdict]>([
    ["last buyer activity 29 days ago (inside)", 29, "clear"],
    ["exactly 30 days ago (inside: the window includes its first day)", 30, "clear"],
    ["31 days ago (outside)", 31, "flagged"],
  ])("%s → %s", (_case, buyerDaysAgo, expected) => {
    expect(verdictOf("one-sided", chasing(5, buyerDaysAgo), context, settings)).toBe(expected);
  });

  it("a buyer activity counted in the window clears it", () => {
    expect(verdictOf("one-sided", chasing(5, 40, { buyerActivitiesInWindow: 1 }), context, settings)).toBe("clear");
  });
});

describe("one-sided: waivers and missing data", () => {
  const waiver = (kind: "manager_keep" | "waiting_on_buyer", until: string) => [
    { kind, until: utcDate(until), reason: "Buyer on leave", createdAt: daysBefore(2) },
  ];
  it.each<[string, DealFacts, Verdict]>([
    [
      "waiting on the buyer until Jun 20 does not hold it back",
      chasing(6, null, { waivers: waiver("waiting_on_buyer", "2024-06-20") }),
      "flagged",
    ],
    [
      "a manager's keep until Jun 20 does",
      chasing(6, null, { waivers: waiver("manager_keep", "2024-06-20") }),
      "waived",
    ],
  ])("%s → %s", (_case, deal, expected) => {
    expect(verdictOf("one-sided", deal, context, settings)).toBe(expected);
  });

  it("is not judged when the organisation has no activities at all", () => {
    const none = contextWith({ activitiesRecorded: false });
    expect(verdictOf("one-sided", chasing(6, null), none, settings)).toBe("not judged");
  });
});
