// Each action on a deal against a real database: its effect, its history rows,
// refusals that write nothing, optimistic concurrency, bulk all-or-nothing.
import { addDays, subDays } from "date-fns";
import { beforeEach, describe, expect, it } from "vitest";
import { ActionRefused } from "@/lib/action-result";
import { DEAL_NOT_AVAILABLE } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import { moveDealBackAction, updateDealAction, bulkDealAction } from "@/lib/deals/actions";
import {
  applyBulkAction,
  type ChangeContext,
  keepDealWithWaiver,
  logDealActivity,
  moveDealBack,
  recordWaitingOnBuyer,
  removeDealFromPipeline,
  returnDealToProspecting,
  updateDealDetails,
} from "@/lib/deals/mutations";
import { refreshRollups } from "@/lib/deals/history";
import { signInAs } from "../fixtures/sign-in";
import { AS_OF, createDeal, createSmallOrg, logActivities, type SmallOrg } from "../fixtures/small-org";
import { currentFlagWhere } from "@/lib/flags/current-flags";

let org: SmallOrg;
let orgReady: Promise<SmallOrg> | undefined;

beforeEach(async () => {
  orgReady ??= createSmallOrg().then(async (created) => {
    // Server actions act as the signed-in person: Central's manager.
    await signInAs(created.people.centralManager);
    return created;
  });
  org = await orgReady;
});

const NOW = new Date(AS_OF.getTime() + 3_600_000);
const ctxFor = (actor: Viewer): ChangeContext => ({ actor, now: NOW, asOf: AS_OF, maxKeepWaiverDays: 30 });
const day = (date: Date) => new Date(`${date.toISOString().slice(0, 10)}T00:00:00.000Z`);

/** Everything an action may write, to prove a refusal wrote nothing. */
async function historyCounts() {
  const [stageChanges, decisions, audits, waivers, activities, closeDates, amounts] = await Promise.all([
    db.stageChange.count(),
    db.decision.count(),
    db.auditEvent.count(),
    db.waiver.count(),
    db.activity.count(),
    db.closeDateChange.count(),
    db.amountChange.count(),
  ]);
  return { stageChanges, decisions, audits, waivers, activities, closeDates, amounts };
}

async function staleDealInProposal(owner: Viewer) {
  const deal = await createDeal(org, { owner, amount: 30_000, openedDaysAgo: 300, stageId: org.stages.proposal });
  await db.opportunity.update({ where: { id: deal.id }, data: { stageEnteredAt: subDays(AS_OF, 90) } });
  return db.opportunity.findUniqueOrThrow({ where: { id: deal.id } });
}

describe("move back a stage", () => {
  it("moves to the previous stage, restarts time in stage, keeps the age, and records it", async () => {
    const deal = await staleDealInProposal(org.people.ana);
    const result = await db.$transaction((tx) =>
      moveDealBack(tx, ctxFor(org.people.centralManager), {
        dealId: deal.id,
        version: deal.version,
        reason: "No champion",
      }),
    );
    expect(result).toMatchObject({ from: "Proposal", to: "Demo" });
    const after = await db.opportunity.findUniqueOrThrow({ where: { id: deal.id } });
    expect(after.stageId).toBe(org.stages.demo);
    // Time in stage restarts when the move enters the history: at the as-of
    // date, an hour before NOW here (historyAt); the audit keeps NOW.
    expect(after.stageEnteredAt).toEqual(AS_OF);
    expect(after.openedAt).toEqual(deal.openedAt);
    expect(after.version).toBe(deal.version + 1);
    const change = await db.stageChange.findFirstOrThrow({ where: { opportunityId: deal.id } });
    expect(change).toMatchObject({
      direction: "back",
      fromStageId: org.stages.proposal,
      toStageId: org.stages.demo,
      reason: "No champion",
    });
    expect(await db.decision.count({ where: { opportunityId: deal.id, action: "move_back" } })).toBe(1);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { entityId: String(deal.id), action: "deal.move_back" },
    });
    expect(audit.before).toEqual({ stage: "Proposal" });
    expect(audit.at).toEqual(NOW);
    expect(audit.actorId).toBe(org.people.centralManager.userId);
    // Re-evaluated: 300 days with no cycle data is past the default 90-day × 2 line.
    const current = await db.flag.findMany({ where: { opportunityId: deal.id, ...currentFlagWhere } });
    expect(current.map((flag) => flag.rule)).toContain("past-its-time");
    // Stuck-in-stage is gone: it just entered Demo.
    expect(current.map((flag) => flag.rule)).not.toContain("stuck-in-stage");
  });

  it("refuses a deal in the first stage and offers prospecting instead", async () => {
    const deal = await createDeal(org, { owner: org.people.ana, amount: 1000, openedDaysAgo: 10 });
    const before = await historyCounts();
    await expect(
      db.$transaction((tx) => moveDealBack(tx, ctxFor(org.people.ana), { dealId: deal.id, version: deal.version })),
    ).rejects.toThrow(/already in the first stage \(Discovery\)\. Return it to prospecting instead/);
    expect(await historyCounts()).toEqual(before);
  });
});

