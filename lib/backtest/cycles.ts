// The average deal cycle table for every day of a range — lib/rules/
// statistics.ts averageCycles as of the end of each day — kept up to date as
// the lookback window slides (a win arrives on the day it closed and leaves
// lookbackDays later) instead of recounting every win in the lookback each
// day: with thousands of wins a year and hundreds of days to replay, the
// recount was most of the back-test's time. cycles.test.ts checks it gives
// averageCycles' answer on every day, mean and median, team and fallbacks.
import { utcDayNumber } from "@/lib/rules/days";
import type { RuleSettings } from "@/lib/rules/settings";
import type { AverageCycle, CycleTable, TeamRef, WonDealFacts } from "@/lib/rules/statistics";
import { SortedNumbers } from "./sorted-numbers";

/** The cycles won in one scope (a team, or the organisation) that are in the window now. */
class CycleSample {
  sum = 0;
  count = 0;
  private readonly sorted: SortedNumbers | null;
  constructor(statistic: RuleSettings["cycleStatistic"]) {
    this.sorted = statistic === "median" ? new SortedNumbers() : null;
  }
  add(days: number) {
    this.sum += days;
    this.count++;
    this.sorted?.insert(days);
  }
  remove(days: number) {
    this.sum -= days;
    this.count--;
    this.sorted?.remove(days);
  }
  /** As statistics.ts summarise(): unrounded, at least 1 day. Integer sums are exact, so the mean is too. */
  value(): number {
    return Math.max(1, this.sorted ? this.sorted.median() : this.sum / this.count);
  }
}

export function averageCyclesByDay(
  wonDeals: readonly WonDealFacts[],
  teams: readonly TeamRef[],
  settings: RuleSettings,
  firstDay: number,
  lastDay: number,
): (day: number) => CycleTable {
  const statistic = settings.cycleStatistic;
  // A win counts from the end of the day it closed until lookbackDays later
  // (averageCycles: closed by asOf, asOf's day − closed day ≤ lookbackDays);
  // closed before it opened is bad data, not a cycle.
  const wins = wonDeals
    .map((deal) => {
      const closedDay = utcDayNumber(deal.closedAt);
      return {
        teamId: deal.teamId,
        days: closedDay - utcDayNumber(deal.openedAt),
        from: closedDay,
        until: closedDay + settings.lookbackDays,
      };
    })
    .filter((win) => win.days >= 0 && win.until >= firstDay)
    .sort((a, b) => a.from - b.from);
  const leaving = [...wins].sort((a, b) => a.until - b.until);

  const organisation = new CycleSample(statistic);
  const byTeam = new Map(teams.map((team) => [team.id, new CycleSample(statistic)]));
  const tables: CycleTable[] = [];
  let nextArrival = 0;
  let nextDeparture = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    while (nextArrival < wins.length && (wins[nextArrival] as (typeof wins)[number]).from <= day) {
      const win = wins[nextArrival++] as (typeof wins)[number];
      organisation.add(win.days);
      if (win.teamId !== null) byTeam.get(win.teamId)?.add(win.days);
    }
    while (nextDeparture < leaving.length && (leaving[nextDeparture] as (typeof wins)[number]).until < day) {
      const win = leaving[nextDeparture++] as (typeof wins)[number];
      organisation.remove(win.days);
      if (win.teamId !== null) byTeam.get(win.teamId)?.remove(win.days);
    }
    // The same table averageCycles builds: team → organisation → default.
    const organisationCycle: AverageCycle =
      organisation.count >= settings.minSample
        ? { days: organisation.value(), scope: "organisation", sampleSize: organisation.count, statistic }
        : { days: settings.defaultCycleDays, scope: "default", sampleSize: organisation.count, statistic };
    const teamCycles = new Map<string, AverageCycle>();
    for (const team of teams) {
      const sample = byTeam.get(team.id) as CycleSample;
      teamCycles.set(
        team.id,
        sample.count >= settings.minSample
          ? { days: sample.value(), scope: "team", teamName: team.name, sampleSize: sample.count, statistic }
          : { ...organisationCycle, teamName: team.name, teamSampleSize: sample.count },
      );
    }
    tables.push({ organisation: organisationCycle, byTeam: teamCycles });
  }
  return (day) => {
    const table = tables[day - firstDay];
    if (!table) throw new Error(`average cycles asked for day ${day}, outside ${firstDay}–${lastDay}`);
    return table;
  };
}
