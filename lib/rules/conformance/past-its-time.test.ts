// SPEC "The rules", past-its-time (stale): age > 2.0 × average cycle, unless
// the deal shows both a buyer activity in the last 21 days and a forward stage
// change in the last 45 days. Average cycle: mean (or median) of closedAt −
// openedAt in days over deals won in the lookback window (365 days before
// asOf) in the owner's team; fewer than minSample (10) → the organisation's;
// fewer still → the default 90 days. Limits compared unrounded. A manager's
// keep holds it back; waiting on the buyer does not.
// Every expected verdict below is worked out by hand in the row's comment.
import { describe, expect, it } from "vitest";
import { evaluateDeal } from "../deal-rules";
import type { RuleContext, WonDealFacts } from "../statistics";
import { AS_OF, contextWith, daysBefore, healthyDeal, settingsWith, utcDate } from "../test-support";
import type { DealFacts, DealWaiver } from "../types";
import { type Verdict, verdictOf } from "./verdict";

const CENTRAL = { id: "t-central", name: "Central" };
const WEST = { id: "t-west", name: "West" };

/** A deal `ageDays` old (UTC days before AS_OF) with no buyer activity and no forward move. */
function dealAged(ageDays: number, more: Partial<DealFacts> = {}): DealFacts {
  return healthyDeal({ openedAt: daysBefore(ageDays), lastBuyerActivityAt: null, lastForwardMoveAt: null, ...more });
}

/** Won deals of the given cycles (days), closed `closedDaysAgo` days before AS_OF. */
function won(teamId: string | null, cycles: number[], closedDaysAgo = 10): WonDealFacts[] {
  return cycles.map((cycle) => ({
    teamId,
    openedAt: daysBefore(closedDaysAgo + cycle),
    closedAt: daysBefore(closedDaysAgo),
  }));
}
const times = (n: number, days: number) => Array.from({ length: n }, () => days);

const settings = settingsWith();

function flagOf(deal: DealFacts, context: RuleContext) {
  return evaluateDeal(deal, context, settings, AS_OF).flags.find((flag) => flag.rule === "past-its-time");
}

describe("past-its-time: threshold 2 × the default 90-day cycle (no won deals) = 180 days", () => {
  const context = contextWith();
  it.each<[string, number, Verdict]>([
    ["one day inside: 179 days", 179, "clear"],
    ["exactly at: 180 days", 180, "clear"],
    ["one day outside: 181 days", 181, "flagged"],
  ])("%s → %s", (_case, age, expected) => {
    expect(verdictOf("past-its-time", dealAged(age), context, settings)).toBe(expected);
  });
});

describe("past-its-time: a team's fractional mean, compared unrounded", () => {
  // Central: 7 × 50 + 3 × 52 = 506 days over 10 wins = 50.6; limit 101.2.
  const fractional = contextWith({ teams: [CENTRAL], wonDeals: won(CENTRAL.id, [...times(7, 50), ...times(3, 52)]) });
  // Central: 5 × 51 + 5 × 52 = 515 / 10 = 51.5; limit exactly 103.
  const half = contextWith({ teams: [CENTRAL], wonDeals: won(CENTRAL.id, [...times(5, 51), ...times(5, 52)]) });
  // SPEC's own example, 2 × 51.78 = 103.56: 50 wins, 39 × 52 + 11 × 51 = 2,589 / 50 = 51.78.
  const spec = contextWith({ teams: [CENTRAL], wonDeals: won(CENTRAL.id, [...times(39, 52), ...times(11, 51)]) });
  it.each<[string, typeof half, number, Verdict]>([
    ["50.6-day mean: 101 days (inside 101.2)", fractional, 101, "clear"],
    ["50.6-day mean: 102 days (past 101.2; rounding to 51 would give 102 and spare it)", fractional, 102, "flagged"],
    ["51.5-day mean: 102 days (inside 103)", half, 102, "clear"],
    ["51.5-day mean: 103 days (exactly at 103)", half, 103, "clear"],
    ["51.5-day mean: 104 days (outside)", half, 104, "flagged"],
    ["51.78-day mean: 103 days (inside 103.56)", spec, 103, "clear"],
    ["51.78-day mean: 104 days (past 103.56; rounding to 52 would give 104 and spare it)", spec, 104, "flagged"],
  ])("%s → %s", (_case, context, age, expected) => {
    expect(verdictOf("past-its-time", dealAged(age, { teamId: CENTRAL.id }), context, settings)).toBe(expected);
  });

  it("names the team and the cycle in the explanation, and keeps the limit unrounded in the metrics", () => {
    const flag = flagOf(dealAged(104, { teamId: CENTRAL.id }), spec);
    expect(flag?.explanation).toContain(
      "Open 104 days — 2.01× the Central team's 51.78-day average cycle (50 won deals)",
    );
    expect(flag?.metrics.limitDays).toBeCloseTo(103.56, 10);
  });
});

