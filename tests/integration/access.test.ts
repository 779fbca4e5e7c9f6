// Who may see and do what, through the real sign-in (better-auth sessions in
// the test database): signed-out calls, reps on other reps' deals, managers on
// other teams, reps calling manager/admin actions, deactivated people, and the
// sign-in rate limit. Every refusal must leave the database unchanged.
import { addDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import type { ActionResult } from "@/lib/action-result";
import { getAuth, SIGN_IN_ATTEMPTS } from "@/lib/auth/auth";
import { CLIENT_ADDRESS_HEADER } from "@/lib/auth/client-address.mjs";
import { DEAL_NOT_AVAILABLE } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import * as dealActions from "@/lib/deals/actions";
import { getDealTimeline } from "@/lib/deals/deal-timeline";
import { getMyDeals } from "@/lib/deals/my-deals";
import { getRepPipeline } from "@/lib/deals/rep-pipeline";
import { runReviewAction } from "@/lib/reviews/actions";
import { previewRuleSettingsAction, saveRuleSettingsAction } from "@/lib/settings/actions";
import { DEFAULT_RULE_SETTINGS } from "@/lib/rules/settings";
import { giveSignIn, signInAs, signOut, TEST_PASSWORD } from "../fixtures/sign-in";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
let anasDeal: { id: number; version: number };
let wesDeal: { id: number; version: number };

beforeAll(async () => {
  org = await createSmallOrg();
  anasDeal = await createDeal(org, {
    owner: org.people.ana,
    amount: 10_000,
    openedDaysAgo: 300,
    stageId: org.stages.demo,
  });
  wesDeal = await createDeal(org, {
    owner: org.people.wes,
    amount: 20_000,
    openedDaysAgo: 300,
    stageId: org.stages.demo,
  });
});

async function everything() {
  const [deals, history, decisions, waivers, activities, audits, reviews, settings] = await Promise.all([
    db.opportunity.findMany({ orderBy: { id: "asc" } }),
    db.stageChange.count(),
    db.decision.count(),
    db.waiver.count(),
    db.activity.count(),
    db.auditEvent.count(),
    db.review.count(),
    db.orgSettings.findUnique({ where: { id: 1 } }),
  ]);
  return { deals, history, decisions, waivers, activities, audits, reviews, settings };
}

const until = addDays(new Date(), 10).toISOString().slice(0, 10);

/** Every deal action, aimed at one deal. */
function dealAttempts(deal: { id: number; version: number }): [string, () => Promise<ActionResult<unknown>>][] {
  const base = { dealId: deal.id, version: deal.version };
  return [
    ["move back", () => dealActions.moveDealBackAction({ ...base, reason: "test move" })],
    ["return to prospecting", () => dealActions.returnDealToProspectingAction({ ...base, reason: "test prospect" })],
    ["remove", () => dealActions.removeDealFromPipelineAction({ ...base, reason: "test remove" })],
    ["keep with waiver", () => dealActions.keepDealWithWaiverAction({ ...base, reason: "test keep", until })],
    ["waiting on buyer", () => dealActions.waitingOnBuyerAction({ ...base, reason: "test wait", until })],
    [
      "log activity",
      () => dealActions.logActivityAction({ dealId: deal.id, type: "call", side: "seller", at: AS_OF.toISOString() }),
    ],
    ["update", () => dealActions.updateDealAction({ ...base, nextStep: "hijack" })],
    ["bulk remove", () => dealActions.bulkDealAction({ action: "remove", deals: [base], reason: "bulk test" })],
  ];
}

describe("signed out", () => {
  it("refuses every action with a sign-in message and writes nothing", async () => {
    signOut();
    const before = await everything();
    const attempts: [string, () => Promise<ActionResult<unknown>>][] = [
      ...dealAttempts(anasDeal),
      ["run review", () => runReviewAction()],
      ["save rule settings", () => saveRuleSettingsAction({ ...DEFAULT_RULE_SETTINGS, pastItsTimeMultiple: 3 })],
      ["preview rule settings", () => previewRuleSettingsAction({ ...DEFAULT_RULE_SETTINGS })],
    ];
    for (const [name, attempt] of attempts) {
      const result = await attempt();
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.message, name).toMatch(/signed out/);
    }
    expect(await everything()).toEqual(before);
  });
});

