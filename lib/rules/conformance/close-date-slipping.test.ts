// SPEC "The rules", close-date-slipping (at-risk): the expected close date is
// before asOf (its UTC day), or it was pushed 2 or more times.
// Expected verdicts worked out by hand.
import { describe, expect, it } from "vitest";
import { contextWith, daysBefore, healthyDeal, settingsWith, utcDate } from "../test-support";
import { type Verdict, verdictOf } from "./verdict";

const settings = settingsWith();
const context = contextWith();

describe("close-date-slipping: expected close date before asOf (Jun 14, 2024)", () => {
  it.each<[string, string | null, Verdict]>([
    ["closing tomorrow (inside)", "2024-06-15", "clear"],
    ["closing on asOf's day (at the edge)", "2024-06-14", "clear"],
    ["closing yesterday (outside)", "2024-06-13", "flagged"],
    ["no expected close date", null, "clear"],
  ])("%s → %s", (_case, day, expected) => {
    const deal = healthyDeal({ expectedCloseDate: day === null ? null : utcDate(day) });
    expect(verdictOf("close-date-slipping", deal, context, settings)).toBe(expected);
  });
});

describe("close-date-slipping: pushed 2 or more times", () => {
  it.each<[number, Verdict]>([
    [1, "clear"],
    [2, "flagged"],
    [3, "flagged"],
  ])("%i pushes → %s", (pushes, expected) => {
    expect(verdictOf("close-date-slipping", healthyDeal({ closeDatePushCount: pushes }), context, settings)).toBe(
      expected,
    );
  });

  it("follows the setting: 3 pushes", () => {
    const three = settingsWith({ closeDatePushes: 3 });
    expect(verdictOf("close-date-slipping", healthyDeal({ closeDatePushCount: 2 }), context, three)).toBe("clear");
    expect(verdictOf("close-date-slipping", healthyDeal({ closeDatePushCount: 3 }), context, three)).toBe("flagged");
  });
});

describe("close-date-slipping: waivers", () => {
  it.each<[string, "manager_keep" | "waiting_on_buyer", Verdict]>([
    ["manager keeps", "manager_keep", "waived"],
    ["waiting on the buyer does not hold it back", "waiting_on_buyer", "flagged"],
  ])("%s → %s", (_case, kind, expected) => {
    const deal = healthyDeal({
      expectedCloseDate: utcDate("2024-06-01"),
      waivers: [{ kind, until: utcDate("2024-06-20"), reason: "x", createdAt: daysBefore(1) }],
    });
    expect(verdictOf("close-date-slipping", deal, context, settings)).toBe(expected);
  });
});