describe("return to prospecting and remove", () => {
  it("takes the deal out of the pipeline as a prospect and clears its current flags, keeping the old ones", async () => {
    const deal = await staleDealInProposal(org.people.ana);
    await db.$transaction((tx) =>
      moveDealBack(tx, ctxFor(org.people.ana), { dealId: deal.id, version: deal.version, reason: "re-qualify" }),
    );
    const flagsBefore = await db.flag.count({ where: { opportunityId: deal.id } });
    expect(flagsBefore).toBeGreaterThan(0);
    await db.$transaction((tx) =>
      returnDealToProspecting(tx, ctxFor(org.people.ana), {
        dealId: deal.id,
        version: deal.version + 1,
        reason: "Budget next year",
      }),
    );
    const after = await db.opportunity.findUniqueOrThrow({ where: { id: deal.id } });
    expect(after.status).toBe("prospect");
    expect(await db.flag.count({ where: { opportunityId: deal.id, ...currentFlagWhere } })).toBe(0);
    expect(await db.flag.count({ where: { opportunityId: deal.id } })).toBe(flagsBefore);
    const change = await db.stageChange.findFirstOrThrow({
      where: { opportunityId: deal.id, direction: "to_prospect" },
    });
    expect(change.reason).toBe("Budget next year");
  });

  it("removes a deal as lost with the default reason", async () => {
    const deal = await staleDealInProposal(org.people.ben);
    const result = await removeDealThroughAction(deal.id, deal.version);
    expect(result.ok).toBe(true);
    const after = await db.opportunity.findUniqueOrThrow({ where: { id: deal.id } });
    expect(after).toMatchObject({ status: "lost", lostReason: "stale — removed in review" });
    expect(after.closedAt).not.toBeNull();
  });
});

async function removeDealThroughAction(dealId: number, version: number) {
  const { removeDealFromPipelineAction } = await import("@/lib/deals/actions");
  const form = new FormData();
  form.set("dealId", String(dealId));
  form.set("version", String(version));
  form.set("reason", "");
  return removeDealFromPipelineAction(form);
}

describe("waivers", () => {
  it("a manager's keep suppresses every flag of the deal until the date", async () => {
    const deal = await staleDealInProposal(org.people.ana);
    await db.$transaction((tx) =>
      keepDealWithWaiver(tx, ctxFor(org.people.centralManager), {
        dealId: deal.id,
        version: deal.version,
        reason: "Board decision on the 20th",
        until: day(addDays(AS_OF, 14)),
      }),
    );
    expect(await db.flag.count({ where: { opportunityId: deal.id, ...currentFlagWhere } })).toBe(0);
    const waiver = await db.waiver.findFirstOrThrow({ where: { opportunityId: deal.id } });
    expect(waiver).toMatchObject({ kind: "manager_keep", reason: "Board decision on the 20th" });
  });

  it("refuses a keep longer than 30 days, and a keep granted by a rep", async () => {
    const deal = await staleDealInProposal(org.people.ana);
    const before = await historyCounts();
    const input = { dealId: deal.id, version: deal.version, reason: "Long story", until: day(addDays(AS_OF, 31)) };
    await expect(
      db.$transaction((tx) => keepDealWithWaiver(tx, ctxFor(org.people.centralManager), input)),
    ).rejects.toThrow(/at most 30 days/);
    await expect(
      db.$transaction((tx) =>
        keepDealWithWaiver(tx, ctxFor(org.people.ana), { ...input, until: day(addDays(AS_OF, 5)) }),
      ),
    ).rejects.toThrow(/Only managers and administrators can keep/);
    expect(await historyCounts()).toEqual(before);
  });

  it("waiting on the buyer silences the follow-up gap but not the deal's other flags", async () => {
    const deal = await createDeal(org, {
      owner: org.people.ana,
      amount: 9000,
      openedDaysAgo: 40,
      stageId: org.stages.demo,
    });
    await logActivities(deal.id, [
      { daysAgo: 25, side: "seller" },
      { daysAgo: 24, side: "buyer" },
    ]);
    await refreshRollups(db, [deal.id]);
    await db.$transaction((tx) =>
      recordWaitingOnBuyer(tx, ctxFor(org.people.ana), {
        dealId: deal.id,
        version: deal.version,
        reason: "CFO back from leave on the 1st",
        until: day(addDays(AS_OF, 20)),
      }),
    );
    const rules = (await db.flag.findMany({ where: { opportunityId: deal.id, ...currentFlagWhere } })).map(
      (f) => f.rule,
    );
    expect(rules).not.toContain("follow-up-gap");
  });
});

