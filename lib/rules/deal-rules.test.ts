import { describe, expect, it } from "vitest";
import { dealClocks, evaluateDeal, evaluateDeals } from "./deal-rules";
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from "./settings";
import type { RuleContext } from "./statistics";
import {
  AS_OF,
  contextWith,
  daysBefore,
  healthyDeal,
  settingsWith,
  utcDate,
  wonDeals,
  wonStints,
} from "./test-support";
import type { DealFacts, DealFlag, DealRuleName } from "./types";

const noWonDeals = contextWith();

function flagFor(
  rule: DealRuleName,
  deal: DealFacts,
  context: RuleContext = noWonDeals,
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
  asOf: Date = AS_OF,
): DealFlag | undefined {
  return evaluateDeal(deal, context, settings, asOf).flags.find((flag) => flag.rule === rule);
}

describe("a healthy deal", () => {
  it("raises no flag", () => {
    expect(evaluateDeal(healthyDeal(), noWonDeals, DEFAULT_RULE_SETTINGS, AS_OF)).toEqual({
      dealId: 1,
      flags: [],
      suppressed: [],
      // No won deal passed through Proposal and it has no day limit: nothing to compare with.
      notJudged: [
        {
          rule: "stuck-in-stage",
          reason: "not judged: 0 won deals passed through Proposal (10 needed) and it has no day limit",
        },
      ],
    });
  });
});

