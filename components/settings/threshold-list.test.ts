// Read-only thresholds say their value in words, with the unit and its number.
import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SETTINGS, RULE_SETTING_FIELDS } from "@/lib/rules/settings";
import { describeThreshold } from "./threshold-list";

describe("describeThreshold", () => {
  it.each([
    ["pastItsTimeMultiple", 2, "2.0× the average cycle"],
    ["stuckInStageMultiple", 2.5, "2.5× the median days won deals spend in the stage"],
    ["untouchedDays", 90, "90 days"],
    ["lookbackDays", 1, "1 day"],
    ["minSample", 10, "10 won deals"],
    ["minSample", 1, "1 won deal"],
    ["closeDatePushes", 2, "2 times"],
    ["closeDatePushes", 1, "1 time"],
    ["oneSidedSellerActivities", 1, "1 activity"],
    ["salesTrapTrailingPeriods", 3, "3 periods"],
    ["lookbackDays", 1095, "1,095 days"],
    ["cycleStatistic", "median", "Median"],
    ["cycleStatistic", "mean", "Mean (average)"],
  ] as const)("%s %s reads “%s”", (key, value, text) => {
    expect(describeThreshold(key, value as never)).toBe(text);
  });

  it("says every threshold in words, none as a bare number", () => {
    for (const field of RULE_SETTING_FIELDS) {
      expect(describeThreshold(field.key, DEFAULT_RULE_SETTINGS[field.key])).toMatch(/[a-z]/i);
    }
  });
});