describe("a rep", () => {
  it("cannot act on another rep's deal, whatever the action", async () => {
    await signInAs(org.people.ben);
    const before = await everything();
    for (const [name, attempt] of dealAttempts(anasDeal)) {
      const result = await attempt();
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.message, name).toMatch(/does not exist or is not yours|Only managers/);
    }
    expect(await everything()).toEqual(before);
  });

  it("cannot read another rep's pipeline, deal page or My deals preview", async () => {
    const ben = org.people.ben;
    expect(await getRepPipeline(ben, org.people.ana.userId, AS_OF)).toBeNull();
    expect(await getDealTimeline(ben, anasDeal.id, AS_OF)).toBeNull();
    expect(await getMyDeals(ben, AS_OF, org.people.ana.userId)).toBeNull();
    // …but can read their own.
    expect(await getRepPipeline(ben, ben.userId, AS_OF)).not.toBeNull();
  });

  it("cannot run a review or change settings", async () => {
    await signInAs(org.people.ana);
    const before = await everything();
    const review = await runReviewAction();
    expect(review).toMatchObject({ ok: false, message: expect.stringMatching(/managers/) });
    const save = await saveRuleSettingsAction({ ...DEFAULT_RULE_SETTINGS, pastItsTimeMultiple: 3 });
    expect(save.ok).toBe(false);
    expect(await everything()).toEqual(before);
  });

  it("can act on their own deal", async () => {
    await signInAs(org.people.ana);
    const result = await dealActions.updateDealAction({
      dealId: anasDeal.id,
      version: anasDeal.version,
      nextStep: "Call the CFO",
    });
    expect(result).toMatchObject({ ok: true });
    anasDeal = await db.opportunity.findUniqueOrThrow({ where: { id: anasDeal.id } });
  });
});

describe("a manager", () => {
  it("cannot act on another team's deal", async () => {
    await signInAs(org.people.centralManager);
    const before = await everything();
    for (const [name, attempt] of dealAttempts(wesDeal)) {
      const result = await attempt();
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.message, name).toBe(DEAL_NOT_AVAILABLE);
    }
    expect(await everything()).toEqual(before);
    expect(await getDealTimeline(org.people.centralManager, wesDeal.id, AS_OF)).toBeNull();
    expect(await getRepPipeline(org.people.centralManager, org.people.wes.userId, AS_OF)).toBeNull();
  });
});

describe("deactivated people", () => {
  it("are signed out at once: their existing session no longer acts", async () => {
    await signInAs(org.people.ben);
    await db.user.update({ where: { id: org.people.ben.userId }, data: { active: false } });
    const result = await dealActions.logActivityAction({
      dealId: anasDeal.id,
      type: "call",
      side: "seller",
      at: AS_OF.toISOString(),
    });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/signed out/) });
    await db.user.update({ where: { id: org.people.ben.userId }, data: { active: true } });
  });
});

describe("sign-in rate limit", () => {
  const signInFrom = (address: string, email: string, password: string) =>
    getAuth().handler(
      new Request("http://localhost:3000/api/auth/sign-in/email", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [CLIENT_ADDRESS_HEADER]: address,
          origin: "http://localhost:3000",
        },
        body: JSON.stringify({ email, password }),
      }),
    );

  it(`refuses sign-in for a while after ${SIGN_IN_ATTEMPTS} attempts, even with the right password`, async () => {
    await giveSignIn(org.people.wes.userId);
    await giveSignIn(org.people.westManager.userId);
    const email = (await db.user.findUniqueOrThrow({ where: { id: org.people.wes.userId } })).email;
    for (let index = 0; index < SIGN_IN_ATTEMPTS; index++) {
      expect((await signInFrom("203.0.113.7", email, "wrong password 123")).status).toBe(401);
    }
    expect((await signInFrom("203.0.113.7", email, TEST_PASSWORD)).status).toBe(429);
    // Another address signing in to another account is not affected…
    const managerEmail = (await db.user.findUniqueOrThrow({ where: { id: org.people.westManager.userId } })).email;
    expect((await signInFrom("203.0.113.8", managerEmail, TEST_PASSWORD)).status).toBe(200);
    // …but the account that took the wrong passwords waits, from any address.
    expect((await signInFrom("203.0.113.9", email, TEST_PASSWORD)).status).toBe(429);
  });
});