describe("past-its-time (default: 2 × the 90-day default cycle = 180 days)", () => {
  const old = (age: number, more: Partial<DealFacts> = {}) =>
    healthyDeal({ openedAt: daysBefore(age), lastBuyerActivityAt: null, lastForwardMoveAt: null, ...more });

  it.each([
    { case: "exactly at 2× (180 days)", deal: old(180), flagged: false },
    { case: "one day past (181 days)", deal: old(181), flagged: true },
    {
      case: "buyer active 21 days ago and moved forward 45 days ago (both at the edge)",
      deal: old(400, { lastBuyerActivityAt: daysBefore(21), lastForwardMoveAt: daysBefore(45) }),
      flagged: false,
    },
    {
      case: "buyer active 22 days ago, moved forward recently",
      deal: old(400, { lastBuyerActivityAt: daysBefore(22), lastForwardMoveAt: daysBefore(5) }),
      flagged: true,
    },
    {
      case: "buyer active recently, moved forward 46 days ago",
      deal: old(400, { lastBuyerActivityAt: daysBefore(3), lastForwardMoveAt: daysBefore(46) }),
      flagged: true,
    },
    {
      case: "buyer activity without stage progress",
      deal: old(400, { lastBuyerActivityAt: daysBefore(1), lastForwardMoveAt: null }),
      flagged: true,
    },
    {
      case: "stage progress without buyer activity",
      deal: old(400, { lastBuyerActivityAt: null, lastForwardMoveAt: daysBefore(1) }),
      flagged: true,
    },
    {
      case: "moved back a stage yesterday (not progress; last forward move long ago)",
      deal: old(400, {
        lastBuyerActivityAt: daysBefore(2),
        stageEnteredAt: daysBefore(1),
        lastForwardMoveAt: daysBefore(200),
      }),
      flagged: true,
    },
    {
      case: "buyer activity 'after asOf' does not count as recent",
      deal: old(400, { lastBuyerActivityAt: daysBefore(-2), lastForwardMoveAt: daysBefore(5) }),
      flagged: true,
    },
    {
      case: "a forward move later on asOf's day (after the asOf instant) does not count",
      deal: old(400, { lastBuyerActivityAt: daysBefore(1), lastForwardMoveAt: new Date(AS_OF.getTime() + 3_600_000) }),
      flagged: true,
    },
  ])("$case → flagged: $flagged", ({ deal, flagged }) => {
    expect(flagFor("past-its-time", deal) !== undefined).toBe(flagged);
  });

  it("explains the team's cycle with its numbers (the SPEC example)", () => {
    const context = contextWith({ teams: [{ id: "t-c", name: "Central" }], wonDeals: wonDeals(41, 88, "t-c") });
    const deal = healthyDeal({
      teamId: "t-c",
      openedAt: daysBefore(212),
      lastForwardMoveAt: daysBefore(150),
      lastBuyerActivityAt: daysBefore(97),
    });
    const flag = flagFor("past-its-time", deal, context);
    expect(flag).toEqual({
      rule: "past-its-time",
      severity: "stale",
      explanation:
        "Open 212 days — 2.4× the Central team's 88-day average cycle (41 won deals), over the 2.0× limit (organisation default); last forward stage move 150 days ago; last buyer activity 97 days ago.",
      // Anchors, not day counts: the days it counts from, the limit and the cycle with its scope.
      metrics: {
        openedOn: "2023-11-15",
        limitMultiple: 2,
        limitSetBy: null,
        limitDays: 176,
        averageCycleDays: 88,
        cycleScope: "team",
        cycleStatistic: "mean",
        cycleSampleSize: 41,
        cycleTeamName: "Central",
        cycleTeamSampleSize: null,
        lastForwardMoveOn: "2024-01-16",
        lastBuyerActivityOn: "2024-03-09",
        activitiesRecorded: true,
      },
    });
  });

  it("says when there were no won deals to measure, and never rounds down to the threshold", () => {
    const flag = flagFor("past-its-time", old(181));
    expect(flag?.explanation).toBe(
      "Open 181 days — 2.01× the default 90-day cycle (no won deals to measure), over the 2.0× limit (organisation default); no forward stage move since it opened; no buyer activity recorded.",
    );
    expect(flag?.metrics).toMatchObject({ cycleScope: "default", cycleSampleSize: 0, averageCycleDays: 90 });
  });

  it("says the default was used because there were too few won deals", () => {
    const context = contextWith({ wonDeals: wonDeals(4, 30, null) });
    expect(flagFor("past-its-time", old(200), context)?.explanation).toContain(
      "the default 90-day cycle (only 4 won deals to measure)",
    );
  });

  it("names the organisation when the owner's team has too few wins", () => {
    const context = contextWith({
      teams: [
        { id: "t-w", name: "West" },
        { id: "t-c", name: "Central" },
      ],
      wonDeals: [...wonDeals(3, 30, "t-w"), ...wonDeals(11, 60, "t-c")],
    });
    // (3 × 30 + 11 × 60) / 14 = 53.5714… days, unrounded; 2 × it = 107.14: a 108-day-old deal is past it.
    const deal = old(108, { teamId: "t-w" });
    expect(flagFor("past-its-time", deal, context)?.explanation).toBe(
      "Open 108 days — 2.02× the organisation's 53.57-day average cycle (14 won deals; the West team has only 3), over the 2.0× limit (organisation default); no forward stage move since it opened; no buyer activity recorded.",
    );
    expect(flagFor("past-its-time", old(107, { teamId: "t-w" }), context)).toBeUndefined();
  });

  it("says so when the owner's team has no wins of its own", () => {
    const context = contextWith({ teams: [{ id: "t-new", name: "New Markets" }], wonDeals: wonDeals(10, 50, null) });
    expect(flagFor("past-its-time", old(101, { teamId: "t-new" }), context)?.explanation).toContain(
      "the organisation's 50-day average cycle (10 won deals; the New Markets team has none)",
    );
  });

  it("uses the median when the setting says so, and says 'median'", () => {
    const settings = settingsWith({ cycleStatistic: "median" });
    const won = [...wonDeals(9, 30, null), ...wonDeals(1, 400, null)]; // mean 67, median 30
    const context = contextWith({ wonDeals: won }, settings);
    const deal = old(61);
    expect(flagFor("past-its-time", deal, context, settings)?.explanation).toContain(
      "2.03× the organisation's 30-day median cycle (10 won deals)",
    );
    // With the mean (67 days) the same deal is nowhere near 2×.
    expect(flagFor("past-its-time", deal, contextWith({ wonDeals: won }))).toBeUndefined();
  });

  it("follows the multiple setting", () => {
    const settings = settingsWith({ pastItsTimeMultiple: 1.5 });
    expect(flagFor("past-its-time", old(135), noWonDeals, settings)).toBeUndefined();
    expect(flagFor("past-its-time", old(136), noWonDeals, settings)?.explanation).toMatch(/^Open 136 days — 1\.51× /);
  });
});