describe("log activity and update details", () => {
  it("a buyer activity updates the deal's last buyer activity", async () => {
    const deal = await createDeal(org, { owner: org.people.ben, amount: 500, openedDaysAgo: 5 });
    const at = subDays(NOW, 1);
    await db.$transaction((tx) =>
      logDealActivity(tx, ctxFor(org.people.ben), {
        dealId: deal.id,
        type: "call",
        side: "buyer",
        at,
        summary: "They called back",
      }),
    );
    const after = await db.opportunity.findUniqueOrThrow({ where: { id: deal.id } });
    expect(after.lastBuyerActivityAt).toEqual(at);
    expect(after.lastSellerActivityAt).toBeNull();
  });

  it("a later close date counts as a push; an amount edit is kept", async () => {
    const deal = await createDeal(org, {
      owner: org.people.ben,
      amount: 500,
      openedDaysAgo: 5,
      expectedCloseInDays: 10,
    });
    const result = await db.$transaction((tx) =>
      updateDealDetails(tx, ctxFor(org.people.ben), {
        dealId: deal.id,
        version: deal.version,
        expectedCloseDate: day(addDays(AS_OF, 40)),
        amount: "750.00",
        nextStep: "Send the order form",
      }),
    );
    expect(result.pushed).toBe(true);
    const after = await db.opportunity.findUniqueOrThrow({ where: { id: deal.id } });
    expect(after.closeDatePushCount).toBe(1);
    expect(after.amount.toFixed(2)).toBe("750.00");
    expect(after.nextStep).toBe("Send the order form");
    expect(await db.closeDateChange.count({ where: { opportunityId: deal.id, isPush: true } })).toBe(1);
    const amount = await db.amountChange.findFirstOrThrow({ where: { opportunityId: deal.id } });
    expect(amount.fromAmount?.toFixed(2)).toBe("500.00");
  });

  it("refuses a change made from a stale form (someone else saved first)", async () => {
    const deal = await createDeal(org, { owner: org.people.ben, amount: 500, openedDaysAgo: 5 });
    await db.$transaction((tx) =>
      updateDealDetails(tx, ctxFor(org.people.ben), {
        dealId: deal.id,
        version: deal.version,
        nextStep: "Call Monday",
      }),
    );
    const before = await historyCounts();
    await expect(
      db.$transaction((tx) =>
        updateDealDetails(tx, ctxFor(org.people.centralManager), {
          dealId: deal.id,
          version: deal.version,
          nextStep: "Drop it",
        }),
      ),
    ).rejects.toThrow(/changed by someone else since you opened it/);
    expect(await historyCounts()).toEqual(before);
    expect((await db.opportunity.findUniqueOrThrow({ where: { id: deal.id } })).nextStep).toBe("Call Monday");
  });
});

