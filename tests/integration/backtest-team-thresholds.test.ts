// The back-test with team thresholds and its cache: each team's closed deals
// are replayed with the team's own thresholds (here its default cycle), and
// the settings page's kept result is never shown once the thresholds or the
// data have changed.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearBacktestCache } from "@/lib/backtest/cache";
import { connectionQuery, getBacktestForViewer, runBacktest } from "@/lib/backtest/data";
import type { BacktestReport } from "@/lib/backtest/report";
import { db } from "@/lib/db";
import { loadTeamOverrides } from "@/lib/org/team-thresholds";
import { DEFAULT_RULE_SETTINGS } from "@/lib/rules/settings";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;

/** A deal lost 10 days ago after 150 days open, never touched: only its age against the cycle matters. */
async function lostDeal(owner: SmallOrg["people"]["ana"], teamId: string, name: string) {
  const deal = await createDeal(org, {
    owner,
    amount: 5000,
    openedDaysAgo: 160,
    status: "lost",
    closedDaysAgo: 10,
    name,
  });
  await db.opportunity.update({ where: { id: deal.id }, data: { closedTeamId: teamId } });
  return deal.id;
}

beforeAll(async () => {
  org = await createSmallOrg();
  await lostDeal(org.people.ana, org.teams.central, "Central lost deal");
  await lostDeal(org.people.wes, org.teams.west, "West lost deal");
  await db.orgSettings.update({ where: { id: 1 }, data: { asOf: AS_OF } });
});

beforeEach(async () => {
  await db.teamRuleSettings.deleteMany();
  await db.orgSettings.update({ where: { id: 1 }, data: { rules: {} } });
  clearBacktestCache();
});

/** How many deals past-its-time at `threshold`× would have flagged. */
function pastItsTimeFlagged(report: BacktestReport, threshold: number, group = 0): number | undefined {
  return report.groups[group]?.sweeps
    .find((sweep) => sweep.rule === "past-its-time")
    ?.thresholds.find((row) => row.threshold === threshold)?.flagged;
}

const window = (teamId: string | null) => ({ asOf: AS_OF, windowDays: 365, teamId });

describe("the back-test replays each team with its own thresholds", () => {
  it("judges a team's deals against the team's own default cycle, the other team's against the organisation's", async () => {
    const query = connectionQuery();
    // No won deals: the 90-day default cycle; 150 days open is 1.67×, under 2×.
    const before = await runBacktest(query, DEFAULT_RULE_SETTINGS, window(null), await loadTeamOverrides(query));
    expect(pastItsTimeFlagged(before, 2)).toBe(0);

    await db.teamRuleSettings.create({ data: { teamId: org.teams.central, overrides: { defaultCycleDays: 50 } } });
    const after = await runBacktest(query, DEFAULT_RULE_SETTINGS, window(null), await loadTeamOverrides(query));
    // Central's deal against its own 50-day cycle passes 2× on day 101; West's stays under.
    expect(pastItsTimeFlagged(after, 2)).toBe(1);
    const central = await runBacktest(
      query,
      DEFAULT_RULE_SETTINGS,
      window(org.teams.central),
      await loadTeamOverrides(query),
    );
    const west = await runBacktest(
      query,
      DEFAULT_RULE_SETTINGS,
      window(org.teams.west),
      await loadTeamOverrides(query),
    );
    expect(pastItsTimeFlagged(central, 2)).toBe(1);
    expect(pastItsTimeFlagged(west, 2)).toBe(0);
  });

  it("marks a team's own threshold as its current one, and tries it for the organisation too", async () => {
    await db.teamRuleSettings.create({ data: { teamId: org.teams.central, overrides: { untouchedDays: 45 } } });
    const query = connectionQuery();
    const central = await runBacktest(
      query,
      DEFAULT_RULE_SETTINGS,
      window(org.teams.central),
      await loadTeamOverrides(query),
    );
    const untouched = (report: BacktestReport) =>
      report.groups[0]?.sweeps.find((sweep) => sweep.rule === "untouched")?.thresholds ?? [];
    expect(
      untouched(central)
        .filter((row) => row.current)
        .map((row) => row.threshold),
    ).toEqual([45]);
    const organisation = await runBacktest(query, DEFAULT_RULE_SETTINGS, window(null), await loadTeamOverrides(query));
    expect(untouched(organisation).map((row) => row.threshold)).toContain(45);
    expect(
      untouched(organisation)
        .filter((row) => row.current)
        .map((row) => row.threshold),
    ).toEqual([90]);
  });
});

describe("the kept back-test of the settings page", () => {
  const admin = () => org.people.admin;

  it("is run once for the same thresholds and data", async () => {
    const first = await getBacktestForViewer(admin(), { now: AS_OF });
    const second = await getBacktestForViewer(admin(), { now: AS_OF });
    expect(second.report).toBe(first.report);
  });

  it("is run again after the organisation's thresholds change", async () => {
    const first = await getBacktestForViewer(admin(), { now: AS_OF });
    await db.orgSettings.update({ where: { id: 1 }, data: { rules: { defaultCycleDays: 50 } } });
    const second = await getBacktestForViewer(admin(), { now: AS_OF });
    expect(second.report).not.toBe(first.report);
    expect(pastItsTimeFlagged(first.report, 2)).toBe(0);
    expect(pastItsTimeFlagged(second.report, 2)).toBe(2);
  });

  it("is run again after a team's thresholds change", async () => {
    const first = await getBacktestForViewer(admin(), { now: AS_OF });
    await db.teamRuleSettings.create({ data: { teamId: org.teams.west, overrides: { defaultCycleDays: 50 } } });
    const second = await getBacktestForViewer(admin(), { now: AS_OF });
    expect(pastItsTimeFlagged(first.report, 2)).toBe(0);
    expect(pastItsTimeFlagged(second.report, 2)).toBe(1);
  });

  it("is run again after the data change: a deal closed since is counted", async () => {
    const first = await getBacktestForViewer(admin(), { now: AS_OF });
    const extra = await lostDeal(org.people.ben, org.teams.central, "Another lost deal");
    try {
      const second = await getBacktestForViewer(admin(), { now: AS_OF });
      expect(second.report.closedDeals).toBe(first.report.closedDeals + 1);
      // A change to an existing deal (its amount) is seen too.
      await db.opportunity.update({ where: { id: extra }, data: { amount: 9000 } });
      const third = await getBacktestForViewer(admin(), { now: AS_OF });
      expect(third.report).not.toBe(second.report);
    } finally {
      await db.opportunity.delete({ where: { id: extra } });
    }
  });

  it("keeps one result per as-of date", async () => {
    const now = await getBacktestForViewer(admin(), { now: AS_OF });
    await db.orgSettings.update({ where: { id: 1 }, data: { asOf: new Date(AS_OF.getTime() - 200 * 86_400_000) } });
    try {
      const earlier = await getBacktestForViewer(admin(), { now: AS_OF });
      expect(earlier.report.asOf).not.toEqual(now.report.asOf);
      expect(earlier.report.closedDeals).toBe(0);
    } finally {
      await db.orgSettings.update({ where: { id: 1 }, data: { asOf: AS_OF } });
    }
  });
});