describe("untouched (no activity from either side for more than 90 days)", () => {
  const quiet = (more: Partial<DealFacts>) =>
    healthyDeal({
      openedAt: daysBefore(300),
      lastActivityAt: null,
      lastBuyerActivityAt: null,
      lastSellerActivityAt: null,
      ...more,
    });

  it.each([
    { case: "last activity 90 days ago", deal: quiet({ lastActivityAt: daysBefore(90) }), flagged: false },
    { case: "last activity 91 days ago", deal: quiet({ lastActivityAt: daysBefore(91) }), flagged: true },
    { case: "no activity at all, opened 90 days ago", deal: quiet({ openedAt: daysBefore(90) }), flagged: false },
    { case: "no activity at all, opened 91 days ago", deal: quiet({ openedAt: daysBefore(91) }), flagged: true },
    {
      case: "only the buyer rollup is set, 10 days ago",
      deal: quiet({ lastBuyerActivityAt: daysBefore(10) }),
      flagged: false,
    },
    {
      case: "the latest activity is after asOf; the one before it is 120 days old",
      deal: quiet({ lastActivityAt: daysBefore(-3), lastSellerActivityAt: daysBefore(120) }),
      flagged: true,
    },
  ])("$case → flagged: $flagged", ({ deal, flagged }) => {
    expect(flagFor("untouched", deal) !== undefined).toBe(flagged);
  });

  it("explains a deal with no activities at all from when it opened", () => {
    const verdict = evaluateDeal(quiet({ openedAt: daysBefore(95) }), noWonDeals, DEFAULT_RULE_SETTINGS, AS_OF);
    const byRule = Object.fromEntries(verdict.flags.map((flag) => [flag.rule, flag.explanation]));
    expect(byRule).toEqual({
      untouched: "No activity from either side since it opened 95 days ago (limit 90 days, organisation default).",
      "follow-up-gap": "No seller follow-up since it opened 95 days ago (limit 14 days, organisation default).",
    });
  });

  it("explains a quiet deal with the days since its last activity", () => {
    expect(flagFor("untouched", quiet({ lastActivityAt: daysBefore(91) }))).toEqual({
      rule: "untouched",
      severity: "stale",
      explanation: "No activity from either side for 91 days (limit 90 days, organisation default).",
      metrics: { lastActivityOn: "2024-03-15", openedOn: "2023-08-19", limitDays: 90, limitSetBy: null },
    });
  });
});

describe("stuck-in-stage", () => {
  const inStage = (days: number, more: Partial<DealFacts> = {}) =>
    healthyDeal({ stageEnteredAt: daysBefore(days), lastForwardMoveAt: daysBefore(days), ...more });
  // 12 won deals that spent 12 days in stage 3 ("Proposal"): limit 2 × 12 = 24 days.
  const medianContext = contextWith({ wonStageStints: wonStints(12, 3, 12) });

  it.each([
    {
      case: "stage limit 30, in stage 30 days",
      deal: inStage(30, { stageMaxDaysInStage: 30 }),
      context: noWonDeals,
      flagged: false,
    },
    {
      case: "stage limit 30, in stage 31 days",
      deal: inStage(31, { stageMaxDaysInStage: 30 }),
      context: noWonDeals,
      flagged: true,
    },
    { case: "won deals' median 12 days, in stage 24", deal: inStage(24), context: medianContext, flagged: false },
    { case: "won deals' median 12 days, in stage 25", deal: inStage(25), context: medianContext, flagged: true },
    {
      case: "the stage's own limit wins over the median",
      deal: inStage(50, { stageMaxDaysInStage: 60 }),
      context: medianContext,
      flagged: false,
    },
    { case: "no median data for the stage: not evaluated", deal: inStage(400), context: noWonDeals, flagged: false },
    {
      case: "fewer than minSample won deals in the stage: not evaluated",
      deal: inStage(400),
      context: contextWith({ wonStageStints: wonStints(9, 3, 12) }),
      flagged: false,
    },
    {
      case: "entered the stage after asOf (stage then unknown): not evaluated",
      deal: inStage(-2, { stageMaxDaysInStage: 1 }),
      context: noWonDeals,
      flagged: false,
    },
  ])("$case → flagged: $flagged", ({ deal, context, flagged }) => {
    expect(flagFor("stuck-in-stage", deal, context) !== undefined).toBe(flagged);
  });

  it("moving back restarts time in stage", () => {
    const movedBack = healthyDeal({
      stageMaxDaysInStage: 30,
      stageEnteredAt: daysBefore(3),
      lastForwardMoveAt: daysBefore(90),
    });
    expect(flagFor("stuck-in-stage", movedBack)).toBeUndefined();
    expect(dealClocks(movedBack, AS_OF)).toMatchObject({ daysInStage: 3, daysSinceForwardMove: 90 });
  });

  it.each([
    {
      deal: inStage(31, { stageMaxDaysInStage: 30 }),
      context: noWonDeals,
      explanation: "In Proposal for 31 days — longer than the stage's 30-day limit.",
      metrics: { stageName: "Proposal", stageEnteredOn: "2024-05-14", limitDays: 30, stageMaxDaysInStage: 30 },
    },
    {
      deal: inStage(25),
      context: medianContext,
      explanation:
        "In Proposal for 25 days — 2.1× the 12 days won deals typically spend there (median of 12 won deals; limit 2.0×, organisation default).",
      metrics: {
        stageName: "Proposal",
        stageEnteredOn: "2024-05-20",
        limitDays: 24,
        stageMaxDaysInStage: null,
        medianWonDaysInStage: 12,
        medianSampleSize: 12,
        limitMultiple: 2,
        limitSetBy: null,
      },
    },
  ])("explains: $explanation", ({ deal, context, explanation, metrics }) => {
    expect(flagFor("stuck-in-stage", deal, context)).toEqual({
      rule: "stuck-in-stage",
      severity: "at_risk",
      explanation,
      metrics,
    });
  });
});

