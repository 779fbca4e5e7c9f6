// Team-level thresholds (SPEC "The rules"): organisation defaults, optionally
// overridden per team, and every explanation names the level that applied.
import { describe, expect, it } from "vitest";
import { evaluateDeals } from "./deal-rules";
import { evaluateReps } from "./rep-rules";
import {
  DEFAULT_RULE_SETTINGS,
  describeLevel,
  effectiveThresholds,
  parseTeamOverrides,
  type TeamThresholds,
  teamOverridesSchema,
} from "./settings";
import { AS_OF, contextWith, daysBefore, healthyDeal, settingsWith } from "./test-support";

const ENTERPRISE = { teamName: "Enterprise", overrides: { untouchedDays: 120, pastItsTimeMultiple: 3 } };

describe("effectiveThresholds", () => {
  it("is the organisation defaults, every one at the organisation level, without overrides", () => {
    const org = settingsWith({ untouchedDays: 60 });
    for (const team of [undefined, null, { teamName: "Central", overrides: {} }]) {
      const effective = effectiveThresholds(org, team);
      expect(effective.values).toEqual(org);
      expect(effective.levelOf("untouchedDays")).toEqual({ kind: "organisation" });
    }
  });

  it("puts the team's overrides over the organisation defaults and names the level per threshold", () => {
    const org = settingsWith({ untouchedDays: 60, followUpGapDays: 10 });
    const effective = effectiveThresholds(org, ENTERPRISE);
    expect(effective.values).toEqual({ ...org, untouchedDays: 120, pastItsTimeMultiple: 3 });
    expect(effective.levelOf("untouchedDays")).toEqual({ kind: "team", teamName: "Enterprise" });
    expect(effective.levelOf("pastItsTimeMultiple")).toEqual({ kind: "team", teamName: "Enterprise" });
    expect(effective.levelOf("followUpGapDays")).toEqual({ kind: "organisation" });
    expect(org.untouchedDays).toBe(60); // the defaults object is left as it was
  });

  it("ignores stored overrides that are no longer valid or not a team's to set", () => {
    const effective = effectiveThresholds(DEFAULT_RULE_SETTINGS, {
      teamName: "West",
      // stored JSON may hold anything: an out-of-range value and an organisation-wide key
      overrides: parseTeamOverrides({ untouchedDays: -4, lookbackDays: 30, followUpGapDays: 21 }),
    });
    expect(effective.values.untouchedDays).toBe(DEFAULT_RULE_SETTINGS.untouchedDays);
    expect(effective.values.lookbackDays).toBe(DEFAULT_RULE_SETTINGS.lookbackDays);
    expect(effective.values.followUpGapDays).toBe(21);
    expect(effective.levelOf("followUpGapDays")).toEqual({ kind: "team", teamName: "West" });
    expect(effective.levelOf("untouchedDays")).toEqual({ kind: "organisation" });
  });
});

