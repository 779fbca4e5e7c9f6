// The back-test on the demo organisation: the /insights page data and the
// `npm run backtest` output agree number for number (organisation, teams, a
// manager's own team), the command refuses a bad date or an unknown team
// plainly, and reps do not get it.
import { beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/auth/viewer";
import { backtestCommand, UsageError } from "@/lib/backtest/command";
import { getBacktestForViewer } from "@/lib/backtest/data";
import type { BacktestReport } from "@/lib/backtest/report";
import { SWEEP_COLUMNS, sweepCells } from "@/lib/backtest/wording";
import { db, getConnection } from "@/lib/db";
import { formatMoney } from "@/lib/format";
import { DEMO_DEFAULTS, defaultClosedDeals } from "@/prisma/seed/generate";
import { loadDemoOrganisation } from "@/prisma/seed/load";
import { inThreadSource } from "@/prisma/seed/statement-sources";

const TODAY = "2026-12-07";
const NOW = new Date(`${TODAY}T12:00:00.000Z`);

async function viewer(role: Viewer["role"]): Promise<Viewer> {
  const user = await db.user.findFirstOrThrow({
    where: { role, active: true, ...(role === "manager" ? { managedTeam: { isNot: null } } : {}) },
    include: { managedTeam: true },
    orderBy: { name: "asc" },
  });
  return { userId: user.id, name: user.name, role, teamId: user.managedTeam?.id ?? user.teamId };
}

/** Every figure of the report must be on the command's table line for its threshold, in its group and rule. */
function expectPrinted(text: string, report: BacktestReport) {
  const money = (cents: number) => formatMoney(cents / 100, "USD");
  const sections = text.split(/^== /m).slice(1);
  expect(sections).toHaveLength(report.groups.length);
  for (const [index, group] of report.groups.entries()) {
    const section = sections[index] ?? "";
    expect(section.startsWith(`${group.name}: `)).toBe(true);
    for (const sweep of group.sweeps) {
      for (const row of sweep.thresholds) {
        const cells = sweepCells(sweep.rule, row, money);
        const pattern = SWEEP_COLUMNS.map((column) => cells[column].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(
          "\\s+",
        );
        expect(section, `${group.name} · ${sweep.rule} · ${row.threshold}`).toMatch(new RegExp(`^${pattern}$`, "m"));
      }
    }
  }
}

beforeAll(async () => {
  const demo = { ...DEMO_DEFAULTS, today: TODAY, closedDeals: defaultClosedDeals(DEMO_DEFAULTS.reps) };
  await loadDemoOrganisation(getConnection().sql, inThreadSource(demo), { reset: false, dealsTotal: demo.openDeals });
  await db.orgSettings.update({ where: { id: 1 }, data: { asOf: NOW } });
}, 300_000);

describe("the back-test on the demo organisation", () => {
  it("gives the admin's page and the command the same numbers, organisation and teams", async () => {
    const page = await getBacktestForViewer(await viewer("admin"), { now: NOW });
    const command = await backtestCommand([], NOW);

    const { report } = page;
    const closedInWindow = await db.opportunity.count({
      where: { status: { in: ["won", "lost"] }, closedAt: { gte: report.from, lt: NOW } },
    });
    const wonInWindow = await db.opportunity.count({
      where: { status: "won", closedAt: { gte: report.from, lt: NOW } },
    });
    expect(report.groups[0]).toMatchObject({ name: "Organisation", closedDeals: closedInWindow, won: wonInWindow });
    expect(closedInWindow).toBeGreaterThan(500);
    // Every demo team closes enough deals to get its own figures.
    expect(report.groups.map((group) => group.name).slice(1)).toEqual(
      (await db.team.findMany({ orderBy: { name: "asc" } })).map((team) => team.name),
    );

    expect(command.report).toEqual(report);
    expect(command.text).toContain(`Back-test as of ${TODAY} (the organisation's fixed as-of date)`);
    expectPrinted(command.text, report);

    for (const group of report.groups) {
      for (const sweep of group.sweeps) {
        // A stricter threshold never flags more deals, and every deal lands in one column.
        const flagged = sweep.thresholds.map((row) => row.flagged);
        expect(flagged).toEqual([...flagged].sort((a, b) => b - a));
        for (const row of sweep.thresholds)
          expect(row.flagged + row.notFlagged + row.notJudged).toBe(group.closedDeals);
      }
    }
    // The demo has deals that sat too long in a stage before closing: the sweep finds them.
    const stuck = report.groups[0]?.sweeps.find((sweep) => sweep.rule === "stuck-in-stage");
    expect(stuck?.thresholds.some((row) => row.flagged > 0)).toBe(true);
  });

  it("gives a manager their own team, the same as the command with --team", async () => {
    const manager = await viewer("manager");
    const team = await db.team.findUniqueOrThrow({ where: { id: manager.teamId ?? "" } });
    const page = await getBacktestForViewer(manager, { now: NOW, teamId: null });
    // A manager asking for the whole organisation still gets their own team.
    const other = await db.team.findFirstOrThrow({ where: { id: { not: team.id } } });
    const asked = await getBacktestForViewer(manager, { now: NOW, teamId: other.id });
    expect(asked.report).toEqual(page.report);
    expect(page.report.groups.map((group) => group.name)).toEqual([team.name]);
    expect(page.report.groups[0]?.closedDeals).toBe(
      await db.opportunity.count({
        where: { status: { in: ["won", "lost"] }, closedTeamId: team.id, closedAt: { gte: page.report.from, lt: NOW } },
      }),
    );

    const command = await backtestCommand(["--team", team.name.toUpperCase()], NOW);
    expect(command.report).toEqual(page.report);
    expectPrinted(command.text, page.report);
  });

  it("runs as of another day and window from the command line", async () => {
    const { report } = await backtestCommand(["--as-of", "2026-06-30", "--window-days", "90"], NOW);
    expect(report.asOf.toISOString()).toBe("2026-06-30T23:59:59.999Z");
    expect(report.from.toISOString()).toBe("2026-04-01T23:59:59.999Z");
    expect(report.groups[0]?.closedDeals).toBe(
      await db.opportunity.count({
        where: { status: { in: ["won", "lost"] }, closedAt: { gte: report.from, lt: report.asOf } },
      }),
    );
  });

  it("refuses a bad date, a bad window and an unknown team with what to do", async () => {
    await expect(backtestCommand(["--as-of", "31/12/2026"], NOW)).rejects.toThrow(
      new UsageError('--as-of must be a date like 2026-03-31, not "31/12/2026".'),
    );
    await expect(backtestCommand(["--as-of", "2026-02-30"], NOW)).rejects.toThrow(
      "--as-of 2026-02-30 is not a real date.",
    );
    await expect(backtestCommand(["--window-days", "0"], NOW)).rejects.toThrow("--window-days must be a whole number");
    const teams = (await db.team.findMany({ orderBy: { name: "asc" } })).map((team) => team.name).join(", ");
    await expect(backtestCommand(["--team", "Nowhere"], NOW)).rejects.toThrow(
      `There is no team called "Nowhere". Teams: ${teams}.`,
    );
    await expect(backtestCommand(["--colour"], NOW)).rejects.toBeInstanceOf(UsageError);
  });

  it("is not for reps", async () => {
    await expect(getBacktestForViewer(await viewer("rep"), { now: NOW })).rejects.toThrow(
      "The back-test is for managers and admins.",
    );
  });
});
