// Regression tests for issue 11's findings 3, 6 and 9 on the real database
// (1, 2, 4, 5, 7 and 8 have their own: lib/auth/next-path.test.ts,
// tests/integration/sign-in-security.test.ts, settings.test.ts,
// audit-data.test.ts, lib/request-size.test.ts).
import { addDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { getAuditPage, parseAuditFilters } from "@/lib/audit/data";
import { recordAudit } from "@/lib/audit/mutations";
import { db } from "@/lib/db";
import * as dealActions from "@/lib/deals/actions";
import { getDealTimeline } from "@/lib/deals/deal-timeline";
import { dealIdFromPath } from "@/lib/deals/schema";
import { signInAs } from "../fixtures/sign-in";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;

beforeAll(async () => {
  org = await createSmallOrg();
});

const day = (date: Date) => date.toISOString().slice(0, 10);

describe("finding 3: deal names do not leak across the organisation", () => {
  it("answers another team's deal and a deal that does not exist alike, naming nothing", async () => {
    const secret = await createDeal(org, {
      owner: org.people.wes,
      amount: 90_000,
      openedDaysAgo: 50,
      stageId: org.stages.demo,
      name: "Polaris Energy Co. — Regional expansion",
    });
    const missing = { dealId: 3021_000, version: 0 };
    const theirs = { dealId: secret.id, version: secret.version };
    for (const actor of [org.people.ana, org.people.centralManager]) {
      await signInAs(actor);
      const answers: string[] = [];
      for (const target of [theirs, missing]) {
        for (const result of [
          await dealActions.moveDealBackAction({ ...target, reason: "probe" }),
          await dealActions.updateDealAction({ ...target, nextStep: "probe" }),
          await dealActions.logActivityAction({ dealId: target.dealId, type: "call", side: "seller", at: day(AS_OF) }),
          await dealActions.waitingOnBuyerAction({ ...target, reason: "probe", until: day(addDays(new Date(), 5)) }),
          await dealActions.bulkDealAction({ action: "remove", deals: [target], reason: "probe" }),
        ]) {
          expect(result.ok).toBe(false);
          if (!result.ok) answers.push(result.message);
        }
      }
      expect(new Set(answers).size, `${actor.name} got different answers: ${answers.join(" | ")}`).toBe(1);
      expect(answers[0]).not.toMatch(/Polaris|#\d/);
    }
    // An id larger than any deal can be is the same answer, not an error.
    const huge = await dealActions.updateDealAction({ dealId: "99999999999999999999", version: 0, nextStep: "x" });
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(`${huge.message} ${JSON.stringify(huge.fieldErrors)}`).not.toMatch(/unexpected error/);
  });
});

describe("finding 6: inputs that crashed pages", () => {
  it("reads the audit trail from 0000-01-01 and to 9999-12-31", async () => {
    await recordAudit(db, {
      actorId: org.people.admin.userId,
      action: "settings.rules.update",
      entityType: "settings",
      entityId: 1,
      after: { untouchedDays: 60 },
    });
    const { filters, ignored } = parseAuditFilters({ from: "0000-01-01", to: "9999-12-31" });
    expect(ignored).toEqual([]);
    const page = await getAuditPage(org.people.admin, filters);
    expect(page.total).toBeGreaterThanOrEqual(1);
    expect((await getAuditPage(org.people.admin, parseAuditFilters({ to: "9999-12-31" }).filters)).total).toBe(
      page.total,
    );
    expect((await getAuditPage(org.people.admin, parseAuditFilters({ from: "9999-12-31" }).filters)).total).toBe(0);
  });

  it("finds no deal for an id larger than any deal can be, instead of failing", async () => {
    expect(dealIdFromPath("99999999999999999999")).toBeNull();
    expect(dealIdFromPath("2147483648")).toBeNull();
    expect(dealIdFromPath("0")).toBeNull();
    const deal = await createDeal(org, { owner: org.people.ana, amount: 1_000, openedDaysAgo: 5 });
    const id = dealIdFromPath(String(deal.id));
    expect(id).toBe(deal.id);
    expect(await getDealTimeline(org.people.ana, id as number, AS_OF)).not.toBeNull();
  });
});

describe("finding 9: nobody parks a deal for half a year on their own word", () => {
  it("caps a rep's waiting on buyer at 30 days, points to a manager's keep, and shows who set each", async () => {
    const deal = await createDeal(org, {
      owner: org.people.ana,
      amount: 40_000,
      openedDaysAgo: 200,
      stageId: org.stages.demo,
    });
    const today = new Date();
    await signInAs(org.people.ana);
    const halfAYear = await dealActions.waitingOnBuyerAction({
      dealId: deal.id,
      version: deal.version,
      reason: "Call me next season",
      until: day(addDays(today, 180)),
    });
    expect(halfAYear).toMatchObject({ ok: false, message: expect.stringMatching(/at most 30 days.*ask your manager/) });
    expect(await db.waiver.count({ where: { opportunityId: deal.id } })).toBe(0);
    const thirtyOne = await dealActions.waitingOnBuyerAction({
      dealId: deal.id,
      version: deal.version,
      reason: "Back from holiday",
      until: day(addDays(today, 31)),
    });
    expect(thirtyOne.ok).toBe(false);
    const thirty = await dealActions.waitingOnBuyerAction({
      dealId: deal.id,
      version: deal.version,
      reason: "Back from holiday",
      until: day(addDays(today, 30)),
    });
    expect(thirty).toMatchObject({ ok: true });

    await signInAs(org.people.centralManager);
    const current = await db.opportunity.findUniqueOrThrow({ where: { id: deal.id } });
    const kept = await dealActions.keepDealWithWaiverAction({
      dealId: deal.id,
      version: current.version,
      reason: "Board signs in three weeks",
      until: day(addDays(today, 21)),
    });
    expect(kept).toMatchObject({ ok: true });
    const timeline = await getDealTimeline(org.people.centralManager, deal.id, new Date());
    expect(timeline?.waivers.map((waiver) => [waiver.kind, waiver.byName]).sort()).toEqual([
      ["manager_keep", "Carla Manager"],
      ["waiting_on_buyer", "Ana Rep"],
    ]);
  });

  it("follows the setting when an admin changes it", async () => {
    await db.orgSettings.update({ where: { id: 1 }, data: { rules: { maxWaitingOnBuyerDays: 10 } } });
    try {
      const deal = await createDeal(org, { owner: org.people.ben, amount: 5_000, openedDaysAgo: 20 });
      await signInAs(org.people.ben);
      const eleven = await dealActions.waitingOnBuyerAction({
        dealId: deal.id,
        version: deal.version,
        reason: "Buyer on leave",
        until: day(addDays(new Date(), 11)),
      });
      expect(eleven).toMatchObject({ ok: false, message: expect.stringMatching(/at most 10 days/) });
    } finally {
      await db.orgSettings.update({ where: { id: 1 }, data: { rules: {} } });
    }
  });
});
