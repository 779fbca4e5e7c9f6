// The stored per-rep figures (RepFigures, lib/figures) and the trend's weekly
// team totals (TeamWeekTotals) stay equal to a from-scratch count after any
// sequence of writes: a seeded random walk of deal actions, small CSV imports
// (new deals, changed amounts, deals moving to another rep, deals closing) and
// reviews, some of them dated weeks back (snapshots of earlier weeks that
// later weeks carry, or that are too old to carry into them). The expected figures are computed
// here in plain JavaScript from the deals and their current flags, not by the
// SQL under test. The seed is printed on failure; FIGURES_SEED=<n> replays it.
import { addDays, subDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { ActionRefused } from "@/lib/action-result";
import type { Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import {
  type ChangeContext,
  keepDealWithWaiver,
  logDealActivity,
  moveDealBack,
  removeDealFromPipeline,
  returnDealToProspecting,
  updateDealDetails,
} from "@/lib/deals/mutations";
import { applyImportIn, ImportRefused, readImportFiles } from "@/lib/import/run";
import { FIGURES_RULES } from "@/lib/figures/rule-order";
import { currentFlagWhere } from "@/lib/flags/current-flags";
import { runReviewAs } from "@/lib/reviews/run";
import { type SeededRandom, seededRandom } from "@/lib/seeded-random";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";
import { text } from "./import-helpers";

const SEED = Number(process.env.FIGURES_SEED ?? 20261206);
const STEPS = 40;

/** Amount text ("1234.50") → integer cents, without floating point. */
function cents(amount: string): bigint {
  const [whole = "0", fraction = ""] = amount.split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2));
}

interface Expected {
  openDeals: number;
  openCents: bigint;
  weightedCents: bigint;
  staleDeals: number;
  staleCents: bigint;
  atRiskDeals: number;
  atRiskCents: bigint;
  nudgeDeals: number;
  nudgeCents: bigint;
  atRiskWorstDeals: number;
  atRiskWorstCents: bigint;
  nudgeWorstDeals: number;
  nudgeWorstCents: bigint;
  flaggedDeals: number;
  flaggedCents: bigint;
  oldestOpenedAt: Date | null;
  /** Of the rep's deals of any status. */
  newestOpenedAt: Date | null;
  lastActivityAt: Date | null;
  /** Open deals by opening day (UTC day number), ascending, with running totals. */
  openDays: number[];
  openDealsUpTo: number[];
  openCentsUpTo: bigint[];
  /** Deals of any status opened from the newest opening day back 30 days, the same way. */
  recentDays: number[];
  recentDealsUpTo: number[];
  recentCentsUpTo: bigint[];
  /** Flagged deals and their cents per deal rule, in FIGURES_RULES' order. */
  ruleDeals: number[];
  ruleCents: bigint[];
}

const zero = (): Expected => ({
  openDeals: 0,
  openCents: 0n,
  weightedCents: 0n,
  staleDeals: 0,
  staleCents: 0n,
  atRiskDeals: 0,
  atRiskCents: 0n,
  nudgeDeals: 0,
  nudgeCents: 0n,
  atRiskWorstDeals: 0,
  atRiskWorstCents: 0n,
  nudgeWorstDeals: 0,
  nudgeWorstCents: 0n,
  flaggedDeals: 0,
  flaggedCents: 0n,
  oldestOpenedAt: null,
  newestOpenedAt: null,
  lastActivityAt: null,
  openDays: [],
  openDealsUpTo: [],
  openCentsUpTo: [],
  recentDays: [],
  recentDealsUpTo: [],
  recentCentsUpTo: [],
  ruleDeals: FIGURES_RULES.map(() => 0),
  ruleCents: FIGURES_RULES.map(() => 0n),
});

const earlier = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));
const later = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

/** Days with their deals and cents, ascending, as running totals. */
function runningTotals(byDay: Map<number, { deals: number; cents: bigint }>) {
  const ascending = [...byDay.entries()].sort(([a], [b]) => a - b);
  let deals = 0;
  let cents = 0n;
  return {
    days: ascending.map(([day]) => day),
    dealsUpTo: ascending.map(([, totals]) => (deals += totals.deals)),
    centsUpTo: ascending.map(([, totals]) => (cents += totals.cents)),
  };
}