describe("past-its-time: scope falls back team → organisation → default at minSample (10)", () => {
  // West 9 wins of 30 days (one short), Central 10 wins of 60 days.
  // Central: its own 60 days → limit 120. West: the organisation's (9 × 30 + 10 × 60) / 19 = 870 / 19
  // = 45.789… → limit 91.578….
  const context = contextWith({
    teams: [CENTRAL, WEST],
    wonDeals: [...won(WEST.id, times(9, 30)), ...won(CENTRAL.id, times(10, 60))],
  });
  // The organisation has only 9 wins: the default 90 days → limit 180.
  const tooFew = contextWith({ teams: [CENTRAL], wonDeals: won(CENTRAL.id, times(9, 60)) });
  it.each<[string, typeof context, string | null, number, Verdict]>([
    ["Central (10 wins, its own 60 days): 119 days", context, CENTRAL.id, 119, "clear"],
    ["Central: exactly 120 days", context, CENTRAL.id, 120, "clear"],
    ["Central: 121 days", context, CENTRAL.id, 121, "flagged"],
    ["West (9 wins → organisation's 45.79): 91 days", context, WEST.id, 91, "clear"],
    ["West: 92 days (past 91.58)", context, WEST.id, 92, "flagged"],
    ["no team → organisation's 45.79: 92 days", context, null, 92, "flagged"],
    ["organisation with 9 wins → default 90: 180 days", tooFew, CENTRAL.id, 180, "clear"],
    ["organisation with 9 wins → default 90: 181 days", tooFew, CENTRAL.id, 181, "flagged"],
  ])("%s → %s", (_case, ctx, teamId, age, expected) => {
    expect(verdictOf("past-its-time", dealAged(age, { teamId }), ctx, settings)).toBe(expected);
  });

  it("says which scope it used", () => {
    const explanation = (teamId: string | null, ctx: typeof context, age: number) =>
      flagOf(dealAged(age, { teamId }), ctx)?.explanation;
    expect(explanation(CENTRAL.id, context, 121)).toContain("the Central team's 60-day average cycle (10 won deals)");
    expect(explanation(WEST.id, context, 92)).toContain(
      "the organisation's 45.79-day average cycle (19 won deals; the West team has only 9)",
    );
    expect(explanation(CENTRAL.id, tooFew, 181)).toContain("the default 90-day cycle (only 9 won deals to measure)");
  });
});

describe("past-its-time: the lookback window (365 days before asOf's day, that day included)", () => {
  // 10 wins of 40 days closed 10 days ago, plus one of 150 days closed N days ago.
  // Counted: (400 + 150) / 11 = 50 → limit 100. Not counted: 40 → limit 80. A 90-day-old deal tells them apart.
  const withOldWin = (closedDaysAgo: number) =>
    contextWith({
      teams: [CENTRAL],
      wonDeals: [...won(CENTRAL.id, times(10, 40)), ...won(CENTRAL.id, [150], closedDaysAgo)],
    });
  it.each<[string, number, Verdict]>([
    ["won 364 days before (inside): cycle 50, 90 days is not past 100", 364, "clear"],
    ["won exactly 365 days before (at the edge, counted)", 365, "clear"],
    ["won 366 days before (outside): cycle 40, 90 days is past 80", 366, "flagged"],
  ])("%s → %s", (_case, closedDaysAgo, expected) => {
    expect(verdictOf("past-its-time", dealAged(90, { teamId: CENTRAL.id }), withOldWin(closedDaysAgo), settings)).toBe(
      expected,
    );
  });

  it("does not count a deal won after asOf", () => {
    // Only a win 1 day after AS_OF besides 10 of 40 days: it has not happened yet → 40 → limit 80.
    const context = contextWith({
      teams: [CENTRAL],
      wonDeals: [...won(CENTRAL.id, times(10, 40)), ...won(CENTRAL.id, [150], -1)],
    });
    expect(verdictOf("past-its-time", dealAged(90, { teamId: CENTRAL.id }), context, settings)).toBe("flagged");
  });
});

