// The sliding cycle table must be exactly the engine's averageCycles on every
// day: mean and median, teams above and below minSample, the organisation
// falling back to the default cycle, wins without a team, bad data.
import { describe, expect, it } from "vitest";
import { MS_PER_DAY } from "@/lib/rules/days";
import { DEFAULT_RULE_SETTINGS } from "@/lib/rules/settings";
import { averageCycles, type WonDealFacts } from "@/lib/rules/statistics";
import { mulberry32 } from "@/lib/seeded-random";
import { averageCyclesByDay } from "./cycles";

const teams = [
  { id: "north", name: "North" },
  { id: "south", name: "South" },
  { id: "quiet", name: "Quiet" },
];

describe.each(["mean", "median"] as const)("averageCyclesByDay (%s)", (cycleStatistic) => {
  it("gives averageCycles' table as of the end of every day", () => {
    const next = mulberry32(cycleStatistic === "mean" ? 1 : 2);
    const settings = { ...DEFAULT_RULE_SETTINGS, cycleStatistic, lookbackDays: 45, minSample: 6 };
    const base = Date.UTC(2025, 0, 1);
    const at = (day: number) => new Date(base + day * MS_PER_DAY + Math.floor(next() * MS_PER_DAY));
    const won: WonDealFacts[] = [];
    for (let index = 0; index < 150; index++) {
      const closedDay = Math.floor(next() * 200);
      const cycle = Math.floor(next() * 120) - 3; // a few closed before they opened: bad data
      const team = next();
      // "quiet" wins rarely (falls back to the organisation); some wins have no team or an unknown one.
      const teamId =
        team < 0.45 ? "north" : team < 0.85 ? "south" : team < 0.88 ? "quiet" : team < 0.95 ? null : "gone";
      won.push({ teamId, openedAt: at(closedDay - cycle), closedAt: at(closedDay) });
    }
    const firstDay = Math.floor(base / MS_PER_DAY) - 5;
    const lastDay = firstDay + 260;
    const tableOn = averageCyclesByDay(won, teams, settings, firstDay, lastDay);
    const scopes = new Set<string>();
    for (let day = firstDay; day <= lastDay; day++) {
      const expected = averageCycles(won, teams, settings, new Date((day + 1) * MS_PER_DAY - 1));
      expect(tableOn(day), `day ${day - firstDay}`).toEqual(expected);
      for (const cycle of expected.byTeam.values()) scopes.add(cycle.scope);
    }
    // Not vacuous: the days compared include team cycles, fallbacks to the organisation and to the default.
    expect(scopes).toEqual(new Set(["team", "organisation", "default"]));
  });
});