/**
 * Every person's figures counted from scratch: each open deal, its stage's
 * probability, its current flags; and each deal of any status for the newest
 * opening and the recent openings (new pipeline).
 */
async function countFromScratch(): Promise<Map<string, Expected>> {
  const [people, allDeals, flags] = await Promise.all([
    db.user.findMany({ select: { id: true } }),
    db.opportunity.findMany({
      select: {
        id: true,
        ownerId: true,
        status: true,
        amount: true,
        openedAt: true,
        lastActivityAt: true,
        stage: { select: { probability: true } },
      },
    }),
    db.flag.findMany({ where: { ...currentFlagWhere, opportunityId: { not: null } } }),
  ]);
  const severities = new Map<number, Set<string>>();
  const rules = new Map<number, Set<string>>();
  for (const flag of flags) {
    const id = flag.opportunityId as number;
    severities.set(id, (severities.get(id) ?? new Set()).add(flag.severity));
    rules.set(id, (rules.get(id) ?? new Set()).add(flag.rule));
  }
  const deals = allDeals.filter((deal) => deal.status === "open");
  const figures = new Map(people.map((person) => [person.id, zero()]));
  const weightedHundredths = new Map<string, bigint>();
  const openedByRep = new Map<string, Map<number, { deals: number; cents: bigint }>>();
  for (const deal of deals) {
    const rep = figures.get(deal.ownerId) ?? zero();
    figures.set(deal.ownerId, rep);
    const value = cents(deal.amount.toFixed(2));
    rep.openDeals++;
    rep.openCents += value;
    weightedHundredths.set(
      deal.ownerId,
      (weightedHundredths.get(deal.ownerId) ?? 0n) + value * BigInt(deal.stage.probability),
    );
    rep.oldestOpenedAt = earlier(rep.oldestOpenedAt, deal.openedAt);
    rep.lastActivityAt = later(rep.lastActivityAt, deal.lastActivityAt);
    // A prospect with no known opening date has no age.
    if (deal.openedAt) {
      const days = openedByRep.get(deal.ownerId) ?? new Map<number, { deals: number; cents: bigint }>();
      openedByRep.set(deal.ownerId, days);
      const openedDay = Math.floor(deal.openedAt.getTime() / 86_400_000);
      const sameDay = days.get(openedDay) ?? { deals: 0, cents: 0n };
      days.set(openedDay, { deals: sameDay.deals + 1, cents: sameDay.cents + value });
    }
    const has = severities.get(deal.id);
    if (!has) continue;
    rep.flaggedDeals++;
    rep.flaggedCents += value;
    for (const rule of rules.get(deal.id) ?? []) {
      const index = FIGURES_RULES.indexOf(rule as (typeof FIGURES_RULES)[number]);
      expect(index, `rule ${rule} has a place in FIGURES_RULES`).toBeGreaterThanOrEqual(0);
      rep.ruleDeals[index] = (rep.ruleDeals[index] ?? 0) + 1;
      rep.ruleCents[index] = (rep.ruleCents[index] ?? 0n) + value;
    }
    if (has.has("stale")) {
      rep.staleDeals++;
      rep.staleCents += value;
    }
    if (has.has("at_risk")) {
      rep.atRiskDeals++;
      rep.atRiskCents += value;
      if (!has.has("stale")) {
        rep.atRiskWorstDeals++;
        rep.atRiskWorstCents += value;
      }
    }
    if (has.has("nudge")) {
      rep.nudgeDeals++;
      rep.nudgeCents += value;
      if (!has.has("stale") && !has.has("at_risk")) {
        rep.nudgeWorstDeals++;
        rep.nudgeWorstCents += value;
      }
    }
  }
  // Rounded once per rep, half away from zero (amounts are never negative).
  for (const [repId, hundredths] of weightedHundredths) {
    const rep = figures.get(repId);
    if (rep) rep.weightedCents = (hundredths + 50n) / 100n;
  }
  for (const [repId, days] of openedByRep) {
    const rep = figures.get(repId) as Expected;
    const totals = runningTotals(days);
    rep.openDays = totals.days;
    rep.openDealsUpTo = totals.dealsUpTo;
    rep.openCentsUpTo = totals.centsUpTo;
  }
  // New pipeline's input: any status, from the newest opening day back 30 days.
  for (const [repId, rep] of figures) {
    const theirs = allDeals.filter((deal) => deal.ownerId === repId && deal.openedAt);
    for (const deal of theirs) rep.newestOpenedAt = later(rep.newestOpenedAt, deal.openedAt);
    if (!rep.newestOpenedAt) continue;
    const newestDay = Math.floor(rep.newestOpenedAt.getTime() / 86_400_000);
    const byDay = new Map<number, { deals: number; cents: bigint }>();
    for (const deal of theirs) {
      const day = Math.floor((deal.openedAt as Date).getTime() / 86_400_000);
      if (day < newestDay - 30) continue;
      const sameDay = byDay.get(day) ?? { deals: 0, cents: 0n };
      byDay.set(day, { deals: sameDay.deals + 1, cents: sameDay.cents + cents(deal.amount.toFixed(2)) });
    }
    const totals = runningTotals(byDay);
    rep.recentDays = totals.days;
    rep.recentDealsUpTo = totals.dealsUpTo;
    rep.recentCentsUpTo = totals.centsUpTo;
  }
  return figures;
}

