import { describe, expect, it } from "vitest";
import {
  type AverageCycle,
  averageCycleForTeam,
  averageCycles,
  mean,
  median,
  medianDaysInStage,
  type WonDealFacts,
} from "./statistics";
import { AS_OF, daysBefore, settingsWith, wonDeals, wonStints } from "./test-support";

const CENTRAL = { id: "t-central", name: "Central" };
const WEST = { id: "t-west", name: "West" };
const TEAMS = [CENTRAL, WEST];
const defaults = settingsWith();

describe("mean and median", () => {
  it.each([
    { values: [4], mean: 4, median: 4 },
    { values: [3, 1, 2], mean: 2, median: 2 },
    { values: [10, 1, 4, 2], mean: 4.25, median: 3 },
    { values: [10, 10, 10, 200], mean: 57.5, median: 10 },
  ])("$values → mean $mean, median $median", ({ values, mean: m, median: md }) => {
    expect(mean(values)).toBe(m);
    expect(median(values)).toBe(md);
  });

  it("median does not reorder its input", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe("averageCycles: scope and fallback", () => {
  const cases: {
    case: string;
    won: WonDealFacts[];
    teamId: string | null;
    expected: AverageCycle;
  }[] = [
    {
      case: "no won deals anywhere → the default cycle",
      won: [],
      teamId: CENTRAL.id,
      expected: {
        days: 90,
        scope: "default",
        teamName: "Central",
        sampleSize: 0,
        teamSampleSize: 0,
        statistic: "mean",
      },
    },
    {
      case: "a team with enough wins → its own cycle",
      won: [...wonDeals(10, 88, CENTRAL.id), ...wonDeals(10, 40, WEST.id)],
      teamId: CENTRAL.id,
      expected: { days: 88, scope: "team", teamName: "Central", sampleSize: 10, statistic: "mean" },
    },
    {
      case: "a team with too few wins → the organisation's",
      won: [...wonDeals(3, 30, WEST.id), ...wonDeals(10, 60, CENTRAL.id)],
      teamId: WEST.id,
      // (3 × 30 + 10 × 60) / 13 = 690 / 13, unrounded
      expected: {
        days: 690 / 13,
        scope: "organisation",
        teamName: "West",
        sampleSize: 13,
        teamSampleSize: 3,
        statistic: "mean",
      },
    },
    {
      case: "an organisation with too few wins → the default, with how many there were",
      won: [...wonDeals(4, 30, WEST.id), ...wonDeals(5, 60, CENTRAL.id)],
      teamId: CENTRAL.id,
      expected: {
        days: 90,
        scope: "default",
        teamName: "Central",
        sampleSize: 9,
        teamSampleSize: 5,
        statistic: "mean",
      },
    },
    {
      case: "deals without a team count for the organisation",
      won: wonDeals(10, 70, null),
      teamId: WEST.id,
      expected: {
        days: 70,
        scope: "organisation",
        teamName: "West",
        sampleSize: 10,
        teamSampleSize: 0,
        statistic: "mean",
      },
    },
    {
      case: "a deal with no team is measured against the organisation",
      won: wonDeals(12, 70, CENTRAL.id),
      teamId: null,
      expected: { days: 70, scope: "organisation", sampleSize: 12, statistic: "mean" },
    },
    {
      case: "a team the table does not know is measured against the organisation",
      won: wonDeals(12, 70, CENTRAL.id),
      teamId: "t-new",
      expected: { days: 70, scope: "organisation", sampleSize: 12, statistic: "mean" },
    },
  ];

  it.each(cases)("$case", ({ won, teamId, expected }) => {
    const table = averageCycles(won, TEAMS, defaults, AS_OF);
    expect(averageCycleForTeam(table, teamId)).toEqual(expected);
  });

  it("uses exactly minSample wins, not one fewer", () => {
    const atMinimum = averageCycles(wonDeals(10, 50, CENTRAL.id), TEAMS, defaults, AS_OF);
    const oneShort = averageCycles(wonDeals(9, 50, CENTRAL.id), TEAMS, defaults, AS_OF);
    expect(averageCycleForTeam(atMinimum, CENTRAL.id).scope).toBe("team");
    expect(averageCycleForTeam(oneShort, CENTRAL.id).scope).toBe("default");
  });
});

describe("averageCycles: mean vs median", () => {
  // Nine 30-day wins and one 400-day outlier.
  const won = [...wonDeals(9, 30, CENTRAL.id), ...wonDeals(1, 400, CENTRAL.id)];

  it.each([
    { statistic: "mean" as const, days: 67 }, // (9 × 30 + 400) / 10 = 67
    { statistic: "median" as const, days: 30 },
  ])("$statistic → $days days", ({ statistic, days }) => {
    const cycle = averageCycleForTeam(
      averageCycles(won, TEAMS, settingsWith({ cycleStatistic: statistic }), AS_OF),
      CENTRAL.id,
    );
    expect(cycle).toMatchObject({ days, statistic, scope: "team", sampleSize: 10 });
  });

  it("keeps a fractional median unrounded (limits are compared unrounded)", () => {
    const evenCount = [...wonDeals(5, 30, null), ...wonDeals(5, 31, null)];
    const table = averageCycles(evenCount, [], settingsWith({ cycleStatistic: "median" }), AS_OF);
    expect(table.organisation.days).toBe(30.5);
  });

  it("keeps a fractional mean unrounded", () => {
    const table = averageCycles([...wonDeals(7, 50, null), ...wonDeals(3, 52, null)], [], settingsWith(), AS_OF);
    expect(table.organisation.days).toBe(50.6); // (7 × 50 + 3 × 52) / 10
  });
});

describe("averageCycles: which won deals count", () => {
  const oneDeal = (openedAt: Date, closedAt: Date): WonDealFacts => ({ teamId: null, openedAt, closedAt });
  const minSampleOne = settingsWith({ minSample: 1 });

  it.each([
    { case: "won 10 days ago", deal: oneDeal(daysBefore(60), daysBefore(10)), counted: true },
    {
      case: "won exactly 365 days ago (lookback boundary)",
      deal: oneDeal(daysBefore(400), daysBefore(365)),
      counted: true,
    },
    { case: "won 366 days ago", deal: oneDeal(daysBefore(400), daysBefore(366)), counted: false },
    {
      case: "won later today, after asOf",
      deal: oneDeal(daysBefore(60), new Date(AS_OF.getTime() + 60_000)),
      counted: false,
    },
    { case: "won after asOf", deal: oneDeal(daysBefore(60), daysBefore(-5)), counted: false },
    { case: "opened after asOf", deal: oneDeal(daysBefore(-1), daysBefore(-3)), counted: false },
    { case: "closed before it opened (bad data)", deal: oneDeal(daysBefore(5), daysBefore(10)), counted: false },
    { case: "won at the asOf instant", deal: oneDeal(daysBefore(60), AS_OF), counted: true },
  ])("$case → counted: $counted", ({ deal, counted }) => {
    const table = averageCycles([deal], [], minSampleOne, AS_OF);
    expect(table.organisation.sampleSize).toBe(counted ? 1 : 0);
    expect(table.organisation.scope).toBe(counted ? "organisation" : "default");
  });

  it("counts calendar days across the spring-forward night", () => {
    // NY: opened Mar 8 23:30 EST, won Mar 11 23:30 EDT — 71 hours, 3 calendar days.
    const deal = oneDeal(new Date("2024-03-09T04:30:00Z"), new Date("2024-03-12T03:30:00Z"));
    const table = averageCycles([deal], [], minSampleOne, AS_OF);
    expect(table.organisation.days).toBe(3);
  });

  it("never yields a zero-day cycle (same-day wins count as 1 day)", () => {
    const sameDay = wonDeals(10, 0, null);
    expect(averageCycles(sameDay, [], defaults, AS_OF).organisation.days).toBe(1);
  });
});

describe("medianDaysInStage", () => {
  it("gives the median days won deals spent in each stage", () => {
    const stints = [...wonStints(5, 2, 10, 1), ...wonStints(6, 2, 20, 100), ...wonStints(3, 3, 7, 200)];
    const medians = medianDaysInStage(stints, defaults, AS_OF);
    expect(medians.get(2)).toEqual({ stageId: 2, days: 20, sampleSize: 11 });
    expect(medians.get(3)).toEqual({ stageId: 3, days: 7, sampleSize: 3 });
    expect(medians.has(4)).toBe(false);
  });

  it("adds up a deal's visits to the same stage (moved back, then forward again)", () => {
    const firstVisit = {
      dealId: 7,
      stageId: 2,
      enteredAt: daysBefore(100),
      leftAt: daysBefore(90),
      closedAt: daysBefore(5),
    };
    const secondVisit = {
      dealId: 7,
      stageId: 2,
      enteredAt: daysBefore(60),
      leftAt: daysBefore(45),
      closedAt: daysBefore(5),
    };
    expect(medianDaysInStage([firstVisit, secondVisit], defaults, AS_OF).get(2)).toEqual({
      stageId: 2,
      days: 25,
      sampleSize: 1,
    });
  });

  it("ignores deals won after asOf or outside the lookback window", () => {
    const inWindow = wonStints(1, 2, 10, 1);
    const wonLater = {
      dealId: 2,
      stageId: 2,
      enteredAt: daysBefore(50),
      leftAt: daysBefore(1),
      closedAt: daysBefore(-2),
    };
    const wonLongAgo = {
      dealId: 3,
      stageId: 2,
      enteredAt: daysBefore(500),
      leftAt: daysBefore(450),
      closedAt: daysBefore(400),
    };
    expect(medianDaysInStage([...inWindow, wonLater, wonLongAgo], defaults, AS_OF).get(2)).toEqual({
      stageId: 2,
      days: 10,
      sampleSize: 1,
    });
  });
});
