import { describe, expect, it } from "vitest";
import { evaluateDeal } from "./deal-rules";
import { anchorOf, explainFlag, wordFlag } from "./explain-flag";
import { noNewPipeline } from "./rep-rules";
import { AS_OF, contextWith, daysBefore, healthyDeal, utcDate, wonDeals } from "./test-support";
import { DEFAULT_RULE_SETTINGS } from "./settings";
import { utcDayNumber } from "./days";

// AS_OF is Jun 14, 2024 (15:00 UTC); ten days later is Jun 24.
const TEN_DAYS_LATER = new Date("2024-06-24T09:00:00Z");

const noWonDeals = contextWith();

const stored = (rule: string, metrics: Record<string, unknown>) => ({ rule, explanation: "as stored", metrics });

describe("explainFlag: one stored flag worded as of two dates", () => {
  it.each([
    {
      rule: "past-its-time",
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
      asOfFirst:
        "Open 212 days — 2.4× the Central team's 88-day average cycle (41 won deals), over the 2.0× limit (organisation default); last forward stage move 150 days ago; last buyer activity 97 days ago.",
      tenDaysLater:
        "Open 222 days — 2.5× the Central team's 88-day average cycle (41 won deals), over the 2.0× limit (organisation default); last forward stage move 160 days ago; last buyer activity 107 days ago.",
    },
    {
      // The organisation's cycle because the team had too few wins; the multiple set by the team.
      rule: "past-its-time",
      metrics: {
        openedOn: "2024-01-01",
        limitMultiple: 1.5,
        limitSetBy: "Enterprise",
        limitDays: 142.5,
        averageCycleDays: 95,
        cycleScope: "organisation",
        cycleStatistic: "median",
        cycleSampleSize: 12,
        cycleTeamName: "Enterprise",
        cycleTeamSampleSize: 3,
        lastForwardMoveOn: null,
        lastBuyerActivityOn: null,
        activitiesRecorded: false,
      },
      asOfFirst:
        "Open 165 days — 1.7× the organisation's 95-day median cycle (12 won deals; the Enterprise team has only 3), over the 1.5× limit (Enterprise team's setting); no forward stage move since it opened; buyer activity unknown (no activities imported).",
      tenDaysLater:
        "Open 175 days — 1.8× the organisation's 95-day median cycle (12 won deals; the Enterprise team has only 3), over the 1.5× limit (Enterprise team's setting); no forward stage move since it opened; buyer activity unknown (no activities imported).",
    },
    {
      rule: "untouched",
      metrics: { lastActivityOn: "2024-03-15", openedOn: "2023-08-19", limitDays: 120, limitSetBy: "Enterprise team" },
      asOfFirst: "No activity from either side for 91 days (limit 120 days, Enterprise team's setting).",
      tenDaysLater: "No activity from either side for 101 days (limit 120 days, Enterprise team's setting).",
    },
    {
      rule: "untouched",
      metrics: { lastActivityOn: null, openedOn: "2024-03-11", limitDays: 90, limitSetBy: null },
      asOfFirst: "No activity from either side since it opened 95 days ago (limit 90 days, organisation default).",
      tenDaysLater: "No activity from either side since it opened 105 days ago (limit 90 days, organisation default).",
    },
    {
      rule: "stuck-in-stage",
      metrics: { stageName: "Proposal", stageEnteredOn: "2024-05-14", limitDays: 30, stageMaxDaysInStage: 30 },
      asOfFirst: "In Proposal for 31 days — longer than the stage's 30-day limit.",
      tenDaysLater: "In Proposal for 41 days — longer than the stage's 30-day limit.",
    },
    {
      rule: "stuck-in-stage",
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
      asOfFirst:
        "In Proposal for 25 days — 2.1× the 12 days won deals typically spend there (median of 12 won deals; limit 2.0×, organisation default).",
      tenDaysLater:
        "In Proposal for 35 days — 2.9× the 12 days won deals typically spend there (median of 12 won deals; limit 2.0×, organisation default).",
    },
    {
      // Pushed twice and still ahead on the first date; passed by the second: the sentence follows the calendar.
      rule: "close-date-slipping",
      metrics: { expectedCloseOn: "2024-06-20", closeDatePushCount: 2, pushLimit: 2, limitSetBy: null },
      asOfFirst: "Expected close date pushed 2 times, now Jun 20, 2024 (limit 2 pushes, organisation default).",
      tenDaysLater:
        "Expected close date Jun 20, 2024 passed 4 days ago after being pushed 2 times (limit 2 pushes, organisation default).",
    },
    {
      rule: "one-sided",
      metrics: {
        sellerActivitiesInWindow: 8,
        buyerActivitiesInWindow: 0,
        windowDays: 30,
        lastBuyerActivityOn: "2024-04-30",
        limitActivities: 5,
        limitSetBy: null,
      },
      asOfFirst:
        "8 seller activities and no buyer activity in the last 30 days (last one 45 days ago; limit 5 activities, organisation default).",
      tenDaysLater:
        "8 seller activities and no buyer activity in the last 30 days (last one 55 days ago; limit 5 activities, organisation default).",
    },
    {
      rule: "follow-up-gap",
      metrics: { lastSellerActivityOn: "2024-05-30", openedOn: "2024-05-15", limitDays: 14, limitSetBy: null },
      asOfFirst: "No seller activity for 15 days (limit 14 days, organisation default).",
      tenDaysLater: "No seller activity for 25 days (limit 14 days, organisation default).",
    },
    {
      rule: "no-new-pipeline",
      metrics: {
        repName: "Ana Ruiz",
        lastOpenedOn: "2024-06-05",
        startedOn: "2023-01-02",
        limitDays: 1,
        limitSetBy: null,
      },
      asOfFirst:
        "Ana Ruiz has opened no new opportunity for 9 days (last on Jun 5, 2024; limit 1 day, organisation default).",
      tenDaysLater:
        "Ana Ruiz has opened no new opportunity for 19 days (last on Jun 5, 2024; limit 1 day, organisation default).",
    },
  ])("$rule: $asOfFirst", ({ rule, metrics, asOfFirst, tenDaysLater }) => {
    expect(explainFlag(stored(rule, metrics), AS_OF)).toBe(asOfFirst);
    expect(explainFlag(stored(rule, metrics), TEN_DAYS_LATER)).toBe(tenDaysLater);
  });

  it("gives the stored sentence for a flag stored before anchors, and for the sales trap", () => {
    const legacy = stored("untouched", { daysSinceActivity: 91, dealAgeDays: 300, limitDays: 90 });
    expect(explainFlag(legacy, TEN_DAYS_LATER)).toBe("as stored");
    expect(explainFlag(stored("sales-trap", { periodDays: 30 }), TEN_DAYS_LATER)).toBe("as stored");
    expect(explainFlag({ rule: "untouched", explanation: "as stored", metrics: null }, AS_OF)).toBe("as stored");
  });
});