/**
 * The trend's team totals counted from the snapshots: for every week holding a
 * snapshot, each rep's latest snapshot at or before it and at most 8 weeks
 * old, summed by the rep's team; new pipeline and won only in the rep's own week.
 */
async function weekTotalsFromScratch(): Promise<Record<string, string>> {
  const [snapshots, people] = await Promise.all([
    db.pipelineSnapshot.findMany({ orderBy: { weekStart: "asc" } }),
    db.user.findMany({ select: { id: true, teamId: true } }),
  ]);
  const teamOf = new Map(people.map((person) => [person.id, person.teamId ?? ""]));
  const weeks = [...new Set(snapshots.map((snapshot) => snapshot.weekStart.getTime()))];
  const totals: Record<string, string> = {};
  for (const week of weeks) {
    const latest = new Map<string, (typeof snapshots)[number]>();
    for (const snapshot of snapshots) {
      const at = snapshot.weekStart.getTime();
      if (at <= week && at > week - 56 * 86_400_000) latest.set(snapshot.userId, snapshot); // ascending: the last wins
    }
    const byTeam = new Map<string, { snapshots: number; open: bigint; stale: bigint; fresh: bigint; won: bigint }>();
    for (const [userId, snapshot] of latest) {
      const team = teamOf.get(userId) ?? "";
      const sum = byTeam.get(team) ?? { snapshots: 0, open: 0n, stale: 0n, fresh: 0n, won: 0n };
      byTeam.set(team, sum);
      const own = snapshot.weekStart.getTime() === week;
      sum.open += cents(snapshot.openValue.toFixed(2));
      sum.stale += cents(snapshot.staleValue.toFixed(2));
      if (own) {
        sum.snapshots++;
        sum.fresh += cents(snapshot.newPipelineValue.toFixed(2));
        sum.won += cents(snapshot.wonValue.toFixed(2));
      }
    }
    for (const [team, sum] of byTeam) {
      totals[`${team}/${new Date(week).toISOString().slice(0, 10)}`] =
        `${sum.snapshots} snapshots, open ${sum.open}, stale ${sum.stale}, new ${sum.fresh}, won ${sum.won}`;
    }
  }
  return totals;
}

async function storedWeekTotals(): Promise<Record<string, string>> {
  const rows = await db.teamWeekTotals.findMany();
  return Object.fromEntries(
    rows.map((row) => [
      `${row.teamKey}/${row.weekStart.toISOString().slice(0, 10)}`,
      `${row.snapshots} snapshots, open ${row.openCents}, stale ${row.staleCents}, new ${row.newPipelineCents}, won ${row.wonCents}`,
    ]),
  );
}

