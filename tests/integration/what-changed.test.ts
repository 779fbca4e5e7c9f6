// "What changed" against a real database: every movement built once — through
// the people-facing mutations where the app has one (remove, prospecting,
// move back, close date, amount), through the shared history writer where
// only an import or a CRM does it (opened, won, moved forward), and as flag
// episodes for flags — then the waterfall adds up exactly from last week's
// open value to this week's, and each viewer sees only their scope.
import { subDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/auth/viewer";
import { getMeetingChangesWindow, getWhatChanged, listChangedDeals } from "@/lib/changes/data";
import { MOVEMENTS, type MovementKind, type PipelineChanges, waterfallEnd } from "@/lib/changes/movements";
import { lastWeek } from "@/lib/changes/window";
import { db } from "@/lib/db";
import { recordStageMoves, refreshRollups } from "@/lib/deals/history";
import {
  type ChangeContext,
  moveDealBack,
  removeDealFromPipeline,
  returnDealToProspecting,
  updateDealDetails,
} from "@/lib/deals/mutations";
import { AS_OF, createDeal, createSmallOrg, logActivities, type SmallOrg } from "../fixtures/small-org";

const WINDOW = lastWeek(AS_OF);
const daysAgo = (days: number) => subDays(AS_OF, days);
const calendarDay = (date: Date) => new Date(`${date.toISOString().slice(0, 10)}T00:00:00.000Z`);

let org: SmallOrg;
/** Deal ids by the movement each was built for. */
const ids: Record<string, number> = {};

/** A person acting on a deal `days` before AS_OF (history is stamped then). */
const ctxAt = (actor: Viewer, days: number): ChangeContext => ({
  actor,
  now: daysAgo(days),
  asOf: daysAgo(days),
  maxKeepWaiverDays: 30,
});

async function dealWithHistory(
  name: string,
  owner: Viewer,
  amount: number,
  openedDaysAgo: number,
  extra: { stageId?: number; expectedCloseInDays?: number } = {},
) {
  const deal = await createDeal(org, { owner, amount, openedDaysAgo, name, ...extra });
  await recordStageMoves(db, [
    {
      opportunityId: deal.id,
      fromStageId: null,
      toStageId: deal.stageId,
      fromStatus: null,
      toStatus: "open",
      direction: "created",
      at: deal.openedAt,
      byId: null,
    },
  ]);
  // Recent effort on both sides, so re-evaluation after an action finds nothing
  // to flag: the only flags in this story are the two episodes written below.
  const effortDaysAgo = Math.min(8, openedDaysAgo);
  await logActivities(deal.id, [
    { daysAgo: effortDaysAgo, side: "seller" },
    { daysAgo: effortDaysAgo, side: "buyer" },
  ]);
  await refreshRollups(db, [deal.id]);
  ids[name] = deal.id;
  return deal;
}

beforeAll(async () => {
  org = await createSmallOrg();
  const { ana, ben, wes, centralManager } = org.people;
  const { proposal, negotiation, demo } = org.stages;

  // Opened this week (a CRM or an import opens deals: the history writer they share).
  await dealWithHistory("opened", ana, 10_000, 3);

  // Won this week: the CRM closes it.
  const won = await dealWithHistory("won", ana, 20_000, 60, { stageId: negotiation });
  await db.opportunity.update({ where: { id: won.id }, data: { status: "won", closedAt: daysAgo(2) } });
  await recordStageMoves(db, [
    {
      opportunityId: won.id,
      fromStageId: negotiation,
      toStageId: negotiation,
      fromStatus: "open",
      toStatus: "won",
      direction: "won",
      at: daysAgo(2),
      byId: null,
    },
  ]);

  const removed = await dealWithHistory("lost", ana, 30_000, 100);
  await db.$transaction((tx) =>
    removeDealFromPipeline(tx, ctxAt(centralManager, 4), {
      dealId: removed.id,
      version: removed.version,
      reason: "stale — removed in review",
    }),
  );

  const prospected = await dealWithHistory("to_prospecting", ana, 40_000, 100);
  await db.$transaction((tx) =>
    returnDealToProspecting(tx, ctxAt(ana, 5), {
      dealId: prospected.id,
      version: prospected.version,
      reason: "No budget this year",
    }),
  );

  const back = await dealWithHistory("moved_back", ana, 50_000, 80, { stageId: proposal });
  await db.$transaction((tx) =>
    moveDealBack(tx, ctxAt(centralManager, 1), { dealId: back.id, version: back.version, reason: "No champion" }),
  );

  const forward = await dealWithHistory("moved_forward", ana, 60_000, 40, { stageId: demo });
  await db.opportunity.update({ where: { id: forward.id }, data: { stageId: proposal, stageEnteredAt: daysAgo(1) } });
  await recordStageMoves(db, [
    {
      opportunityId: forward.id,
      fromStageId: demo,
      toStageId: proposal,
      fromStatus: "open",
      toStatus: "open",
      direction: "forward",
      at: daysAgo(1),
      byId: null,
    },
  ]);

  const pushed = await dealWithHistory("pushed_out", ana, 70_000, 50, { expectedCloseInDays: 5 });
  await db.$transaction((tx) =>
    updateDealDetails(tx, ctxAt(ana, 2), {
      dealId: pushed.id,
      version: pushed.version,
      expectedCloseDate: calendarDay(daysAgo(-40)),
    }),
  );

  const pulled = await dealWithHistory("pulled_in", ana, 80_000, 50, { expectedCloseInDays: 60 });
  await db.$transaction((tx) =>
    updateDealDetails(tx, ctxAt(ana, 2), {
      dealId: pulled.id,
      version: pulled.version,
      expectedCloseDate: calendarDay(daysAgo(-20)),
    }),
  );

  const up = await dealWithHistory("amount_up", ana, 90_000, 50);
  await db.$transaction((tx) =>
    updateDealDetails(tx, ctxAt(ana, 3), { dealId: up.id, version: up.version, amount: "95000" }),
  );
  const down = await dealWithHistory("amount_down", ana, 100_000, 50);
  await db.$transaction((tx) =>
    updateDealDetails(tx, ctxAt(ana, 3), { dealId: down.id, version: down.version, amount: "75000.50" }),
  );

  // Flag episodes as reviews write them (startedAt / endedAt).
  const flagged = await dealWithHistory("newly_flagged", ana, 11_000, 300);
  const cleared = await dealWithHistory("cleared", ana, 12_000, 300);
  const flag = (opportunityId: number, startedAt: Date, endedAt: Date | null) =>
    db.flag.create({
      data: {
        opportunityId,
        rule: "past-its-time",
        severity: "stale",
        explanation: "Open 300 days",
        metrics: {},
        asOf: startedAt,
        startedAt,
        endedAt,
      },
    });
  await flag(flagged.id, daysAgo(2), null);
  await flag(cleared.id, daysAgo(30), daysAgo(1));

  // Nothing happened to Ben's deal; an amount change after AS_OF is not this week's.
  await dealWithHistory("untouched", ben, 13_000, 90);
  const later = await dealWithHistory("changed_after_to", ben, 14_000, 90);
  await db.$transaction((tx) =>
    updateDealDetails(tx, { ...ctxAt(ben, -1) }, { dealId: later.id, version: later.version, amount: "99000" }),
  );

  // West: one deal pushed out, one untouched.
  const westPushed = await dealWithHistory("west_pushed", wes, 5_000, 30, { expectedCloseInDays: 3 });
  await db.$transaction((tx) =>
    updateDealDetails(tx, ctxAt(wes, 1), {
      dealId: westPushed.id,
      version: westPushed.version,
      expectedCloseDate: calendarDay(daysAgo(-30)),
    }),
  );
  await dealWithHistory("west_untouched", wes, 7_000, 30);
});

const dollars = (cents: number) => cents / 100;
const movementIds = (changes: PipelineChanges, kind: MovementKind) => changes.movements[kind].dealIds;

describe("the waterfall, each movement built once", () => {
  it("adds up exactly from last week's open value to this week's (hand-computed)", async () => {
    const changes = await getWhatChanged(org.people.centralManager, WINDOW);
    const total = changes.total;
    // Open at `from`: won, lost, to_prospecting, moved_back, moved_forward, pushed_out,
    // pulled_in, amount_up (90k), amount_down (100k), newly_flagged, cleared, untouched, changed_after_to (14k).
    expect(dollars(total.openAtFrom.valueCents)).toBe(
      20_000 +
        30_000 +
        40_000 +
        50_000 +
        60_000 +
        70_000 +
        80_000 +
        90_000 +
        100_000 +
        11_000 +
        12_000 +
        13_000 +
        14_000,
    );
    expect(total.openAtFrom.count).toBe(13);
    const values = Object.fromEntries(
      (["opened", "won", "lost", "to_prospecting", "amount_up", "amount_down"] as const).map((kind) => [
        kind,
        dollars(total.movements[kind].valueCents),
      ]),
    );
    expect(values).toEqual({
      opened: 10_000,
      won: 20_000,
      lost: 30_000,
      to_prospecting: 40_000,
      amount_up: 5_000,
      amount_down: 24_999.5,
    });
    // 590,000 + 10,000 − 20,000 − 30,000 − 40,000 + 5,000 − 24,999.50
    expect(dollars(total.openAtTo.valueCents)).toBe(490_000.5);
    expect(waterfallEnd(total)).toBe(total.openAtTo.valueCents);
    expect(total.openAtTo.count).toBe(11);
  });

  it("names exactly the deal built for each movement", async () => {
    const { total } = await getWhatChanged(org.people.centralManager, WINDOW);
    for (const kind of MOVEMENTS) {
      expect({ kind, ids: movementIds(total, kind) }).toEqual({ kind, ids: [ids[kind]] });
      expect(total.movements[kind].count).toBe(1);
    }
    expect(dollars(total.movements.pushed_out.valueCents)).toBe(70_000);
    expect(dollars(total.movements.newly_flagged.valueCents)).toBe(11_000);
  });

  it("adds up for every team and rep, and per rep sums to the team", async () => {
    const changes = await getWhatChanged(org.people.admin, WINDOW);
    expect(changes.teams.map((team) => team.teamName)).toEqual(["Central", "West"]);
    for (const scope of [changes.total, ...changes.teams.map((t) => t.changes), ...changes.reps.map((r) => r.changes)])
      expect(waterfallEnd(scope)).toBe(scope.openAtTo.valueCents);
    const central = changes.teams.find((team) => team.teamName === "Central");
    const centralReps = changes.reps.filter((rep) => rep.teamName === "Central");
    expect(centralReps.map((rep) => rep.repName)).toEqual(["Ana Rep", "Ben Rep"]);
    expect(centralReps.reduce((sum, rep) => sum + rep.changes.openAtTo.valueCents, 0)).toBe(
      central?.changes.openAtTo.valueCents,
    );
    expect(dollars(changes.total.openAtTo.valueCents)).toBe(490_000.5 + 12_000);
    expect(movementIds(changes.total, "pushed_out")).toEqual([ids.pushed_out, ids.west_pushed]);
  });

  it("reads a window further back from history: a week before, none of this week's changes happened", async () => {
    const earlier = await getWhatChanged(org.people.centralManager, lastWeek(WINDOW.from));
    expect(earlier.total.openAtTo).toEqual((await getWhatChanged(org.people.centralManager, WINDOW)).total.openAtFrom);
    expect(earlier.total.movements.won.count).toBe(0);
  });
});

describe("scope", () => {
  it("a rep sees only their own deals", async () => {
    const ben = await getWhatChanged(org.people.ben, WINDOW);
    expect(ben.reps.map((rep) => rep.repName)).toEqual(["Ben Rep"]);
    expect(dollars(ben.total.openAtFrom.valueCents)).toBe(13_000 + 14_000);
    expect(ben.total.movements.pushed_out.count).toBe(0);
    // Asking for someone else's pipeline reads as empty, naming nothing.
    const peek = await getWhatChanged(org.people.ben, { ...WINDOW, repId: org.people.ana.userId });
    expect(peek.reps).toEqual([]);
    expect(peek.total.openAtFrom.count).toBe(0);
  });

  it("a manager sees their team, not another team even when asking for it", async () => {
    const west = await getWhatChanged(org.people.westManager, WINDOW);
    expect(west.teams.map((team) => team.teamName)).toEqual(["West"]);
    expect(movementIds(west.total, "pushed_out")).toEqual([ids.west_pushed]);
    const peek = await getWhatChanged(org.people.westManager, { ...WINDOW, teamId: org.teams.central });
    expect(peek.total.openAtFrom.count).toBe(0);
    expect(peek.teams).toEqual([]);
  });

  it("narrows to one rep for the rep page", async () => {
    const ana = await getWhatChanged(org.people.centralManager, { ...WINDOW, repId: org.people.ana.userId });
    expect(ana.reps.map((rep) => rep.repName)).toEqual(["Ana Rep"]);
    expect(ana.total.movements.opened.dealIds).toEqual([ids.opened]);
  });

  it("lists the deals behind one number, scoped", async () => {
    const { deals } = await listChangedDeals(org.people.admin, { ...WINDOW, movement: "pushed_out" });
    expect(deals.map((deal) => deal.name)).toEqual(["pushed_out", "west_pushed"]);
    expect(deals.map((deal) => dollars(deal.valueCents))).toEqual([70_000, 5_000]);
    const west = await listChangedDeals(org.people.westManager, { ...WINDOW, movement: "pushed_out" });
    expect(west.deals.map((deal) => deal.name)).toEqual(["west_pushed"]);
  });

  it("refuses a window that ends before it starts, saying so", async () => {
    await expect(getWhatChanged(org.people.admin, { from: WINDOW.to, to: WINDOW.from })).rejects.toThrow(
      /start before its end/,
    );
  });
});

describe("meeting mode's window", () => {
  it("starts at the previous meeting's review (one with decisions), else 7 days back", async () => {
    const { centralManager } = org.people;
    const none = await getMeetingChangesWindow(centralManager, AS_OF, null);
    expect(none).toEqual({ ...WINDOW, previousMeeting: null });

    const review = (asOf: Date, teamId: string | null) =>
      db.review.create({ data: { asOf, at: asOf, teamId, settings: {}, totals: {} } });
    const meeting = await review(daysAgo(12), org.teams.central);
    await db.decision.create({
      data: {
        opportunityId: ids.lost as number,
        reviewId: meeting.id,
        action: "remove",
        reason: "stale",
        at: daysAgo(12),
      },
    });
    await review(daysAgo(9), org.teams.central); // a review nobody met over
    const westMeeting = await review(daysAgo(5), org.teams.west);
    await db.decision.create({
      data: {
        opportunityId: ids.west_pushed as number,
        reviewId: westMeeting.id,
        action: "remove",
        reason: "x",
        at: daysAgo(5),
      },
    });
    const current = await review(daysAgo(1), org.teams.central);
    await db.decision.create({
      data: {
        opportunityId: ids.moved_back as number,
        reviewId: current.id,
        action: "move_back",
        reason: "x",
        at: daysAgo(1),
      },
    });

    const since = await getMeetingChangesWindow(centralManager, AS_OF, current.id);
    expect(since).toEqual({
      from: daysAgo(12),
      to: AS_OF,
      previousMeeting: { reviewId: meeting.id, asOf: daysAgo(12) },
    });
  });
});