describe("permissions", () => {
  it("refuses every action on another rep's deal, and a manager acting on another team's deal", async () => {
    const deal = await staleDealInProposal(org.people.ana);
    const before = await historyCounts();
    const version = deal.version;
    const attempts: [Viewer, (ctx: ChangeContext) => Promise<unknown>][] = [
      [org.people.ben, (ctx) => db.$transaction((tx) => moveDealBack(tx, ctx, { dealId: deal.id, version }))],
      [
        org.people.wes,
        (ctx) =>
          db.$transaction((tx) => returnDealToProspecting(tx, ctx, { dealId: deal.id, version, reason: "mine now" })),
      ],
      [
        org.people.wes,
        (ctx) => db.$transaction((tx) => removeDealFromPipeline(tx, ctx, { dealId: deal.id, version, reason: "nope" })),
      ],
      [
        org.people.ben,
        (ctx) =>
          db.$transaction((tx) =>
            logDealActivity(tx, ctx, { dealId: deal.id, type: "call", side: "seller", at: AS_OF }),
          ),
      ],
      [
        org.people.ben,
        (ctx) => db.$transaction((tx) => updateDealDetails(tx, ctx, { dealId: deal.id, version, nextStep: "x" })),
      ],
      [
        org.people.ben,
        (ctx) =>
          db.$transaction((tx) =>
            recordWaitingOnBuyer(tx, ctx, { dealId: deal.id, version, reason: "wait", until: day(addDays(AS_OF, 5)) }),
          ),
      ],
      [
        org.people.westManager,
        (ctx) =>
          db.$transaction((tx) =>
            keepDealWithWaiver(tx, ctx, { dealId: deal.id, version, reason: "keep it", until: day(addDays(AS_OF, 5)) }),
          ),
      ],
      [org.people.westManager, (ctx) => db.$transaction((tx) => moveDealBack(tx, ctx, { dealId: deal.id, version }))],
    ];
    for (const [actor, attempt] of attempts) {
      const error = await attempt(ctxFor(actor)).catch((caught: unknown) => caught);
      expect(error, `${actor.name} should be refused`).toBeInstanceOf(ActionRefused);
      expect((error as ActionRefused).message).toBe(DEAL_NOT_AVAILABLE);
    }
    expect(await historyCounts()).toEqual(before);
  });

  it("bulk actions are all-or-nothing when one deal is not allowed", async () => {
    const mine = await Promise.all([staleDealInProposal(org.people.ana), staleDealInProposal(org.people.ben)]);
    const theirs = await staleDealInProposal(org.people.wes);
    const before = await historyCounts();
    const deals = [...mine, theirs].map((deal) => ({ dealId: deal.id, version: deal.version }));
    await expect(
      db.$transaction((tx) =>
        applyBulkAction(tx, ctxFor(org.people.centralManager), { action: "remove", deals, reason: "stale" }),
      ),
    ).rejects.toThrow(DEAL_NOT_AVAILABLE);
    expect(await historyCounts()).toEqual(before);
    const statuses = await db.opportunity.findMany({
      where: { id: { in: deals.map((d) => d.dealId) } },
      select: { status: true },
    });
    expect(statuses.every((row) => row.status === "open")).toBe(true);
  });

  it("bulk return to prospecting changes every selected deal at once", async () => {
    const deals = await Promise.all([1, 2, 3].map(() => staleDealInProposal(org.people.ben)));
    const form = new FormData();
    form.set("action", "return_to_prospecting");
    form.set("reason", "Cleaning up after the review");
    for (const deal of deals) form.append("deal", `${deal.id}:${deal.version}`);
    const result = await bulkDealAction(form);
    expect(result).toMatchObject({ ok: true, message: "3 deals updated." });
    const after = await db.opportunity.findMany({ where: { id: { in: deals.map((d) => d.id) } } });
    expect(after.map((deal) => deal.status)).toEqual(["prospect", "prospect", "prospect"]);
  });
});

describe("bad input", () => {
  it("returns field errors and writes nothing", async () => {
    const before = await historyCounts();
    const form = new FormData();
    form.set("dealId", "not-a-number");
    const result = await moveDealBackAction(form);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/Some fields need attention/);
    expect(Object.keys(result.fieldErrors ?? {})).toEqual(expect.arrayContaining(["dealId", "version"]));

    const deal = await createDeal(org, { owner: org.people.ana, amount: 100, openedDaysAgo: 3 });
    const bad = await updateDealAction({
      dealId: deal.id,
      version: deal.version,
      amount: "-50",
      expectedCloseDate: "2026-02-30",
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.fieldErrors?.amount?.[0]).toMatch(/no negative amounts/);
    expect(bad.fieldErrors?.expectedCloseDate?.[0]).toMatch(/not a real date/);
    expect(await historyCounts()).toEqual(before);
  });
});