async function storedFigures(): Promise<Map<string, Expected>> {
  const rows = await db.repFigures.findMany();
  return new Map(
    rows.map(({ repId, updatedAt: _updatedAt, ...figures }) => [repId, figures satisfies Expected as Expected]),
  );
}

let org: SmallOrg;
let reps: Viewer[];
const NOW = new Date(AS_OF.getTime() + 3_600_000);
const calendarDay = (date: Date) => new Date(`${date.toISOString().slice(0, 10)}T00:00:00.000Z`);

beforeAll(async () => {
  org = await createSmallOrg();
  reps = [org.people.ana, org.people.ben, org.people.wes];
  const stages = Object.values(org.stages);
  for (let index = 0; index < 12; index++) {
    await createDeal(org, {
      owner: reps[index % reps.length] as Viewer,
      amount: 1000 + index * 1234.56,
      openedDaysAgo: 20 + index * 37,
      stageId: stages[index % stages.length],
      expectedCloseInDays: (index % 4) * 10 - 15,
    });
  }
  // The deals above were inserted directly, as the seed does; the first review counts them.
  await runReviewAs(null, { asOf: AS_OF, now: NOW });
});

/** A deals file as HubSpot exports it: some deals already here (by Record ID), some new; owners and amounts vary. */
function hubspotExport(random: SeededRandom): string {
  const emails = ["ana.rep@test.example", "ben.rep@test.example", "wes.rep@test.example"];
  const stages = ["Discovery", "Demo", "Proposal", "Negotiation", "Closed won", "Closed lost"];
  const header =
    "Record ID,Deal Name,Deal Stage,Pipeline,Amount,Close Date,Create Date,Deal owner,Associated Company,Last Activity Date";
  const lines = [header];
  for (let row = 0; row < 4; row++) {
    const id = 7000 + random.below(8); // a small pool: later files update earlier deals
    const stage = random.pick(stages);
    const opened = subDays(AS_OF, 30 + random.below(300));
    const closed = stage.startsWith("Closed") ? subDays(AS_OF, random.below(20)) : addDays(AS_OF, random.below(60));
    const activity = random.below(2) ? `${subDays(AS_OF, random.below(90)).toISOString().slice(0, 10)} 10:00` : "";
    lines.push(
      [
        id,
        `Deal ${id}`,
        stage,
        "Sales Pipeline",
        `"${(500 + random.below(90_000)).toLocaleString("en-US")}.${String(random.below(100)).padStart(2, "0")}"`,
        closed.toISOString().slice(0, 10),
        `${opened.toISOString().slice(0, 10)} 09:00`,
        random.pick(emails),
        `Company ${id}`,
        activity,
      ].join(","),
    );
  }
  // One row per deal id: a file naming a deal twice is refused, which is not what this walk is about.
  const seen = new Set<string>();
  const unique = lines.filter((line) => {
    const id = line.split(",")[0] as string;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return `${unique.join("\n")}\n`;
}

describe("per-rep figures kept on write", () => {
  // Forty steps with imports and reviews take a while on a loaded machine: a generous limit, not a timing check.
  it(`equal a count from scratch after every step of a random walk (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const random = seededRandom(SEED);
    const admin = org.people.admin;
    const ctx: ChangeContext = { actor: admin, now: NOW, asOf: AS_OF, maxKeepWaiverDays: 30 };
    const done: string[] = [];
    expect(await storedFigures(), `after the first review (seed ${SEED})`).toEqual(await countFromScratch());
    expect(await storedWeekTotals(), `after the first review (seed ${SEED})`).toEqual(await weekTotalsFromScratch());

    for (let step = 0; step < STEPS; step++) {
      const open = await db.opportunity.findMany({
        where: { status: "open" },
        select: { id: true, version: true, stageId: true },
        orderBy: { id: "asc" },
      });
      const deal = open.length ? random.pick(open) : null;
      const kind = random.pick(
        deal
          ? ([
              "move back",
              "prospecting",
              "remove",
              "keep",
              "activity",
              "amount",
              "close date",
              "import",
              "review",
              "review of an earlier week",
            ] as const)
          : (["import", "review", "review of an earlier week"] as const),
      );
      try {
        if (kind === "review") {
          await runReviewAs(null, { asOf: AS_OF, now: NOW });
        } else if (kind === "review of an earlier week") {
          // 9 weeks back is past the 8 weeks a snapshot carries: it must not reach today's week.
          await runReviewAs(null, { asOf: subDays(AS_OF, 7 * random.pick([1, 2, 5, 9])), now: NOW });
        } else if (kind === "import") {
          // Inside a transaction as the CRM sync applies its pages: without the review that follows
          // an import from the page (which would recount everyone and hide a missed rep).
          const files = await readImportFiles([text(`hubspot-${step}.csv`, hubspotExport(random))]);
          await db.$transaction((tx) =>
            applyImportIn(tx, files, { skipRejected: false }, { actorId: admin.userId, via: "page" }, undefined, NOW),
          );
        } else if (deal) {
          const ref = { dealId: deal.id, version: deal.version };
          await db.$transaction(async (tx) => {
            if (kind === "move back") await moveDealBack(tx, ctx, { ...ref, reason: "walk" });
            else if (kind === "prospecting") await returnDealToProspecting(tx, ctx, { ...ref, reason: "walk" });
            else if (kind === "remove") await removeDealFromPipeline(tx, ctx, { ...ref, reason: "walk" });
            else if (kind === "keep")
              await keepDealWithWaiver(tx, ctx, { ...ref, reason: "walk", until: calendarDay(addDays(AS_OF, 10)) });
            else if (kind === "activity")
              await logDealActivity(tx, ctx, {
                dealId: deal.id,
                type: "call",
                side: random.pick(["buyer", "seller"] as const),
                at: subDays(AS_OF, random.below(40)),
              });
            else if (kind === "amount")
              await updateDealDetails(tx, ctx, {
                ...ref,
                amount: `${100 + random.below(80_000)}.${random.below(10)}0`,
              });
            else
              await updateDealDetails(tx, ctx, {
                ...ref,
                expectedCloseDate: calendarDay(addDays(AS_OF, random.below(120) - 30)),
              });
          });
        }
        done.push(kind);
      } catch (error) {
        // A refused action or import rolls back: the figures must still hold.
        if (!(error instanceof ActionRefused) && !(error instanceof ImportRefused)) throw error;
        done.push(`${kind} (refused)`);
      }
      expect(await storedFigures(), `after step ${step + 1} (${done.join(" → ")}), seed ${SEED}`).toEqual(
        await countFromScratch(),
      );
      expect(
        await storedWeekTotals(),
        `week totals after step ${step + 1} (${done.join(" → ")}), seed ${SEED}`,
      ).toEqual(await weekTotalsFromScratch());
    }
    // Whatever the walk drew: a review 9 weeks back (too old to carry into today's week), and one team's review
    // a week ahead (the other team's reps carry today's snapshots into that week).
    await runReviewAs(null, { asOf: subDays(AS_OF, 63), now: NOW });
    await runReviewAs(null, { asOf: addDays(AS_OF, 7), now: NOW, teamId: org.teams.central });
    const stored = await storedWeekTotals();
    expect(stored, `week totals after the fixed reviews, seed ${SEED}`).toEqual(await weekTotalsFromScratch());
    expect(new Set(Object.keys(stored).map((key) => key.split("/")[1])).size, `seed ${SEED}`).toBeGreaterThanOrEqual(3);
    const weekAhead = calendarDay(addDays(AS_OF, 7 - ((AS_OF.getUTCDay() + 6) % 7)))
      .toISOString()
      .slice(0, 10);
    expect(stored[`${org.teams.west}/${weekAhead}`], `west carried into the week ahead, seed ${SEED}`).toMatch(
      /^0 snapshots, open [1-9]/,
    );
    // The walk did what it is for: imports and several kinds of action took effect.
    expect(done.filter((kind) => kind === "import").length, `seed ${SEED}`).toBeGreaterThan(0);
    expect(new Set(done.filter((kind) => !kind.endsWith("(refused)"))).size, `seed ${SEED}`).toBeGreaterThan(5);
  });
});
