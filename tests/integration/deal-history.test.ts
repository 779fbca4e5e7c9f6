import { subDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { recordCloseDateEdits, recordStageMoves, refreshRollups } from "@/lib/deals/history";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
beforeAll(async () => {
  org = await createSmallOrg();
});

describe("refreshRollups", () => {
  it("derives last activity per side, last forward move, pushes and stage entry from history", async () => {
    const deal = await createDeal(org, { owner: org.people.ana, amount: 5000, openedDaysAgo: 200 });
    const other = await createDeal(org, { owner: org.people.ana, amount: 5000, openedDaysAgo: 10 });
    const at = (daysAgo: number) => subDays(AS_OF, daysAgo);
    await db.activity.createMany({
      data: [
        { opportunityId: deal.id, type: "email", side: "seller", at: at(5) },
        { opportunityId: deal.id, type: "call", side: "buyer", at: at(40) },
        { opportunityId: deal.id, type: "meeting", side: "buyer", at: at(60) },
      ],
    });
    const { discovery, demo, proposal } = org.stages;
    await recordStageMoves(db, [
      {
        opportunityId: deal.id,
        fromStageId: discovery,
        toStageId: demo,
        fromStatus: "open",
        toStatus: "open",
        direction: "forward",
        at: at(150),
        byId: null,
      },
      {
        opportunityId: deal.id,
        fromStageId: demo,
        toStageId: proposal,
        fromStatus: "open",
        toStatus: "open",
        direction: "forward",
        at: at(100),
        byId: null,
      },
      {
        opportunityId: deal.id,
        fromStageId: proposal,
        toStageId: demo,
        fromStatus: "open",
        toStatus: "open",
        direction: "back",
        at: at(20),
        byId: null,
      },
    ]);
    await db.opportunity.update({ where: { id: deal.id }, data: { stageId: demo } });
    await recordCloseDateEdits(db, [
      { opportunityId: deal.id, fromDate: null, toDate: at(-30), at: at(100), byId: null },
      { opportunityId: deal.id, fromDate: at(-30), toDate: at(-60), at: at(50), byId: null },
      { opportunityId: deal.id, fromDate: at(-60), toDate: at(-10), at: at(30), byId: null },
      { opportunityId: deal.id, fromDate: at(-10), toDate: at(-90), at: at(10), byId: null },
    ]);

    await refreshRollups(db, [deal.id, other.id]);

    const fresh = await db.opportunity.findUniqueOrThrow({ where: { id: deal.id } });
    expect(fresh.lastActivityAt).toEqual(at(5));
    expect(fresh.lastSellerActivityAt).toEqual(at(5));
    expect(fresh.lastBuyerActivityAt).toEqual(at(40));
    // The move back into Demo 20 days ago is when it entered its stage, but it is not progress.
    expect(fresh.stageEnteredAt).toEqual(at(20));
    expect(fresh.lastForwardMoveAt).toEqual(at(100));
    // null → date is a first setting, an earlier date is a pull-in: two pushes.
    expect(fresh.closeDatePushCount).toBe(2);

    const untouched = await db.opportunity.findUniqueOrThrow({ where: { id: other.id } });
    expect(untouched).toMatchObject({ lastActivityAt: null, lastBuyerActivityAt: null, closeDatePushCount: 0 });
    // No stage change records when it entered its stage: unknown, not invented from openedAt.
    expect(untouched.stageEnteredAt).toBeNull();
  });
});
