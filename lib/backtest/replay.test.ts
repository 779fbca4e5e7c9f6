// The replay with hand-computed expectations: small histories where the day
// each rule first fires can be counted on fingers.
import { describe, expect, it } from "vitest";
import { MS_PER_DAY } from "@/lib/rules/days";
import { DEFAULT_RULE_SETTINGS } from "@/lib/rules/settings";
import type { WonDealFacts } from "@/lib/rules/statistics";
import { type BacktestFacts, type ClosedDealHistory, replayClosedDeals, type ThresholdOutcome } from "./replay";
import { backtestReport } from "./report";

// Noon UTC (morning in New York, where the tests run): whole days apart.
const START = Date.UTC(2024, 0, 1, 12);
const onDay = (day: number) => new Date(START + day * MS_PER_DAY);
const settings = { ...DEFAULT_RULE_SETTINGS }; // mean cycle, minSample 10, 2.0×, untouched 90

/** `count` deals won with a cycle of `cycleDays`, closed on `closedDay`. */
function won(count: number, cycleDays: number, closedDay: number): WonDealFacts[] {
  return Array.from({ length: count }, () => ({
    teamId: null,
    openedAt: onDay(closedDay - cycleDays),
    closedAt: onDay(closedDay),
  }));
}

function closedDeal(
  overrides: Partial<ClosedDealHistory> & { openedDay: number; closedDay: number },
): ClosedDealHistory {
  const { openedDay, closedDay, ...rest } = overrides;
  return {
    id: 1,
    teamId: null,
    lastStageId: 1,
    won: true,
    amountCents: 1_000_000,
    openedAt: onDay(openedDay),
    closedAt: onDay(closedDay),
    // Entered stage 1 when it opened and never moved on.
    stageMoves: [{ at: onDay(openedDay), stageId: 1, forward: false }],
    activities: [],
    ...rest,
  };
}

function facts(closedDeals: ClosedDealHistory[], wonDeals: WonDealFacts[]): BacktestFacts {
  return {
    closedDeals,
    datesUnknown: 0,
    teams: [],
    stages: [{ id: 1, name: "Discovery", order: 1, maxDaysInStage: null }],
    wonDeals,
    wonStageStints: [],
    activitiesRecorded: true,
  };
}

const at = (outcomes: ThresholdOutcome[], threshold: number) => {
  const outcome = outcomes.find((candidate) => candidate.threshold === threshold);
  if (!outcome) throw new Error(`threshold ${threshold} was not swept`);
  return outcome;
};

