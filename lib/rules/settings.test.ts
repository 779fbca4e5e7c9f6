import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SETTINGS, parseRuleSettings, RULE_SETTING_FIELDS, ruleSettingsSchema } from "./settings";
import { RULES } from "./types";

describe("rule settings defaults", () => {
  it("are SPEC.md's thresholds", () => {
    expect(DEFAULT_RULE_SETTINGS).toEqual({
      cycleStatistic: "mean",
      lookbackDays: 365,
      minSample: 10,
      defaultCycleDays: 90,
      pastItsTimeMultiple: 2,
      buyerActivityWithinDays: 21,
      forwardMoveWithinDays: 45,
      untouchedDays: 90,
      stuckInStageMultiple: 2,
      closeDatePushes: 2,
      oneSidedSellerActivities: 5,
      oneSidedWindowDays: 30,
      followUpGapDays: 14,
      noNewPipelineDays: 7,
      maxKeepWaiverDays: 30,
      maxWaitingOnBuyerDays: 30,
      salesTrapPeriodDays: 30,
      salesTrapTrailingPeriods: 3,
    });
  });

  it("cannot be changed by accident", () => {
    expect(Object.isFrozen(DEFAULT_RULE_SETTINGS)).toBe(true);
  });
});

describe("parseRuleSettings (reading OrgSettings.rules)", () => {
  it.each([
    { case: "empty object", json: {}, expected: {} },
    { case: "null (never saved)", json: null, expected: {} },
    { case: "not an object", json: "2x", expected: {} },
    { case: "an array", json: [1, 2], expected: {} },
    { case: "a saved threshold is kept", json: { untouchedDays: 60 }, expected: { untouchedDays: 60 } },
    { case: "median chosen", json: { cycleStatistic: "median" }, expected: { cycleStatistic: "median" } },
    {
      case: "a fractional multiple is fine",
      json: { pastItsTimeMultiple: 2.5 },
      expected: { pastItsTimeMultiple: 2.5 },
    },
    {
      case: "an invalid value falls back to its default, the rest is kept",
      json: { untouchedDays: -3, followUpGapDays: 10 },
      expected: { followUpGapDays: 10 },
    },
    { case: "a wrong type falls back", json: { minSample: "ten" }, expected: {} },
    { case: "fractional days fall back", json: { followUpGapDays: 1.5 }, expected: {} },
    { case: "an unknown statistic falls back", json: { cycleStatistic: "mode" }, expected: {} },
    { case: "a keep longer than a year falls back", json: { maxKeepWaiverDays: 400 }, expected: {} },
  ])("$case", ({ json, expected }) => {
    expect(parseRuleSettings(json)).toEqual({ ...DEFAULT_RULE_SETTINGS, ...expected });
  });

  it("drops keys it does not know", () => {
    expect(parseRuleSettings({ retiredThreshold: 3 })).not.toHaveProperty("retiredThreshold");
  });
});

describe("ruleSettingsSchema (the settings form)", () => {
  it("reports the bad field instead of falling back", () => {
    const result = ruleSettingsSchema.safeParse({ untouchedDays: 0 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([["untouchedDays"]]);
  });

  it("rejects a multiple below 1, which would flag deals younger than the cycle", () => {
    expect(ruleSettingsSchema.safeParse({ pastItsTimeMultiple: 0.5 }).success).toBe(false);
  });
});

describe("RULE_SETTING_FIELDS (labels for the settings screen)", () => {
  it("labels every threshold exactly once, in the schema's order", () => {
    expect(RULE_SETTING_FIELDS.map((field) => field.key)).toEqual(Object.keys(DEFAULT_RULE_SETTINGS));
  });

  it.each(RULE_SETTING_FIELDS.map((field) => [field.key, field] as const))(
    "%s has a label, a help line and real rules",
    (_key, field) => {
      expect(field.label.trim().length).toBeGreaterThan(3);
      expect(field.help).toMatch(/\.$/);
      expect(field.rules.length).toBeGreaterThan(0);
      for (const rule of field.rules) expect(Object.keys(RULES)).toContain(rule);
    },
  );

  it("has no two settings with the same label", () => {
    const labels = RULE_SETTING_FIELDS.map((field) => field.label);
    expect(new Set(labels).size).toBe(labels.length);
  });
});
