// The demo generator's rows are deterministic, complete and internally
// consistent: every rollup column agrees with the history rows behind it,
// every reference points at a row that exists, nothing happens after today.
import { describe, expect, it } from "vitest";
import { DAY_MS } from "./calendar";
import { DEMO_DEFAULTS, type DemoOptions, defaultClosedDeals, generateDemoOrganisation } from "./generate";
import { centsToDecimal, decimalToCents, type OpportunityRow } from "./rows";
import { cents, indexOrganisation, openAt, present } from "./test-support";

const DEMO: DemoOptions = {
  seed: DEMO_DEFAULTS.seed,
  today: "2026-03-10", // two days after the US switch to daylight saving time
  openDeals: DEMO_DEFAULTS.openDeals,
  closedDeals: defaultClosedDeals(DEMO_DEFAULTS.reps),
  activities: DEMO_DEFAULTS.activities,
  reps: DEMO_DEFAULTS.reps,
};
const SMALL: DemoOptions = {
  seed: 7,
  today: "2026-11-22",
  openDeals: 60,
  closedDeals: 300,
  activities: 5_000,
  reps: 12,
};

const demo = generateDemoOrganisation(DEMO);
const ix = indexOrganisation(demo);

describe("determinism", () => {
  it("gives the same rows for the same seed, day and size", () => {
    expect(generateDemoOrganisation(SMALL)).toEqual(generateDemoOrganisation(SMALL));
  });

  it("gives a different organisation for another seed, with the same story handles", () => {
    const a = generateDemoOrganisation(SMALL);
    const b = generateDemoOrganisation({ ...SMALL, seed: 8 });
    expect(a.opportunities.map((deal) => deal.amount)).not.toEqual(b.opportunities.map((deal) => deal.amount));
    const storyIds = (org: typeof a) =>
      org.opportunities
        .filter((deal) => !/^demo-\d+$/.test(deal.externalId))
        .map((deal) => deal.externalId)
        .sort();
    expect(storyIds(a)).toEqual(storyIds(b));
    expect(a.users.slice(0, 20).map((user) => user.email)).toEqual(b.users.slice(0, 20).map((user) => user.email));
  });
});

