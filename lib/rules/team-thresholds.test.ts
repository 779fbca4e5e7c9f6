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
  type TeamOverrides,
  type TeamThresholds,
  teamOverridesSchema,
} from "./settings";
import { buildRuleContext, type WonStageStint } from "./statistics";
import { evaluateTeams, type TeamFacts } from "./team-rules";
import { AS_OF, contextWith, daysBefore, healthyDeal, settingsWith, wonDeals, wonStints } from "./test-support";
import { activeWaivers } from "./waivers";

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

  it("ignores stored overrides that are no longer valid or no longer thresholds", () => {
    const effective = effectiveThresholds(DEFAULT_RULE_SETTINGS, {
      teamName: "West",
      // stored JSON may hold anything: an out-of-range value and a key that is no threshold
      overrides: parseTeamOverrides({ untouchedDays: -4, cycleStatistic: "mode", retired: 30, followUpGapDays: 21 }),
    });
    expect(effective.values.untouchedDays).toBe(DEFAULT_RULE_SETTINGS.untouchedDays);
    expect(effective.values.cycleStatistic).toBe(DEFAULT_RULE_SETTINGS.cycleStatistic);
    expect(effective.values).not.toHaveProperty("retired");
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

  it("accepts every threshold, the cycle settings, waiver limits and sales-trap periods included", () => {
    const all = {
      cycleStatistic: "median",
      lookbackDays: 180,
      minSample: 5,
      defaultCycleDays: 120,
      oneSidedWindowDays: 45,
      salesTrapPeriodDays: 90,
      salesTrapTrailingPeriods: 4,
      maxKeepWaiverDays: 60,
      maxWaitingOnBuyerDays: 14,
    };
    expect(teamOverridesSchema.parse(all)).toEqual(all);
    expect(teamOverridesSchema.safeParse({ cycleStatistic: "mode" }).success).toBe(false);
    expect(teamOverridesSchema.safeParse({ maxKeepWaiverDays: 400 }).success).toBe(false);
  });

  it("refuses a name that is no threshold, saying so", () => {
    const result = teamOverridesSchema.safeParse({ lookbakDays: 30 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("lookbakDays is not a threshold a team can set.");
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

describe("a team's own cycle settings", () => {
  const teams = [
    { id: "t-central", name: "Central" },
    { id: "t-west", name: "West" },
  ];
  const central = (overrides: TeamOverrides): TeamThresholds => {
    const own = effectiveThresholds(DEFAULT_RULE_SETTINGS, { teamName: "Central", overrides });
    return (teamId) => (teamId === "t-central" ? own : undefined);
  };
  // Each team won 10 quick deals (40 days) lately and 10 slow ones (200 days) 300 days ago.
  const history = teams.flatMap((team) => [...wonDeals(10, 40, team.id, 10), ...wonDeals(10, 200, team.id, 300)]);
  const pastItsTime = (deal: ReturnType<typeof healthyDeal>, thresholds: TeamThresholds) => {
    const context = buildRuleContext(
      { teams, wonDeals: history, wonStageStints: [] },
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      thresholds,
    );
    const [verdict] = evaluateDeals([deal], context, DEFAULT_RULE_SETTINGS, AS_OF, thresholds);
    return verdict?.flags.find((flag) => flag.rule === "past-its-time");
  };
  // 100 days old, no recent buyer activity or forward move: only the cycle decides.
  const dealOf = (teamId: string) =>
    healthyDeal({ teamId, openedAt: daysBefore(100), lastBuyerActivityAt: null, lastForwardMoveAt: null });

  it("measures the team's cycle over its own lookback: a different cycle and a different verdict, named", () => {
    const thresholds = central({ lookbackDays: 180 });
    // West: the organisation's 365 days: (10 × 40 + 10 × 200) / 20 = 120 days; 100 days is not past it.
    expect(pastItsTime(dealOf("t-west"), thresholds)).toBeUndefined();
    // Central: only the 40-day wins of the last 180 days; 100 days is 2.5× that.
    const flag = pastItsTime(dealOf("t-central"), thresholds);
    expect(flag?.explanation).toContain(
      "2.5× the Central team's 40-day average cycle (10 won deals; team setting: won in the last 180 days)",
    );
    expect(flag?.metrics.averageCycleDays).toBe(40);
  });

  it("measures the team's cycle with its own statistic", () => {
    // Eleven 40-day wins and ten 200-day ones per team: mean (440 + 2000) / 21 ≈ 116.19 days, median 40.
    const skewed = teams.flatMap((team) => [...wonDeals(11, 40, team.id, 10), ...wonDeals(10, 200, team.id, 300)]);
    const thresholds = central({ cycleStatistic: "median" });
    const context = buildRuleContext(
      { teams, wonDeals: skewed, wonStageStints: [] },
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      thresholds,
    );
    expect(context.cycles.byTeam.get("t-central")).toMatchObject({ days: 40, statistic: "median", scope: "team" });
    expect(context.cycles.byTeam.get("t-west")?.days).toBeCloseTo(116.19, 2);
    const [flagged, kept] = evaluateDeals(
      [dealOf("t-central"), { ...dealOf("t-west"), id: 2 }],
      context,
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      thresholds,
    );
    expect(flagged?.flags.find((flag) => flag.rule === "past-its-time")?.explanation).toContain(
      "the Central team's 40-day median cycle (21 won deals; team setting: median)",
    );
    expect(kept?.flags.find((flag) => flag.rule === "past-its-time")).toBeUndefined();
  });

  it("falls back to the organisation's cycle measured with the organisation's settings when the team has too few", () => {
    // Central wants 30 won deals and measures by median; it has 20, so it takes the organisation's mean.
    const thresholds = central({ minSample: 30, cycleStatistic: "median" });
    const context = buildRuleContext(
      { teams, wonDeals: history, wonStageStints: [] },
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      thresholds,
    );
    expect(context.cycles.byTeam.get("t-central")).toMatchObject({
      scope: "organisation",
      days: 120,
      statistic: "mean",
      teamSampleSize: 20,
      teamSettings: { minSample: 30 },
    });
  });

  it("falls back to the team's own default cycle, named as the team's setting", () => {
    const thresholds = central({ defaultCycleDays: 40 });
    const context = buildRuleContext(
      { teams, wonDeals: [], wonStageStints: [] },
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      thresholds,
    );
    const [centralVerdict, westVerdict] = evaluateDeals(
      [dealOf("t-central"), { ...dealOf("t-west"), id: 2 }],
      context,
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      thresholds,
    );
    expect(centralVerdict?.flags.find((flag) => flag.rule === "past-its-time")?.explanation).toContain(
      "2.5× the Central team's 40-day default cycle (team setting; no won deals to measure)",
    );
    // West keeps the organisation's 90-day default: 100 days is 1.1×, not past it.
    expect(westVerdict?.flags.find((flag) => flag.rule === "past-its-time")).toBeUndefined();
    expect(context.cycles.organisation).toMatchObject({ scope: "default", days: 90 });
  });

  it("measures time in stage over the team's own lookback", () => {
    // Stage 3: 10 won deals spent 10 days there lately; 10 others spent 100 days, won 300 days ago.
    const old: WonStageStint[] = wonStints(10, 3, 100, 2000).map((stint) => ({
      ...stint,
      enteredAt: daysBefore(400),
      leftAt: daysBefore(300),
      closedAt: daysBefore(300),
    }));
    const stints = [...wonStints(10, 3, 10), ...old];
    const thresholds = central({ lookbackDays: 180 });
    const context = buildRuleContext(
      { teams, wonDeals: [], wonStageStints: stints },
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      thresholds,
    );
    const inStage = (id: number, teamId: string) =>
      healthyDeal({ id, teamId, stageEnteredAt: daysBefore(30), lastForwardMoveAt: daysBefore(30) });
    const [centralVerdict, westVerdict] = evaluateDeals(
      [inStage(1, "t-central"), inStage(2, "t-west")],
      context,
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      thresholds,
    );
    // Central: median 10 days → 30 days is 3×; West: median of all 20 is 55 days → not stuck.
    expect(centralVerdict?.flags.some((flag) => flag.rule === "stuck-in-stage")).toBe(true);
    expect(westVerdict?.flags.some((flag) => flag.rule === "stuck-in-stage")).toBe(false);
  });
});

describe("a team's own waiver limits and sales-trap periods", () => {
  it("caps a manager's keep by the deal's team's limit", () => {
    const keep = {
      kind: "manager_keep" as const,
      until: daysBefore(-20),
      reason: "Board decision",
      createdAt: daysBefore(40),
    };
    const asOfMs = AS_OF.getTime();
    const asOfDay = Math.floor(asOfMs / 86_400_000);
    // Granted 40 days ago: past the organisation's 30-day cap, within a 60-day team cap.
    expect(activeWaivers([keep], DEFAULT_RULE_SETTINGS, asOfMs, asOfDay)).toHaveLength(0);
    expect(activeWaivers([keep], settingsWith({ maxKeepWaiverDays: 60 }), asOfMs, asOfDay)).toHaveLength(1);
    const longKeeps: TeamThresholds = (teamId) =>
      teamId === "t-ent"
        ? effectiveThresholds(DEFAULT_RULE_SETTINGS, { teamName: "Enterprise", overrides: { maxKeepWaiverDays: 60 } })
        : undefined;
    const quiet = (id: number, teamId: string) =>
      healthyDeal({
        id,
        teamId,
        lastActivityAt: daysBefore(100),
        lastBuyerActivityAt: daysBefore(100),
        lastSellerActivityAt: daysBefore(100),
        openedAt: daysBefore(150),
        waivers: [keep],
      });
    const [enterprise, central] = evaluateDeals(
      [quiet(1, "t-ent"), quiet(2, "t-central")],
      contextWith(),
      DEFAULT_RULE_SETTINGS,
      AS_OF,
      longKeeps,
    );
    expect(enterprise?.flags).toHaveLength(0);
    expect(enterprise?.suppressed.length).toBeGreaterThan(0);
    expect(central?.flags.some((flag) => flag.rule === "untouched")).toBe(true);
  });

  it("judges the sales trap over the team's own periods and names them as the team's", () => {
    // Won more than usual while open and new pipeline fell, over 4 periods (3 trailing + current).
    const period = (won: number, open: number, created: number) => ({
      wonCents: won,
      openPipelineCents: open,
      newPipelineCents: created,
    });
    const team = (id: string, name: string): TeamFacts => ({
      id,
      name,
      currency: "USD",
      periods: [period(100, 1000, 500), period(100, 1000, 500), period(100, 1000, 500), period(400, 500, 100)],
    });
    const quarterly: TeamThresholds = (teamId) =>
      teamId === "t-ent"
        ? effectiveThresholds(DEFAULT_RULE_SETTINGS, { teamName: "Enterprise", overrides: { salesTrapPeriodDays: 90 } })
        : undefined;
    const [enterprise, central] = evaluateTeams(
      [team("t-ent", "Enterprise"), team("t-central", "Central")],
      DEFAULT_RULE_SETTINGS,
      quarterly,
    );
    expect(enterprise?.flags[0]?.explanation).toMatch(
      /in the last 90 days .* \(periods: Enterprise team's setting\)\.$/,
    );
    expect(enterprise?.flags[0]?.metrics.periodDays).toBe(90);
    expect(central?.flags[0]?.explanation).toMatch(/in the last 30 days .*\(average \$5\)\.$/);
  });
});
