// SPEC "The rules", untouched (stale): no activity of either side for 90 days.
// A deal with no activity at all counts from when it opened; where the
// organisation has no activities at all (and no last-activity date came with
// the deal), it is not judged. A manager's keep holds it back; waiting on the
// buyer does not. Expected verdicts worked out by hand.
import { describe, expect, it } from "vitest";
import { contextWith, daysBefore, healthyDeal, settingsWith, utcDate } from "../test-support";
import type { DealFacts } from "../types";
import { type Verdict, verdictOf } from "./verdict";

const settings = settingsWith();
const context = contextWith();
const noActivities = contextWith({ activitiesRecorded: false });
const quietFor = (days: number, more: Partial<DealFacts> = {}) =>
  healthyDeal({
    openedAt: daysBefore(300),
    lastActivityAt: daysBefore(days),
    lastBuyerActivityAt: daysBefore(days),
    lastSellerActivityAt: daysBefore(days),
    ...more,
  });
const never = (age: number) =>
  healthyDeal({
    openedAt: daysBefore(age),
    lastActivityAt: null,
    lastBuyerActivityAt: null,
    lastSellerActivityAt: null,
  });

describe("untouched: threshold 90 days without activity of either side", () => {
  it.each<[string, DealFacts, Verdict]>([
    ["last activity 89 days ago (inside)", quietFor(89), "clear"],
    ["exactly 90 days ago", quietFor(90), "clear"],
    ["91 days ago (outside)", quietFor(91), "flagged"],
    [
      "buyer only, 91 days ago; seller 10 days ago: either side counts",
      quietFor(91, { lastActivityAt: daysBefore(10), lastSellerActivityAt: daysBefore(10) }),
      "clear",
    ],
    ["never any activity, opened 90 days ago", never(90), "clear"],
    ["never any activity, opened 91 days ago", never(91), "flagged"],
  ])("%s → %s", (_case, deal, expected) => {
    expect(verdictOf("untouched", deal, context, settings)).toBe(expected);
  });

  it("follows the setting: 30 days", () => {
    const thirty = settingsWith({ untouchedDays: 30 });
    expect(verdictOf("untouched", quietFor(30), context, thirty)).toBe("clear");
    expect(verdictOf("untouched", quietFor(31), context, thirty)).toBe("flagged");
  });

  it("ignores an activity dated after asOf", () => {
    const deal = quietFor(91, { lastActivityAt: daysBefore(-3) });
    expect(verdictOf("untouched", deal, context, settings)).toBe("flagged");
  });
});

describe("untouched: no activities imported at all", () => {
  it.each<[string, DealFacts, Verdict]>([
    ["a 300-day-old deal with no activity → not judged", never(300), "not judged"],
    [
      "a last-activity date from the deals export, 91 days ago → judged",
      quietFor(91, { lastBuyerActivityAt: null, lastSellerActivityAt: null }),
      "flagged",
    ],
    [
      "a last-activity date from the deals export, 90 days ago → judged",
      quietFor(90, { lastBuyerActivityAt: null, lastSellerActivityAt: null }),
      "clear",
    ],
  ])("%s", (_case, deal, expected) => {
    expect(verdictOf("untouched", deal, noActivities, settings)).toBe(expected);
  });
});

describe("untouched: waivers", () => {
  it.each<[string, "manager_keep" | "waiting_on_buyer", string, Verdict]>([
    ["manager keeps until asOf's day", "manager_keep", "2024-06-14", "waived"],
    ["manager kept until the day before", "manager_keep", "2024-06-13", "flagged"],
    ["waiting on the buyer does not hold it back", "waiting_on_buyer", "2024-06-30", "flagged"],
  ])("%s → %s", (_case, kind, until, expected) => {
    const deal = quietFor(91, { waivers: [{ kind, until: utcDate(until), reason: "x", createdAt: daysBefore(2) }] });
    expect(verdictOf("untouched", deal, context, settings)).toBe(expected);
  });
});
