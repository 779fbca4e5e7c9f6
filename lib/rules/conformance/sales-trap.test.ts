// SPEC "The rules", sales-trap (team level, warning): won value this period
// above the trailing average while open pipeline value and new pipeline
// created both fell against it. Periods are UTC calendar days (30 by default,
// the current one ending with asOf's day), compared with the 3 before.
// Expected verdicts worked out by hand, in cents.
import { describe, expect, it } from "vitest";
import { settingsWith } from "../test-support";
import { salesTrap, salesTrapPeriods, type TeamFacts, type TeamPeriod } from "../team-rules";

const settings = settingsWith();
const period = (wonCents: number, openPipelineCents: number, newPipelineCents: number): TeamPeriod => ({
  wonCents,
  openPipelineCents,
  newPipelineCents,
});
const team = (current: TeamPeriod): TeamFacts => ({
  id: "t-west",
  name: "West",
  currency: "USD",
  // Trailing averages: won (100 + 100 + 101) / 3 = 100.33…, open 1,000, new 200.
  periods: [period(100, 1000, 200), period(100, 1000, 200), period(101, 1000, 200), current],
});
const warned = (current: TeamPeriod) => salesTrap(team(current), settings) !== null;

describe("sales-trap: won above the trailing average, open and new pipeline below it", () => {
  it.each<[string, TeamPeriod, boolean]>([
    ["won 101 (above 100.33), open 999, new 199", period(101, 999, 199), true],
    ["won 100 (below 100.33: fractional average compared exactly)", period(100, 999, 199), false],
    ["open exactly at its average (1,000)", period(101, 1000, 199), false],
    ["open above its average", period(101, 1001, 199), false],
    ["new exactly at its average (200)", period(101, 999, 200), false],
    ["new above its average", period(101, 999, 201), false],
  ])("%s → warned: %s", (_case, current, expected) => {
    expect(warned(current)).toBe(expected);
  });

  it("needs the trailing periods: with only 2 of 3 it does not judge", () => {
    const short: TeamFacts = {
      ...team(period(500, 1, 1)),
      periods: [period(1, 9, 9), period(1, 9, 9), period(500, 1, 1)],
    };
    expect(salesTrap(short, settings)).toBeNull();
  });
});

describe("sales-trap: periods in UTC calendar days", () => {
  it.each<[string, string]>([
    ["15:00 UTC", "2024-06-14T15:00:00Z"],
    ["00:00 UTC", "2024-06-14T00:00:00Z"],
    ["23:59 UTC", "2024-06-14T23:59:59.999Z"],
  ])("an as-of at %s on Jun 14 gives the same four 30-day periods, the last Jun 14 inclusive", (_case, asOf) => {
    expect(
      salesTrapPeriods(new Date(asOf), settings).map((w) => [w.from.toISOString(), w.until.toISOString()]),
    ).toEqual([
      ["2024-02-16T00:00:00.000Z", "2024-03-17T00:00:00.000Z"],
      ["2024-03-17T00:00:00.000Z", "2024-04-16T00:00:00.000Z"],
      ["2024-04-16T00:00:00.000Z", "2024-05-16T00:00:00.000Z"],
      ["2024-05-16T00:00:00.000Z", "2024-06-15T00:00:00.000Z"],
    ]);
  });

  it("follows the settings: 7-day periods, 2 trailing", () => {
    const weekly = settingsWith({ salesTrapPeriodDays: 7, salesTrapTrailingPeriods: 2 });
    expect(salesTrapPeriods(new Date("2024-06-14T15:00:00Z"), weekly).map((w) => w.from.toISOString())).toEqual([
      "2024-05-25T00:00:00.000Z",
      "2024-06-01T00:00:00.000Z",
      "2024-06-08T00:00:00.000Z",
    ]);
  });
});