describe("close-date-slipping", () => {
  it.each([
    {
      case: "expected close is asOf's day",
      deal: healthyDeal({ expectedCloseDate: utcDate("2024-06-14") }),
      flagged: false,
    },
    {
      case: "expected close was yesterday",
      deal: healthyDeal({ expectedCloseDate: utcDate("2024-06-13") }),
      flagged: true,
    },
    { case: "pushed once", deal: healthyDeal({ closeDatePushCount: 1 }), flagged: false },
    { case: "pushed twice", deal: healthyDeal({ closeDatePushCount: 2 }), flagged: true },
    { case: "no expected close date, never pushed", deal: healthyDeal({ expectedCloseDate: null }), flagged: false },
  ])("$case → flagged: $flagged", ({ deal, flagged }) => {
    expect(flagFor("close-date-slipping", deal) !== undefined).toBe(flagged);
  });

  it.each([
    {
      case: "passed",
      deal: healthyDeal({ expectedCloseDate: utcDate("2024-06-02"), closeDatePushCount: 1 }),
      explanation: "Expected close date Jun 2, 2024 passed 12 days ago.",
      metrics: { expectedCloseOn: "2024-06-02", closeDatePushCount: 1, pushLimit: 2, limitSetBy: null },
    },
    {
      case: "passed and pushed",
      deal: healthyDeal({ expectedCloseDate: utcDate("2024-06-13"), closeDatePushCount: 3 }),
      explanation:
        "Expected close date Jun 13, 2024 passed 1 day ago after being pushed 3 times (limit 2 pushes, organisation default).",
      metrics: { expectedCloseOn: "2024-06-13", closeDatePushCount: 3, pushLimit: 2, limitSetBy: null },
    },
    {
      case: "pushed, still ahead",
      deal: healthyDeal({ closeDatePushCount: 2 }),
      explanation: "Expected close date pushed 2 times, now Jul 15, 2024 (limit 2 pushes, organisation default).",
      metrics: { expectedCloseOn: "2024-07-15", closeDatePushCount: 2, pushLimit: 2, limitSetBy: null },
    },
  ])("explains: $case", ({ deal, explanation, metrics }) => {
    expect(flagFor("close-date-slipping", deal)).toEqual({
      rule: "close-date-slipping",
      severity: "at_risk",
      explanation,
      metrics,
    });
  });

  it("compares with asOf's UTC day, not New York's", () => {
    // 22:00 on Jun 13 in New York is already Jun 14 in UTC: a Jun 13 close date has passed.
    const lateEveningInNewYork = new Date("2024-06-14T02:00:00Z");
    const deal = healthyDeal({
      openedAt: daysBefore(5, lateEveningInNewYork),
      expectedCloseDate: utcDate("2024-06-13"),
    });
    expect(
      flagFor("close-date-slipping", deal, noWonDeals, DEFAULT_RULE_SETTINGS, lateEveningInNewYork)?.explanation,
    ).toBe("Expected close date Jun 13, 2024 passed 1 day ago.");
  });
});