describe("size", () => {
  it("has exactly the open deals, closed deals and activities asked for", () => {
    for (const [org, options] of [
      [demo, DEMO],
      [generateDemoOrganisation(SMALL), SMALL],
    ] as const) {
      expect(org.opportunities.filter((deal) => deal.status === "open")).toHaveLength(options.openDeals);
      expect(org.opportunities.filter((deal) => deal.status !== "open")).toHaveLength(options.closedDeals);
      expect(org.activities).toHaveLength(options.activities);
      expect(org.users.filter((user) => user.role === "rep")).toHaveLength(options.reps);
    }
  });

  it("is the demo the issue describes: 3 teams, 24 reps, ~3,000 deals, a few hundred open, 2 years of history", () => {
    expect(demo.teams.map((team) => team.name)).toEqual(["Central", "East", "West"]);
    expect(demo.users.filter((user) => user.role === "manager")).toHaveLength(3);
    expect(demo.users.filter((user) => user.role === "admin")).toHaveLength(1);
    expect(demo.opportunities.length).toBeGreaterThan(2_900);
    expect(demo.opportunities.length).toBeLessThan(3_200);
    const closedDays = demo.opportunities
      .filter((d) => d.closedAt)
      .map((d) => ix.todayDay - Math.floor(present(d.closedAt).getTime() / DAY_MS));
    expect(Math.max(...closedDays)).toBeGreaterThan(700);
    expect(Math.max(...closedDays)).toBeLessThanOrEqual(730);
    const sides = new Set(demo.activities.map((a) => a.side));
    expect(sides).toEqual(new Set(["buyer", "seller"]));
  });

  it("scales teams at about nine reps each", () => {
    const org = generateDemoOrganisation({ ...SMALL, reps: 60, openDeals: 300 });
    expect(org.teams).toHaveLength(7);
    const sizes = org.teams.map((team) => org.users.filter((u) => u.teamId === team.id && u.role === "rep").length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(new Set(org.users.map((u) => u.email)).size).toBe(org.users.length);
    expect(new Set(org.teams.map((t) => t.name)).size).toBe(org.teams.length);
  });
});

describe("references and ids", () => {
  it("gives every table unique, consecutive ids", () => {
    for (const rows of [
      demo.opportunities,
      demo.activities,
      demo.stageChanges,
      demo.closeDateChanges,
      demo.amountChanges,
      demo.quotas,
      demo.accounts,
      demo.pipelineSnapshots,
    ]) {
      expect(rows.filter((row, i) => row.id !== i + 1)).toEqual([]);
    }
  });

  it("points every row at rows that exist", () => {
    const users = new Set(demo.users.map((u) => u.id));
    const teams = new Set(demo.teams.map((t) => t.id));
    const accounts = new Set(demo.accounts.map((a) => a.id));
    const stages = new Set(demo.stages.map((s) => s.id));
    const deals = new Set(demo.opportunities.map((d) => d.id));
    for (const team of demo.teams) expect(users.has(team.managerId as string)).toBe(true);
    for (const user of demo.users) if (user.teamId !== null) expect(teams.has(user.teamId)).toBe(true);
    expect(
      demo.opportunities.filter(
        (d) => !users.has(d.ownerId) || !accounts.has(d.accountId as number) || !stages.has(d.stageId),
      ),
    ).toEqual([]);
    for (const rows of [
      demo.activities,
      demo.stageChanges,
      demo.closeDateChanges,
      demo.amountChanges,
      demo.waivers,
      demo.decisions,
    ]) {
      expect(rows.filter((row) => !deals.has(row.opportunityId))).toEqual([]);
    }
    expect(demo.quotas.filter((q) => !users.has(q.userId))).toEqual([]);
    expect(demo.pipelineSnapshots.filter((s) => !users.has(s.userId))).toEqual([]);
  });

  it("keeps unique values unique (emails, account names, deal external ids)", () => {
    expect(new Set(demo.users.map((u) => u.email)).size).toBe(demo.users.length);
    expect(new Set(demo.accounts.map((a) => a.name)).size).toBe(demo.accounts.length);
    expect(new Set(demo.opportunities.map((d) => d.externalId)).size).toBe(demo.opportunities.length);
    expect(new Set(demo.quotas.map((q) => `${q.userId} ${q.periodStart.toISOString()}`)).size).toBe(demo.quotas.length);
  });
});

describe("time", () => {
  it("puts every event before today's UTC midnight", () => {
    const today = ix.todayMs;
    const future = (instant: Date | null) => instant !== null && instant.getTime() >= today;
    expect(
      demo.opportunities.filter((d) =>
        [d.openedAt, d.closedAt, d.lastActivityAt, d.stageEnteredAt, d.updatedAt].some(future),
      ),
    ).toEqual([]);
    for (const rows of [demo.activities, demo.stageChanges, demo.closeDateChanges, demo.amountChanges]) {
      expect(rows.filter((row) => future(row.at))).toEqual([]);
    }
  });

  it("keeps each deal's history inside its life: after it opened, before it closed", () => {
    const byId = new Map(demo.opportunities.map((deal) => [deal.id, deal]));
    for (const rows of [demo.activities, demo.stageChanges, demo.closeDateChanges, demo.amountChanges]) {
      const outside = rows.filter((row) => {
        const deal = byId.get(row.opportunityId) as OpportunityRow;
        return row.at < deal.openedAt || (deal.closedAt !== null && row.at > deal.closedAt);
      });
      expect(outside).toEqual([]);
    }
  });

  it("stores calendar dates as UTC midnight", () => {
    expect(demo.opportunities.filter((d) => (d.expectedCloseDate as Date).getTime() % DAY_MS !== 0)).toEqual([]);
    expect(
      demo.quotas.filter((q) => q.periodStart.getTime() % DAY_MS !== 0 || q.periodEnd.getTime() % DAY_MS !== 0),
    ).toEqual([]);
    expect(demo.pipelineSnapshots.filter((s) => s.weekStart.getUTCDay() !== 1)).toEqual([]);
  });
});

describe("rollups agree with the history rows", () => {
  it("holds for every deal", () => {
    const mismatches: string[] = [];
    const check = (deal: OpportunityRow, column: string, actual: number | null, expected: number | null) => {
      if (actual !== expected) mismatches.push(`${deal.externalId} ${column}: ${actual} ≠ ${expected}`);
    };
    const time = (date: Date | null) => date?.getTime() ?? null;
    for (const deal of demo.opportunities) {
      const activities = ix.activitiesOf.get(deal.id) ?? [];
      const latest = (side?: string) => {
        let max: number | null = null;
        for (const a of activities) if (!side || a.side === side) max = Math.max(max ?? 0, a.at.getTime());
        return max;
      };
      check(deal, "lastActivityAt", time(deal.lastActivityAt), latest());
      check(deal, "lastBuyerActivityAt", time(deal.lastBuyerActivityAt), latest("buyer"));
      check(deal, "lastSellerActivityAt", time(deal.lastSellerActivityAt), latest("seller"));

      const changes = ix.stageChangesOf.get(deal.id) ?? [];
      const forward = changes.filter((c) => c.direction === "forward").map((c) => c.at.getTime());
      check(deal, "lastForwardMoveAt", time(deal.lastForwardMoveAt), forward.length ? Math.max(...forward) : null);
      // As lib/deals/history.ts refreshRollups: the latest change into the current stage and status.
      const intoCurrent = changes
        .filter((c) => c.toStageId === deal.stageId && c.toStatus === deal.status && c.at >= deal.openedAt)
        .map((c) => c.at.getTime());
      check(
        deal,
        "stageEnteredAt",
        time(deal.stageEnteredAt),
        intoCurrent.length ? Math.max(...intoCurrent) : deal.openedAt.getTime(),
      );

      const pushes = (ix.closeDateChangesOf.get(deal.id) ?? []).filter((c) => c.isPush).length;
      check(deal, "closeDatePushCount", deal.closeDatePushCount, pushes);
    }
    expect(mismatches).toEqual([]);
  });
});

describe("history is well formed", () => {
  it("starts each deal with 'created' at openedAt, moves by stage order, and ends closed deals with their outcome", () => {
    const problems: string[] = [];
    for (const deal of demo.opportunities) {
      const changes = ix.stageChangesOf.get(deal.id) ?? [];
      const problem = (what: string) => problems.push(`${deal.externalId}: ${what}`);
      const first = changes[0];
      if (
        first?.direction !== "created" ||
        first.fromStageId !== null ||
        first.at.getTime() !== deal.openedAt.getTime()
      ) {
        problem("does not start with 'created' at openedAt");
      }
      for (let i = 1; i < changes.length; i++) {
        const change = present(changes[i]);
        if (change.at <= present(changes[i - 1]).at) problem("stage changes out of order");
        const expected = (change.toStageId as number) > (change.fromStageId as number) ? "forward" : "back";
        if (change.toStatus === "open" && change.direction !== expected)
          problem(`${change.direction} should be ${expected}`);
      }
      const last = present(changes[changes.length - 1]);
      if (deal.status === "open") {
        if (last.toStatus !== "open" || last.toStageId !== deal.stageId || deal.closedAt !== null)
          problem("open deal's last move");
      } else {
        const direction = deal.status === "prospect" ? "to_prospect" : deal.status;
        if (last.toStatus !== deal.status || last.direction !== direction) problem("closed without its outcome");
        if (last.fromStageId !== deal.stageId || last.toStageId !== deal.stageId) problem("outcome changes the stage");
        const closedAt = deal.status === "prospect" ? null : last.at.getTime();
        if ((deal.closedAt?.getTime() ?? null) !== closedAt) problem("closedAt is not the outcome's time");
        if (deal.status === "lost" && !deal.lostReason) problem("lost without a reason");
      }
    }
    expect(problems).toEqual([]);
  });

  it("chains close-date changes to the expected close date, and amount changes to the amount", () => {
    const problems: string[] = [];
    for (const deal of demo.opportunities) {
      const dates = ix.closeDateChangesOf.get(deal.id) ?? [];
      for (let i = 1; i < dates.length; i++) {
        if (present(dates[i]).fromDate?.getTime() !== present(dates[i - 1]).toDate?.getTime())
          problems.push(`${deal.externalId}: close dates do not chain`);
      }
      if (dates.length && present(dates.at(-1)).toDate?.getTime() !== deal.expectedCloseDate?.getTime()) {
        problems.push(`${deal.externalId}: last close-date change is not the expected close date`);
      }
      for (const change of dates) {
        if (change.isPush !== present(change.toDate).getTime() > present(change.fromDate).getTime())
          problems.push(`${deal.externalId}: isPush wrong`);
      }
      const amounts = ix.amountChangesOf.get(deal.id) ?? [];
      for (let i = 1; i < amounts.length; i++) {
        if (present(amounts[i]).fromAmount !== present(amounts[i - 1]).toAmount)
          problems.push(`${deal.externalId}: amounts do not chain`);
      }
      if (amounts.length && present(amounts.at(-1)).toAmount !== deal.amount)
        problems.push(`${deal.externalId}: last amount is not the amount`);
    }
    expect(problems).toEqual([]);
  });

  it("has stage moves back as well as forward, close-date slips, and amount edits", () => {
    const directions = new Set(demo.stageChanges.map((c) => c.direction));
    expect(directions).toEqual(new Set(["created", "forward", "back", "won", "lost", "to_prospect"]));
    expect(demo.closeDateChanges.filter((c) => c.isPush).length).toBeGreaterThan(500);
    expect(demo.amountChanges.length).toBeGreaterThan(300);
  });
});

describe("money", () => {
  it("is decimal strings with two places, whole dollars", () => {
    expect(demo.opportunities.filter((d) => !/^\d+\.00$/.test(d.amount))).toEqual([]);
    expect(demo.quotas.filter((q) => !/^\d+\.00$/.test(q.amount))).toEqual([]);
    expect(demo.pipelineSnapshots.filter((s) => !/^\d+\.\d\d$/.test(s.weightedValue))).toEqual([]);
  });

  it("converts between cents and decimal strings exactly", () => {
    expect(centsToDecimal(4_800_000)).toBe("48000.00");
    expect(centsToDecimal(5)).toBe("0.05");
    expect(centsToDecimal(-1_050)).toBe("-10.50");
    expect(decimalToCents("48000.00")).toBe(4_800_000);
    expect(decimalToCents("0.5")).toBe(50);
  });
});

describe("the organisation looks like a real sales team", () => {
  it("gives every team at least 10 deals won in the last year and an average cycle of 60–120 days", () => {
    for (const team of demo.teams) {
      const won = demo.opportunities.filter(
        (d) =>
          d.status === "won" &&
          ix.teamOf.get(d.ownerId) === team.id &&
          present(d.closedAt).getTime() > ix.todayMs - 365 * DAY_MS,
      );
      expect(won.length).toBeGreaterThanOrEqual(10);
      const meanDays =
        won.reduce((sum, d) => sum + (present(d.closedAt).getTime() - d.openedAt.getTime()) / DAY_MS, 0) / won.length;
      expect(meanDays).toBeGreaterThan(60);
      expect(meanDays).toBeLessThan(120);
    }
  });

  it("gives each rep a quota for every quarter of the two years and the next quarter", () => {
    for (const rep of demo.users.filter((u) => u.role === "rep")) {
      const quotas = demo.quotas
        .filter((q) => q.userId === rep.id)
        .sort((a, b) => a.periodStart.getTime() - b.periodStart.getTime());
      expect(quotas.length).toBe(10);
      for (let i = 1; i < quotas.length; i++)
        expect(present(quotas[i]).periodStart.getTime()).toBe(present(quotas[i - 1]).periodEnd.getTime() + DAY_MS);
      expect(present(quotas[quotas.length - 1]).periodEnd.getTime()).toBeGreaterThan(ix.todayMs + 30 * DAY_MS);
    }
  });

  it("gives each rep a different pipeline", () => {
    const pipelines = demo.users
      .filter((u) => u.role === "rep")
      .map((rep) => {
        const open = (ix.dealsOf.get(rep.id) ?? []).filter((d) => d.status === "open");
        return `${open.length}/${open.reduce((sum, d) => sum + cents(d.amount), 0)}`;
      });
    expect(new Set(pipelines).size).toBe(pipelines.length);
    const counts = pipelines.map((p) => Number(p.split("/")[0]));
    expect(Math.max(...counts)).toBeGreaterThan(2 * Math.min(...counts));
  });

  it("has realistic accounts and deal names", () => {
    expect(demo.accounts.filter((a) => !/^[a-z0-9-]+\.example$/.test(a.domain ?? "") || !a.sector)).toEqual([]);
    const accountNames = new Map(demo.accounts.map((a) => [a.id, a.name]));
    expect(
      demo.opportunities.filter((d) => !d.name.startsWith(`${accountNames.get(d.accountId as number)} — `)),
    ).toEqual([]);
  });
});

describe("weekly snapshots", () => {
  it("has one per rep per week for the 26 weeks before this one", () => {
    const reps = demo.users.filter((u) => u.role === "rep");
    expect(demo.pipelineSnapshots).toHaveLength(reps.length * 26);
    const thisMonday = ix.todayMs - ((new Date(ix.todayMs).getUTCDay() + 6) % 7) * DAY_MS;
    for (const s of demo.pipelineSnapshots) expect(s.weekStart.getTime()).toBeLessThan(thisMonday);
  });

  it("counts the pipeline open at the end of each week, at the amounts of then", () => {
    for (const snapshot of demo.pipelineSnapshots.filter((_, i) => i % 97 === 0)) {
      const endMs = snapshot.weekStart.getTime() + 7 * DAY_MS - 1;
      const deals = (ix.dealsOf.get(snapshot.userId) ?? []).filter((deal) => {
        if (deal.openedAt.getTime() > endMs) return false;
        const left =
          deal.status === "open" ? null : present((ix.stageChangesOf.get(deal.id) ?? []).at(-1)).at.getTime();
        return left === null || left > endMs;
      });
      let value = 0;
      for (const deal of deals) {
        const edits = (ix.amountChangesOf.get(deal.id) ?? []).filter((c) => c.at.getTime() <= endMs);
        const first = (ix.amountChangesOf.get(deal.id) ?? [])[0];
        const amount = edits.length ? present(edits[edits.length - 1]).toAmount : (first?.fromAmount ?? deal.amount);
        value += cents(amount);
      }
      expect(snapshot.openCount).toBe(deals.length);
      expect(cents(snapshot.openValue)).toBe(value);
      expect(cents(snapshot.staleValue)).toBeLessThanOrEqual(value);
    }
  });

  it("agrees with the review's definition of open at a moment (prospects aside)", () => {
    // Sanity check of the helper the story tests use.
    const someOpen = present(demo.opportunities.find((d) => d.status === "open"));
    expect(openAt(someOpen, ix.todayMs - 1)).toBe(true);
  });
});
