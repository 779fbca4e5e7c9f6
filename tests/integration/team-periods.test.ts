// The sales-trap facts read in SQL (lib/reviews/facts.ts loadTeamPeriods)
// against the definition of the periods in lib/rules/team-rules.ts: windows
// of whole days ending at asOf, start exclusive and end inclusive, computed
// here deal by deal in plain TypeScript. Deals sit exactly on period edges,
// a millisecond either side of them, and after asOf.
import { beforeAll, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { loadTeamPeriods } from "@/lib/reviews/facts";
import { MS_PER_DAY } from "@/lib/rules/days";
import { DEFAULT_RULE_SETTINGS } from "@/lib/rules/settings";
import { salesTrapPeriods } from "@/lib/rules/team-rules";
import { AS_OF, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
const settings = { ...DEFAULT_RULE_SETTINGS };
const period = settings.salesTrapPeriodDays * MS_PER_DAY;

interface Deal {
  amount: number;
  status: "open" | "won" | "lost" | "prospect";
  openedAt: Date;
  closedAt: Date | null;
}
const deals: Deal[] = [];

const at = (msBeforeAsOf: number) => new Date(AS_OF.getTime() - msBeforeAsOf);

beforeAll(async () => {
  org = await createSmallOrg();
  const edges = [0, 1, period - 1, period, period + 1, 2 * period, 3 * period + 5, -1, -period];
  let amount = 1000;
  for (const opened of edges) {
    for (const closed of [null, ...edges]) {
      for (const status of ["open", "won", "lost", "prospect"] as const) {
        if ((status === "open" || status === "prospect") !== (closed === null)) continue;
        if (closed !== null && closed > opened) continue; // closed before it opened
        deals.push({ amount: amount++, status, openedAt: at(opened), closedAt: closed === null ? null : at(closed) });
      }
    }
  }
  await db.opportunity.createMany({
    data: deals.map((deal, index) => ({
      externalId: `period-${index}`,
      source: "test",
      name: `Period deal ${index}`,
      ownerId: org.people.ana.userId,
      amount: deal.amount,
      stageId: org.stages.discovery,
      status: deal.status,
      openedAt: deal.openedAt,
      stageEnteredAt: deal.openedAt,
      closedAt: deal.closedAt,
    })),
  });
});

describe("loadTeamPeriods", () => {
  it("sums won, open-at-the-end and new pipeline per period exactly as the windows define them", async () => {
    const query = getConnection().sql.query.bind(getConnection().sql) as Parameters<typeof loadTeamPeriods>[0];
    const [central] = await loadTeamPeriods(
      query,
      { teamId: org.teams.central, dealIds: null },
      settings,
      AS_OF,
      "USD",
    );

    // A period is whole UTC days; nothing after asOf has happened yet.
    const lastInstant = (window: { until: Date }) => new Date(Math.min(window.until.getTime() - 1, AS_OF.getTime()));
    const inWindow = (instant: Date | null, window: { from: Date; until: Date }) =>
      instant !== null && instant >= window.from && instant <= lastInstant(window);
    const known = deals.filter((deal) => deal.openedAt <= AS_OF);
    const cents = (list: Deal[]) => list.reduce((total, deal) => total + deal.amount * 100, 0);
    const expected = salesTrapPeriods(AS_OF, settings).map((window) => ({
      wonCents: cents(known.filter((deal) => deal.status === "won" && inWindow(deal.closedAt, window))),
      openPipelineCents: cents(
        known.filter(
          (deal) =>
            deal.status !== "prospect" &&
            deal.openedAt <= lastInstant(window) &&
            (deal.closedAt === null || deal.closedAt > lastInstant(window)),
        ),
      ),
      newPipelineCents: cents(known.filter((deal) => inWindow(deal.openedAt, window))),
    }));
    expect(central?.periods).toEqual(expected);
    // The fixture reaches every kind of sum, so a zero cannot pass for a match.
    for (const period of expected.slice(-2)) {
      expect(period.wonCents).toBeGreaterThan(0);
      expect(period.openPipelineCents).toBeGreaterThan(0);
      expect(period.newPipelineCents).toBeGreaterThan(0);
    }
  });
});
