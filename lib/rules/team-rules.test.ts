import { describe, expect, it } from "vitest";
import { daysBetween } from "./days";
import { DEFAULT_RULE_SETTINGS } from "./settings";
import { evaluateTeams, salesTrap, salesTrapPeriods, type TeamFacts, type TeamPeriod } from "./team-rules";
import { settingsWith } from "./test-support";

// Trailing averages: won $100,000, open $1,000,000, new $300,000 (in cents).
const steady: TeamPeriod[] = [
  { wonCents: 8_000_000, openPipelineCents: 90_000_000, newPipelineCents: 25_000_000 },
  { wonCents: 10_000_000, openPipelineCents: 100_000_000, newPipelineCents: 30_000_000 },
  { wonCents: 12_000_000, openPipelineCents: 110_000_000, newPipelineCents: 35_000_000 },
];
const team = (current: Partial<TeamPeriod>, trailing: TeamPeriod[] = steady): TeamFacts => ({
  id: "t-south",
  name: "South",
  currency: "USD",
  periods: [
    ...trailing,
    { wonCents: 20_000_000, openPipelineCents: 70_000_000, newPipelineCents: 10_000_000, ...current },
  ],
});

describe("sales-trap (won above its average while open and new pipeline both fell)", () => {
  it.each([
    { case: "big period, shrinking pipeline and creation", facts: team({}), flagged: true },
    { case: "won exactly the average", facts: team({ wonCents: 10_000_000 }), flagged: false },
    { case: "won one cent above the average", facts: team({ wonCents: 10_000_001 }), flagged: true },
    { case: "open pipeline exactly at its average", facts: team({ openPipelineCents: 100_000_000 }), flagged: false },
    { case: "open pipeline one cent below", facts: team({ openPipelineCents: 99_999_999 }), flagged: true },
    { case: "new pipeline exactly at its average", facts: team({ newPipelineCents: 30_000_000 }), flagged: false },
    {
      case: "pipeline growing: a good month, not a trap",
      facts: team({ openPipelineCents: 150_000_000, newPipelineCents: 50_000_000 }),
      flagged: false,
    },
    { case: "only two trailing periods of history", facts: team({}, steady.slice(1)), flagged: false },
    {
      case: "older periods beyond the trailing three are ignored",
      facts: team({}, [{ wonCents: 900_000_000, openPipelineCents: 1, newPipelineCents: 1 }, ...steady]),
      flagged: true,
    },
  ])("$case → flagged: $flagged", ({ facts, flagged }) => {
    expect(salesTrap(facts, DEFAULT_RULE_SETTINGS) !== null).toBe(flagged);
  });

  it("explains with the money", () => {
    expect(salesTrap(team({}), DEFAULT_RULE_SETTINGS)).toEqual({
      rule: "sales-trap",
      severity: "warning",
      explanation:
        "The South team won $200,000 in the last 30 days — above its 30-day average of $100,000 over the previous 90 days — while open pipeline fell to $700,000 (average $1,000,000) and new pipeline created fell to $100,000 (average $300,000).",
      metrics: {
        periodDays: 30,
        trailingPeriods: 3,
        wonCents: 20_000_000,
        averageWonCents: 10_000_000,
        openPipelineCents: 70_000_000,
        averageOpenPipelineCents: 100_000_000,
        newPipelineCents: 10_000_000,
        averageNewPipelineCents: 30_000_000,
      },
    });
  });

  it("follows the trailing-periods setting", () => {
    // Against only the last period (won $120,000) the $110,000 period is not above average.
    const facts = team({ wonCents: 11_000_000 });
    expect(salesTrap(facts, DEFAULT_RULE_SETTINGS)).not.toBeNull();
    expect(salesTrap(facts, settingsWith({ salesTrapTrailingPeriods: 1 }))).toBeNull();
  });

  it("evaluates every team", () => {
    const verdicts = evaluateTeams([team({}), { ...team({ wonCents: 0 }), id: "t-north" }], DEFAULT_RULE_SETTINGS);
    expect(verdicts.map((v) => [v.teamId, v.flags.map((f) => f.rule)])).toEqual([
      ["t-south", ["sales-trap"]],
      ["t-north", []],
    ]);
  });
});

describe("salesTrapPeriods", () => {
  const asOf = new Date("2024-06-14T15:00:00Z");
  const windows = salesTrapPeriods(asOf, DEFAULT_RULE_SETTINGS);

  it("gives the trailing periods and the current one, oldest first, in whole UTC days, the last ending with asOf's day", () => {
    expect(windows.map((w) => [w.from.toISOString(), w.until.toISOString()])).toEqual([
      ["2024-02-16T00:00:00.000Z", "2024-03-17T00:00:00.000Z"],
      ["2024-03-17T00:00:00.000Z", "2024-04-16T00:00:00.000Z"],
      ["2024-04-16T00:00:00.000Z", "2024-05-16T00:00:00.000Z"],
      ["2024-05-16T00:00:00.000Z", "2024-06-15T00:00:00.000Z"],
    ]);
  });

  it("keeps every period 30 UTC calendar days, though New York changed its clocks on Mar 10", () => {
    for (const w of windows) expect(daysBetween(w.from, w.until)).toBe(30);
  });

  it("gives the same windows for any instant of asOf's UTC day", () => {
    // Days are UTC calendar days: 00:00 UTC on asOf's day opens nothing new.
    const at = salesTrapPeriods(new Date("2024-06-14T00:00:00Z"), DEFAULT_RULE_SETTINGS);
    expect(at.map((w) => w.until.toISOString())).toEqual(windows.map((w) => w.until.toISOString()));
  });
});