describe("one-sided (5+ seller activities and no buyer activity in the last 30 days)", () => {
  const chasing = (more: Partial<DealFacts>) =>
    healthyDeal({ sellerActivitiesInWindow: 5, buyerActivitiesInWindow: 0, lastBuyerActivityAt: null, ...more });

  it.each([
    { case: "4 seller activities, buyer silent", deal: chasing({ sellerActivitiesInWindow: 4 }), flagged: false },
    { case: "5 seller activities, buyer never active", deal: chasing({}), flagged: true },
    { case: "last buyer activity 30 days ago", deal: chasing({ lastBuyerActivityAt: daysBefore(30) }), flagged: false },
    { case: "last buyer activity 31 days ago", deal: chasing({ lastBuyerActivityAt: daysBefore(31) }), flagged: true },
    {
      case: "caller counted a buyer activity in the window (history review, rollup is later)",
      deal: chasing({ buyerActivitiesInWindow: 1, lastBuyerActivityAt: daysBefore(-10) }),
      flagged: false,
    },
    {
      case: "the only buyer activity is after asOf",
      deal: chasing({ lastBuyerActivityAt: daysBefore(-1) }),
      flagged: true,
    },
  ])("$case → flagged: $flagged", ({ deal, flagged }) => {
    expect(flagFor("one-sided", deal) !== undefined).toBe(flagged);
  });

  it("explains with the counts", () => {
    expect(flagFor("one-sided", chasing({ sellerActivitiesInWindow: 8, lastBuyerActivityAt: daysBefore(45) }))).toEqual(
      {
        rule: "one-sided",
        severity: "at_risk",
        explanation:
          "8 seller activities and no buyer activity in the last 30 days (last one 45 days ago; limit 5 activities, organisation default).",
        metrics: {
          sellerActivitiesInWindow: 8,
          buyerActivitiesInWindow: 0,
          windowDays: 30,
          lastBuyerActivityOn: "2024-04-30",
          limitActivities: 5,
          limitSetBy: null,
        },
      },
    );
    expect(flagFor("one-sided", chasing({}))?.explanation).toBe(
      "5 seller activities and no buyer activity in the last 30 days (none ever recorded; limit 5 activities, organisation default).",
    );
  });
});

describe("follow-up-gap (no seller activity for more than 14 days)", () => {
  it.each([
    {
      case: "seller activity 14 days ago",
      deal: healthyDeal({ lastSellerActivityAt: daysBefore(14) }),
      flagged: false,
    },
    { case: "seller activity 15 days ago", deal: healthyDeal({ lastSellerActivityAt: daysBefore(15) }), flagged: true },
    {
      case: "never followed up, opened 14 days ago",
      deal: healthyDeal({ openedAt: daysBefore(14), lastSellerActivityAt: null }),
      flagged: false,
    },
    {
      case: "never followed up, opened 15 days ago",
      deal: healthyDeal({ openedAt: daysBefore(15), lastSellerActivityAt: null }),
      flagged: true,
    },
    {
      case: "buyer active yesterday does not replace following up",
      deal: healthyDeal({
        lastSellerActivityAt: daysBefore(20),
        lastBuyerActivityAt: daysBefore(1),
        lastActivityAt: daysBefore(1),
      }),
      flagged: true,
    },
    {
      case: "seller activity after asOf counts as none",
      deal: healthyDeal({ openedAt: daysBefore(20), lastSellerActivityAt: daysBefore(-1) }),
      flagged: true,
    },
  ])("$case → flagged: $flagged", ({ deal, flagged }) => {
    expect(flagFor("follow-up-gap", deal) !== undefined).toBe(flagged);
  });

  it("explains the gap", () => {
    expect(flagFor("follow-up-gap", healthyDeal({ lastSellerActivityAt: daysBefore(15) }))).toEqual({
      rule: "follow-up-gap",
      severity: "nudge",
      explanation: "No seller activity for 15 days (limit 14 days, organisation default).",
      metrics: { lastSellerActivityOn: "2024-05-30", openedOn: "2024-05-15", limitDays: 14, limitSetBy: null },
    });
  });
});