describe("past-its-time: the median when the setting says so", () => {
  // 30, 31, 40, 50, 60, 70, 80, 90, 100, 200 → median (60 + 70) / 2 = 65 → limit 130.
  const context = contextWith(
    { teams: [CENTRAL], wonDeals: won(CENTRAL.id, [30, 31, 40, 50, 60, 70, 80, 90, 100, 200]) },
    settingsWith({ cycleStatistic: "median" }),
  );
  it.each<[number, Verdict]>([
    [129, "clear"],
    [130, "clear"],
    [131, "flagged"],
  ])("%i days → %s", (age, expected) => {
    expect(
      verdictOf(
        "past-its-time",
        dealAged(age, { teamId: CENTRAL.id }),
        context,
        settingsWith({ cycleStatistic: "median" }),
      ),
    ).toBe(expected);
  });
});

describe("past-its-time: the exemption needs buyer activity in 21 days AND a forward move in 45", () => {
  const context = contextWith(); // limit 180
  it.each<[string, number | null, number | null, Verdict]>([
    ["buyer 20, forward 44 days ago (both inside)", 20, 44, "clear"],
    ["buyer exactly 21, forward exactly 45 days ago", 21, 45, "clear"],
    ["buyer 22 days ago (outside), forward 45", 22, 45, "flagged"],
    ["buyer 21, forward 46 days ago (outside)", 21, 46, "flagged"],
    ["buyer only", 5, null, "flagged"],
    ["forward move only", null, 5, "flagged"],
  ])("%s → %s", (_case, buyerDaysAgo, forwardDaysAgo, expected) => {
    const deal = dealAged(200, {
      lastBuyerActivityAt: buyerDaysAgo === null ? null : daysBefore(buyerDaysAgo),
      lastForwardMoveAt: forwardDaysAgo === null ? null : daysBefore(forwardDaysAgo),
    });
    expect(verdictOf("past-its-time", deal, context, settings)).toBe(expected);
  });

  it("counts days in UTC calendar days: a buyer reply at 00:30 UTC 21 days before asOf's day is inside", () => {
    const deal = dealAged(200, {
      lastBuyerActivityAt: new Date("2024-05-24T00:30:00Z"), // AS_OF is Jun 14, 15:00 UTC; May 24 is 21 days before
      lastForwardMoveAt: daysBefore(1),
    });
    expect(verdictOf("past-its-time", deal, context, settings)).toBe("clear");
    const dayEarlier = { ...deal, lastBuyerActivityAt: new Date("2024-05-23T23:30:00Z") };
    expect(verdictOf("past-its-time", dayEarlier, context, settings)).toBe("flagged");
  });
});

describe("past-its-time: waivers", () => {
  const context = contextWith();
  const waiver = (kind: DealWaiver["kind"], until: string): DealWaiver => ({
    kind,
    until: utcDate(until),
    reason: "Board meets on the 20th",
    createdAt: daysBefore(5),
  });
  it.each<[string, DealWaiver[], Verdict]>([
    ["manager keeps until asOf's day (its last day)", [waiver("manager_keep", "2024-06-14")], "waived"],
    ["manager kept until the day before (expired)", [waiver("manager_keep", "2024-06-13")], "flagged"],
    ["waiting on the buyer does not hold it back", [waiver("waiting_on_buyer", "2024-06-20")], "flagged"],
  ])("%s → %s", (_case, waivers, expected) => {
    expect(verdictOf("past-its-time", dealAged(181, { waivers }), context, settings)).toBe(expected);
  });
});

describe("past-its-time: a review as of an earlier date", () => {
  it("uses the deal's age on that date", () => {
    const asOf = new Date("2024-03-01T12:00:00Z");
    // Opened Sep 3, 2023: 180 days before Mar 1, 2024 (a leap year) → at the limit, not past it.
    const deal = healthyDeal({
      openedAt: new Date("2023-09-03T20:00:00Z"),
      lastBuyerActivityAt: null,
      lastForwardMoveAt: null,
    });
    expect(verdictOf("past-its-time", deal, contextWith({}, settings, asOf), settings, asOf)).toBe("clear");
    const dayOlder = { ...deal, openedAt: new Date("2023-09-02T20:00:00Z") };
    expect(verdictOf("past-its-time", dayOlder, contextWith({}, settings, asOf), settings, asOf)).toBe("flagged");
  });
});