describe("replayClosedDeals: past its time", () => {
  // Ten deals won in 50 days each, closed the day before: the cycle is 50 days all along.
  const yardstick = won(10, 50, -1);

  it("a deal won after 3× the cycle counts as flagged and won", () => {
    const [replay] = replayClosedDeals(facts([closedDeal({ openedDay: 0, closedDay: 150 })], yardstick), settings);
    const outcomes = replay?.outcomes["past-its-time"] ?? [];
    // Past 1.5× (75 days) on day 76, past 2.0× (100 days) on day 101, 2.5× on day 126.
    expect(at(outcomes, 1.5).firstFlaggedOn).toEqual(new Date(Date.UTC(2024, 0, 1) + 76 * MS_PER_DAY));
    expect(at(outcomes, 2).firstFlaggedOn).toEqual(new Date(Date.UTC(2024, 0, 1) + 101 * MS_PER_DAY));
    expect(at(outcomes, 2.5).firstFlaggedOn).toEqual(new Date(Date.UTC(2024, 0, 1) + 126 * MS_PER_DAY));
    // 3.0× is 150 days: it closed on day 150, before being more than that.
    expect(at(outcomes, 3).firstFlaggedOn).toBeNull();
    expect(at(outcomes, 3).judged).toBe(true);

    const report = backtestReport(replay ? [replay] : [], {
      settings,
      teams: [],
      asOf: onDay(200),
      windowDays: 365,
      teamId: null,
      datesUnknown: 0,
    });
    const atTwo = report.groups[0]?.sweeps
      .find((sweep) => sweep.rule === "past-its-time")
      ?.thresholds.find((row) => row.threshold === 2);
    expect(atTwo).toMatchObject({
      current: true,
      flagged: 1,
      flaggedWon: 1,
      flaggedWinRate: 1,
      notFlagged: 0,
      notFlaggedWinRate: null,
      medianDaysFlagToClose: 49, // flagged on day 101, closed on day 150
      flaggedWonCents: 1_000_000,
    });
  });

  it("a deal lost at 1.2× the cycle counts as not flagged and lost", () => {
    const [replay] = replayClosedDeals(
      facts([closedDeal({ openedDay: 0, closedDay: 60, won: false })], yardstick),
      settings,
    );
    for (const outcome of replay?.outcomes["past-its-time"] ?? []) {
      expect(outcome).toMatchObject({ firstFlaggedOn: null, judged: true });
    }
    const report = backtestReport(replay ? [replay] : [], {
      settings,
      teams: [],
      asOf: onDay(200),
      windowDays: 365,
      teamId: null,
      datesUnknown: 0,
    });
    const atTwo = report.groups[0]?.sweeps[0]?.thresholds.find((row) => row.threshold === 2);
    expect(atTwo).toMatchObject({ flagged: 0, notFlagged: 1, notFlaggedWon: 0, notFlaggedWinRate: 0 });
  });

  it("measures against the average cycle as it stood the day the deal crossed, not today's", () => {
    // When the deal opened, ten wins of 40 days: 2× is 80 days, crossed on day 81.
    // Thirty wins of 200 days land on day 130, after it closed (day 120):
    // today's mean is (10×40 + 30×200) / 40 = 160 days, and 2× 160 = 320 days
    // would never have flagged a deal that lived 120.
    const history = [...won(10, 40, -1), ...won(30, 200, 130)];
    const [replay] = replayClosedDeals(facts([closedDeal({ openedDay: 0, closedDay: 120 })], history), settings);
    expect(at(replay?.outcomes["past-its-time"] ?? [], 2).firstFlaggedOn).toEqual(
      new Date(Date.UTC(2024, 0, 1) + 81 * MS_PER_DAY),
    );
    // And a cycle that grew while the deal was open moves its limit with it:
    // the long wins land on day 60 instead, so from then on the cycle is 160.
    const grown = [...won(10, 40, -1), ...won(30, 200, 60)];
    const [later] = replayClosedDeals(facts([closedDeal({ openedDay: 0, closedDay: 120 })], grown), settings);
    expect(at(later?.outcomes["past-its-time"] ?? [], 2).firstFlaggedOn).toBeNull();
  });

  it("keeps a deal the buyer works on and that moves forward, until the exemption lapses", () => {
    const deal = closedDeal({
      openedDay: 0,
      closedDay: 160,
      stageMoves: [
        { at: onDay(0), stageId: 1, forward: false },
        { at: onDay(90), stageId: 1, forward: true },
      ],
      // Buyer activity on day 110: recent (≤ 21 days) until day 131.
      activities: [{ at: onDay(110), buyer: true }],
    });
    const [replay] = replayClosedDeals(facts([deal], won(10, 50, -1)), settings);
    // Past 2× (100 days) from day 101, but exempt while both are recent:
    // day 101–109 no buyer activity yet → flagged on day 101.
    expect(at(replay?.outcomes["past-its-time"] ?? [], 2).firstFlaggedOn).toEqual(
      new Date(Date.UTC(2024, 0, 1) + 101 * MS_PER_DAY),
    );
    // Past 2.5× (125 days) from day 126: buyer 16 days ago and forward move
    // 36 days ago keep it until the buyer activity is 22 days old on day 132.
    expect(at(replay?.outcomes["past-its-time"] ?? [], 2.5).firstFlaggedOn).toEqual(
      new Date(Date.UTC(2024, 0, 1) + 132 * MS_PER_DAY),
    );
  });
});

describe("replayClosedDeals: untouched and stuck in stage", () => {
  it("counts quiet days from the last activity known that day", () => {
    const deal = closedDeal({
      openedDay: 0,
      closedDay: 200,
      activities: [
        { at: onDay(0), buyer: false },
        { at: onDay(50), buyer: true },
      ],
    });
    const [replay] = replayClosedDeals(facts([deal], won(10, 50, -1)), settings);
    const outcomes = replay?.outcomes.untouched ?? [];
    expect(at(outcomes, 30).firstFlaggedOn).toEqual(new Date(Date.UTC(2024, 0, 1) + 31 * MS_PER_DAY));
    expect(at(outcomes, 90).firstFlaggedOn).toEqual(new Date(Date.UTC(2024, 0, 1) + 141 * MS_PER_DAY));
    expect(at(outcomes, 180).firstFlaggedOn).toBeNull();
  });

  it("says not judged without stage history, and uses the stage's own limit when it has one", () => {
    const noHistory = closedDeal({ openedDay: 0, closedDay: 100, stageMoves: [] });
    const [unjudged] = replayClosedDeals(facts([noHistory], won(10, 50, -1)), settings);
    expect(unjudged?.outcomes["stuck-in-stage"].every((outcome) => !outcome.judged)).toBe(true);

    const limited = { ...facts([closedDeal({ openedDay: 0, closedDay: 100, id: 2 })], won(10, 50, -1)) };
    limited.stages = [{ id: 1, name: "Discovery", order: 1, maxDaysInStage: 30 }];
    const [replay] = replayClosedDeals(limited, settings);
    for (const outcome of replay?.outcomes["stuck-in-stage"] ?? []) {
      expect(outcome.firstFlaggedOn).toEqual(new Date(Date.UTC(2024, 0, 1) + 31 * MS_PER_DAY));
    }
  });
});