describe("a DST change inside the window (tests run in New York)", () => {
  // asOf: Mar 11 2024, 23:30 EDT in New York. The clocks sprang forward on Mar 10.
  const asOf = new Date("2024-03-12T03:30:00Z");

  it.each([
    // Feb 27 23:30 EST → 14 UTC days, though only 14 × 24 − 1 hours elapsed.
    { lastSeller: "2024-02-27T04:30:00Z", gapDays: 14, flagged: false },
    { lastSeller: "2024-02-26T04:30:00Z", gapDays: 15, flagged: true },
  ])("follow-up gap from $lastSeller is $gapDays days → flagged: $flagged", ({ lastSeller, gapDays, flagged }) => {
    const deal = healthyDeal({
      openedAt: new Date("2024-02-01T15:00:00Z"),
      lastSellerActivityAt: new Date(lastSeller),
      lastActivityAt: new Date(lastSeller),
      lastBuyerActivityAt: new Date(lastSeller),
      stageEnteredAt: new Date("2024-03-01T15:00:00Z"),
      expectedCloseDate: utcDate("2024-04-30"),
    });
    expect(dealClocks(deal, asOf).daysSinceSellerActivity).toBe(gapDays);
    expect(flagFor("follow-up-gap", deal, noWonDeals, DEFAULT_RULE_SETTINGS, asOf) !== undefined).toBe(flagged);
  });

  it("the deal's age is calendar days across the change", () => {
    // Opened Nov 1 2023 12:00 EDT (16:00Z); the fall-back and spring-forward nights both lie in between.
    const deal = healthyDeal({ openedAt: new Date("2023-11-01T16:00:00Z") });
    expect(dealClocks(deal, asOf).dealAgeDays).toBe(132); // Nov 1 → Mar 12 (UTC days), 2024 is a leap year
  });
});

describe("deals opened after asOf", () => {
  // Would be flagged for pushes if it existed.
  const notYetOpened = healthyDeal({ id: 2, openedAt: daysBefore(-1), closeDatePushCount: 5 });

  it("get no flags from evaluateDeal", () => {
    expect(evaluateDeal(notYetOpened, noWonDeals, DEFAULT_RULE_SETTINGS, AS_OF)).toEqual({
      dealId: 2,
      flags: [],
      suppressed: [],
      notJudged: [],
    });
  });

  it("are left out of evaluateDeals", () => {
    const pushed = healthyDeal({ id: 3, closeDatePushCount: 5 });
    const verdicts = evaluateDeals([notYetOpened, pushed], noWonDeals, DEFAULT_RULE_SETTINGS, AS_OF);
    expect(verdicts.map((v) => v.dealId)).toEqual([3]);
    expect(verdicts[0]?.flags.map((f) => f.rule)).toEqual(["close-date-slipping"]);
  });

  it("a deal opened earlier on asOf's day is evaluated (0 days old)", () => {
    const openedThisMorning = healthyDeal({ openedAt: new Date(AS_OF.getTime() - 3_600_000), closeDatePushCount: 2 });
    expect(dealClocks(openedThisMorning, AS_OF).dealAgeDays).toBe(0);
    expect(flagFor("close-date-slipping", openedThisMorning)).toBeDefined();
  });
});

describe("a deal several rules find at once", () => {
  it("lists every flag, most serious first, each with its own explanation", () => {
    const abandoned = healthyDeal({
      openedAt: daysBefore(500),
      lastActivityAt: null,
      lastBuyerActivityAt: null,
      lastSellerActivityAt: null,
      stageEnteredAt: daysBefore(400),
      lastForwardMoveAt: null,
      stageMaxDaysInStage: 60,
      expectedCloseDate: utcDate("2023-12-31"),
      closeDatePushCount: 4,
      sellerActivitiesInWindow: 0,
      buyerActivitiesInWindow: 0,
    });
    const { flags } = evaluateDeal(abandoned, noWonDeals, DEFAULT_RULE_SETTINGS, AS_OF);
    expect(flags.map((f) => [f.rule, f.severity])).toEqual([
      ["past-its-time", "stale"],
      ["untouched", "stale"],
      ["stuck-in-stage", "at_risk"],
      ["close-date-slipping", "at_risk"],
      ["follow-up-gap", "nudge"],
    ]);
    for (const flag of flags) {
      expect(flag.explanation).toMatch(/\d/); // states its numbers
      expect(flag.explanation.match(/\.(\s|$)/g)).toHaveLength(1); // one sentence
      expect(JSON.parse(JSON.stringify(flag.metrics))).toEqual(flag.metrics); // plain JSON
    }
  });
});