describe("teamOverridesSchema", () => {
  it("accepts any overridable threshold alone, validated like the organisation's", () => {
    expect(teamOverridesSchema.parse({ untouchedDays: 120 })).toEqual({ untouchedDays: 120 });
    expect(teamOverridesSchema.parse({})).toEqual({});
    expect(teamOverridesSchema.safeParse({ untouchedDays: 0 }).success).toBe(false);
    expect(teamOverridesSchema.safeParse({ pastItsTimeMultiple: 25 }).success).toBe(false);
  });

  it("refuses an organisation-wide threshold by name, saying who sets it", () => {
    const result = teamOverridesSchema.safeParse({ lookbackDays: 30 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/lookbackDays cannot be set per team.*admin/);
  });
});

describe("describeLevel", () => {
  it("says organisation default or the team's setting, without doubling 'team'", () => {
    expect(describeLevel({ kind: "organisation" })).toBe("organisation default");
    expect(describeLevel({ kind: "team", teamName: "Enterprise" })).toBe("Enterprise team's setting");
    expect(describeLevel({ kind: "team", teamName: "Inside Sales Team" })).toBe("Inside Sales Team's setting");
  });
});

describe("rules judged with each team's thresholds", () => {
  const byTeam: TeamThresholds = (teamId) =>
    teamId === "t-ent" ? effectiveThresholds(DEFAULT_RULE_SETTINGS, ENTERPRISE) : undefined;
  // No activity for 100 days: over the organisation's 90, under Enterprise's 120.
  const quiet = (id: number, teamId: string | null) =>
    healthyDeal({
      id,
      teamId,
      openedAt: daysBefore(150),
      lastActivityAt: daysBefore(100),
      lastBuyerActivityAt: daysBefore(100),
      lastSellerActivityAt: daysBefore(100),
    });

  it("flags a deal by its own team's threshold, not another team's", () => {
    const verdicts = evaluateDeals(
      [quiet(1, "t-ent"), quiet(2, "t-central"), quiet(3, null)],
      contextWith(),
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      byTeam,
    );
    const untouched = (dealId: number) =>
      verdicts.find((v) => v.dealId === dealId)?.flags.find((flag) => flag.rule === "untouched");
    expect(untouched(1)).toBeUndefined();
    expect(untouched(2)?.explanation).toBe(
      "No activity from either side for 100 days (limit 90 days, organisation default).",
    );
    expect(untouched(3)?.metrics.limitDays).toBe(90);
  });

  it("names the team's setting in the explanation when the team's threshold flagged the deal", () => {
    const [verdict] = evaluateDeals(
      [
        healthyDeal({
          teamId: "t-ent",
          openedAt: daysBefore(150),
          lastActivityAt: daysBefore(130),
          lastBuyerActivityAt: daysBefore(130),
          lastSellerActivityAt: daysBefore(130),
        }),
      ],
      contextWith(),
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      byTeam,
    );
    const untouched = verdict?.flags.find((flag) => flag.rule === "untouched");
    expect(untouched?.explanation).toBe(
      "No activity from either side for 130 days (limit 120 days, Enterprise team's setting).",
    );
    expect(untouched?.metrics.limitDays).toBe(120);
    // One readable sentence.
    expect(untouched?.explanation.match(/\.(\s|$)/g)).toHaveLength(1);
  });

  it("names the level of the multiple in past-its-time", () => {
    // 300 days against the 90-day default cycle: 3.33×, over Enterprise's 3.0× and the organisation's 2.0×.
    const old = (teamId: string) => healthyDeal({ teamId, openedAt: daysBefore(300), lastForwardMoveAt: null });
    const verdicts = evaluateDeals(
      [old("t-ent"), old("t-central")],
      contextWith(),
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      byTeam,
    );
    const texts = verdicts.map((v) => v.flags.find((flag) => flag.rule === "past-its-time")?.explanation);
    expect(texts[0]).toContain("over the 3.0× limit (Enterprise team's setting)");
    expect(texts[1]).toContain("over the 2.0× limit (organisation default)");
  });

  it("judges a rep by their team's no-new-pipeline threshold", () => {
    const rep = (id: string, teamId: string | null) => ({
      id,
      name: id,
      teamId,
      lastOpenedAt: daysBefore(10),
      firstOpenedAt: daysBefore(400),
      startDate: null,
    });
    const central: TeamThresholds = (teamId) =>
      teamId === "t-central"
        ? effectiveThresholds(DEFAULT_RULE_SETTINGS, { teamName: "Central", overrides: { noNewPipelineDays: 14 } })
        : undefined;
    const verdicts = evaluateReps([rep("a", "t-central"), rep("b", "t-west")], DEFAULT_RULE_SETTINGS, AS_OF, central);
    expect(verdicts.map((v) => v.flags.length)).toEqual([0, 1]);
    expect(verdicts[1]?.flags[0]?.explanation).toMatch(/limit 7 days, organisation default\)\.$/);
  });
});