describe("the rules word their flags with the same functions", () => {
  it("a flag found today, worded ten days later, says what the review would say then", () => {
    const deal = healthyDeal({
      openedAt: daysBefore(400),
      lastActivityAt: daysBefore(120),
      lastBuyerActivityAt: daysBefore(120),
      lastSellerActivityAt: daysBefore(130),
      lastForwardMoveAt: null,
      expectedCloseDate: utcDate("2024-05-01"),
    });
    const today = evaluateDeal(deal, noWonDeals, DEFAULT_RULE_SETTINGS, AS_OF);
    const later = evaluateDeal(deal, noWonDeals, DEFAULT_RULE_SETTINGS, TEN_DAYS_LATER);
    expect(today.flags.map((flag) => flag.rule)).toEqual(later.flags.map((flag) => flag.rule));
    expect(today.flags.length).toBeGreaterThanOrEqual(4);
    for (const [index, flag] of today.flags.entries()) {
      // Same anchors on both days: nothing for the review to write.
      expect(flag.metrics).toEqual(later.flags[index]?.metrics);
      expect(explainFlag(flag, TEN_DAYS_LATER)).toBe(later.flags[index]?.explanation);
      expect(explainFlag(flag, TEN_DAYS_LATER)).not.toBe(flag.explanation);
    }
  });

  it("a rep's flag the same", () => {
    const rep = {
      id: "u1",
      name: "Ana Ruiz",
      teamId: null,
      lastOpenedAt: daysBefore(9),
      firstOpenedAt: daysBefore(300),
      startDate: null,
    };
    const today = noNewPipeline(rep, DEFAULT_RULE_SETTINGS, AS_OF);
    const later = noNewPipeline(rep, DEFAULT_RULE_SETTINGS, TEN_DAYS_LATER);
    expect(today?.metrics).toEqual(later?.metrics);
    expect(today && explainFlag(today, TEN_DAYS_LATER)).toBe(later?.explanation);
  });

  it("a cycle from won deals is named with its scope", () => {
    const context = contextWith({ teams: [{ id: "t-c", name: "Central" }], wonDeals: wonDeals(10, 60, "t-c") });
    const flag = evaluateDeal(
      healthyDeal({ teamId: "t-c", openedAt: daysBefore(150), lastBuyerActivityAt: daysBefore(97) }),
      context,
      DEFAULT_RULE_SETTINGS,
      AS_OF,
    ).flags.find((found) => found.rule === "past-its-time");
    expect(flag?.explanation).toMatch(
      /^Open 150 days — 2\.5× the Central team's 60-day average cycle \(10 won deals\)/,
    );
    expect(wordFlag("past-its-time", flag?.metrics ?? {}, utcDayNumber(AS_OF) + 1)).toMatch(/^Open 151 days — /);
  });

  it("anchors a clock at the day it started counting", () => {
    expect(anchorOf(utcDayNumber(AS_OF), 14)).toBe("2024-05-31");
    expect(anchorOf(utcDayNumber(AS_OF), null)).toBeNull();
  });
});
