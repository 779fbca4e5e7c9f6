// Team-level thresholds against a real database (SPEC "The rules" and
// "Permissions"): a team's overrides change that team's verdicts and not
// another's, in a review, in the re-evaluation after an action and in the
// live preview, and each explanation names the level; a manager sets only
// their own team's overrides (never the organisation defaults), audited.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActionRefused } from "@/lib/action-result";
import { db, getConnection } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { getMeetingPageData } from "@/lib/meeting/page-data";
import { currentFlagWhere } from "@/lib/flags/current-flags";
import { runReview } from "@/lib/reviews/mutations";
import { reevaluateDeals } from "@/lib/reviews/reevaluate";
import { keepDealWithWaiver, recordWaitingOnBuyer } from "@/lib/deals/mutations";
import { DEFAULT_RULE_SETTINGS, type TeamOverrides } from "@/lib/rules/settings";
import { saveRuleSettingsAction, saveTeamThresholdsAction } from "@/lib/settings/actions";
import { getSettingsPage, previewTeamThresholds } from "@/lib/settings/data";
import { saveTeamRuleOverrides } from "@/lib/settings/mutations";
import { signInAs } from "../fixtures/sign-in";
import { addDays } from "date-fns";
import { AS_OF, createDeal, createSmallOrg, logActivities, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
const deals: { central: number; west: number } = { central: 0, west: 0 };

beforeAll(async () => {
  org = await createSmallOrg();
  // One deal per team, both nobody touched for 100 days: untouched at the organisation's
  // 90 days, not at 120. Both sides engaged 100 days ago, nothing since.
  for (const [team, owner] of [
    ["central", org.people.ana],
    ["west", org.people.wes],
  ] as const) {
    const deal = await createDeal(org, { owner, amount: 10_000, openedDaysAgo: 110, name: `Quiet ${team} deal` });
    await logActivities(deal.id, [
      { daysAgo: 100, side: "seller" },
      { daysAgo: 100, side: "buyer", type: "meeting" },
    ]);
    deals[team] = deal.id;
  }
  await refreshRollups(db, [deals.central, deals.west]);
});

beforeEach(async () => {
  // Every test starts from organisation defaults only.
  await db.teamRuleSettings.deleteMany();
  await db.orgSettings.update({ where: { id: 1 }, data: { rules: {} } });
});

async function setOverrides(teamId: string, overrides: TeamOverrides) {
  await db.$transaction((tx) =>
    saveTeamRuleOverrides(tx, { actor: org.people.admin, now: AS_OF }, { teamId, overrides }),
  );
}

async function review() {
  await runReview(getConnection().sql, {
    actorId: org.people.admin.userId,
    teamId: null,
    asOf: AS_OF,
    now: AS_OF,
    fromHistory: false,
  });
}

async function untouchedFlag(dealId: number) {
  return db.flag.findFirst({
    where: { ...currentFlagWhere, opportunityId: dealId, rule: "untouched" },
    select: { explanation: true },
  });
}

describe("a team's overrides", () => {
  it("change that team's verdicts in a review and not another team's, and the explanation names the level", async () => {
    await review();
    expect((await untouchedFlag(deals.central))?.explanation).toBe(
      "No activity from either side for 100 days (limit 90 days, organisation default).",
    );
    expect(await untouchedFlag(deals.west)).not.toBeNull();

    await setOverrides(org.teams.central, { untouchedDays: 120 });
    await review();
    expect(await untouchedFlag(deals.central)).toBeNull();
    expect((await untouchedFlag(deals.west))?.explanation).toBe(
      "No activity from either side for 100 days (limit 90 days, organisation default).",
    );

    // A stricter team setting flags, and says it was the team's.
    await setOverrides(org.teams.central, { untouchedDays: 30 });
    await review();
    expect((await untouchedFlag(deals.central))?.explanation).toBe(
      "No activity from either side for 100 days (limit 30 days, Central team's setting).",
    );
  });

  it("apply when a deal is evaluated again after an action", async () => {
    await review();
    await setOverrides(org.teams.west, { untouchedDays: 30 });
    await reevaluateDeals(db, [deals.west, deals.central], AS_OF, AS_OF);
    expect((await untouchedFlag(deals.west))?.explanation).toMatch(/\(limit 30 days, West team's setting\)\.$/);
    expect((await untouchedFlag(deals.central))?.explanation).toMatch(/\(limit 90 days, organisation default\)\.$/);
  });

  it("follow the organisation default again once reset", async () => {
    await setOverrides(org.teams.central, { untouchedDays: 120, followUpGapDays: 200 });
    await setOverrides(org.teams.central, { followUpGapDays: 200 }); // untouchedDays back to the default
    const stored = await db.teamRuleSettings.findUnique({ where: { teamId: org.teams.central } });
    expect(stored?.overrides).toEqual({ followUpGapDays: 200 });
    await review();
    expect((await untouchedFlag(deals.central))?.explanation).toMatch(/organisation default/);
  });
});

describe("the live preview of a team's form", () => {
  it("counts the team's deals with the candidate overrides next to the saved ones, naming the team", async () => {
    const flagsBefore = await db.flag.count();
    const preview = await previewTeamThresholds(
      org.people.centralManager,
      org.teams.central,
      { untouchedDays: 120 },
      { now: AS_OF },
    );
    expect(preview.scope).toBe("the Central team");
    expect(preview.saved.byRule.untouched).toEqual({ count: 1, valueCents: 10_000_00 });
    expect(preview.candidate.byRule.untouched).toEqual({ count: 0, valueCents: 0 });
    expect(preview.candidateSettings.untouchedDays).toBe(120);
    expect(preview.savedSettings.untouchedDays).toBe(DEFAULT_RULE_SETTINGS.untouchedDays);
    expect(await db.flag.count()).toBe(flagsBefore); // nothing written
  });

  it("is refused for another team's manager and for reps", async () => {
    await expect(previewTeamThresholds(org.people.westManager, org.teams.central, {}, { now: AS_OF })).rejects.toThrow(
      ActionRefused,
    );
    await expect(previewTeamThresholds(org.people.ana, org.teams.central, {}, { now: AS_OF })).rejects.toThrow(
      ActionRefused,
    );
  });
});

describe("who may set a team's thresholds", () => {
  it("lets a manager set their own team's overrides, audited before → after", async () => {
    await signInAs(org.people.centralManager);
    const result = await saveTeamThresholdsAction({
      teamId: org.teams.central,
      overrides: { untouchedDays: "120", followUpGapDays: "" },
    });
    expect(result).toMatchObject({
      ok: true,
      message: expect.stringMatching(/Saved 1 threshold for the Central team/),
    });
    const stored = await db.teamRuleSettings.findUnique({ where: { teamId: org.teams.central } });
    expect(stored?.overrides).toEqual({ untouchedDays: 120 });
    const audit = await db.auditEvent.findFirst({
      where: { action: "settings.team-rules.update", entityId: org.teams.central },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({
      actorId: org.people.centralManager.userId,
      entityType: "team",
      before: { untouchedDays: null },
      after: { untouchedDays: 120 },
    });
  });

  it("refuses a manager another team's overrides, and writes nothing", async () => {
    await signInAs(org.people.centralManager);
    const audits = await db.auditEvent.count();
    const result = await saveTeamThresholdsAction({ teamId: org.teams.west, overrides: { untouchedDays: 120 } });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/your own team only/) });
    expect(await db.teamRuleSettings.findUnique({ where: { teamId: org.teams.west } })).toBeNull();
    expect(await db.auditEvent.count()).toBe(audits);
  });

  it("refuses a manager the organisation defaults", async () => {
    await signInAs(org.people.centralManager);
    const result = await saveRuleSettingsAction({ ...DEFAULT_RULE_SETTINGS, untouchedDays: 120 });
    expect(result.ok).toBe(false);
    const row = await db.orgSettings.findUnique({ where: { id: 1 }, select: { rules: true } });
    expect(row?.rules).toEqual({});
  });

  it("refuses reps, and lets an admin set any team's", async () => {
    await signInAs(org.people.ana);
    expect((await saveTeamThresholdsAction({ teamId: org.teams.central, overrides: { untouchedDays: 120 } })).ok).toBe(
      false,
    );
    await signInAs(org.people.admin);
    expect((await saveTeamThresholdsAction({ teamId: org.teams.west, overrides: { untouchedDays: 45 } })).ok).toBe(
      true,
    );
  });

  it("says which name is no threshold, and bad values field by field", async () => {
    await signInAs(org.people.admin);
    const unknown = await saveTeamThresholdsAction({ teamId: org.teams.west, overrides: { lookbakDays: 30 } });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.fieldErrors?.overrides?.[0]).toBe("lookbakDays is not a threshold a team can set.");
    const bad = await saveTeamThresholdsAction({ teamId: org.teams.west, overrides: { untouchedDays: "0" } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.fieldErrors ?? {})).toEqual(["overrides.untouchedDays"]);
  });

  it("shows each viewer the teams they may see, editable only where they may edit", async () => {
    await setOverrides(org.teams.west, { untouchedDays: 45 });
    const forAdmin = await getSettingsPage(org.people.admin, { asOf: AS_OF });
    expect(forAdmin.teamThresholds.map((t) => [t.teamName, t.canEdit, t.overrides])).toEqual([
      ["Central", true, {}],
      ["West", true, { untouchedDays: 45 }],
    ]);
    const forManager = await getSettingsPage(org.people.westManager, { asOf: AS_OF });
    expect(forManager.teamThresholds.map((t) => [t.teamName, t.canEdit])).toEqual([["West", true]]);
    const forRep = await getSettingsPage(org.people.wes, { asOf: AS_OF });
    expect(forRep.teamThresholds.map((t) => [t.teamName, t.canEdit, t.overrides])).toEqual([
      ["West", false, { untouchedDays: 45 }],
    ]);
  });
});

async function pastItsTimeFlag(dealId: number) {
  return db.flag.findFirst({
    where: { ...currentFlagWhere, opportunityId: dealId, rule: "past-its-time" },
    select: { explanation: true, metrics: true },
  });
}

describe("a team's own cycle settings", () => {
  it("judge the team's deals against its own default cycle, named in the explanation", async () => {
    // No won deals at all: the 110-day-old deals meet the organisation's 90-day default (1.2×).
    await review();
    expect(await pastItsTimeFlag(deals.central)).toBeNull();
    await setOverrides(org.teams.central, { defaultCycleDays: 50 });
    await review();
    expect((await pastItsTimeFlag(deals.central))?.explanation).toMatch(
      /^Open 110 days — 2\.2× the Central team's 50-day default cycle \(team setting; no won deals to measure\), over the 2\.0× limit \(organisation default\);/,
    );
    expect(await pastItsTimeFlag(deals.west)).toBeNull();
  });

  it("measure the team's cycle over its own lookback and statistic: a different cycle and verdict", async () => {
    // Central won ten 40-day deals lately and ten 300-day deals 200 days ago.
    const won: number[] = [];
    for (let index = 0; index < 20; index++) {
      const recent = index < 10;
      const closedDaysAgo = recent ? 10 + index : 200;
      const deal = await createDeal(org, {
        owner: org.people.ben,
        amount: 1000,
        status: "won",
        openedDaysAgo: closedDaysAgo + (recent ? 40 : 300),
        closedDaysAgo,
        stageId: org.stages.negotiation,
      });
      won.push(deal.id);
    }
    await db.opportunity.updateMany({ where: { id: { in: won } }, data: { closedTeamId: org.teams.central } });
    try {
      // Over the organisation's 365 days: a 170-day mean cycle; 110 days is far from past it.
      await review();
      expect(await pastItsTimeFlag(deals.central)).toBeNull();

      await setOverrides(org.teams.central, { lookbackDays: 100 });
      await review();
      const flagged = await pastItsTimeFlag(deals.central);
      expect(flagged?.explanation).toContain(
        "2.8× the Central team's 40-day average cycle (10 won deals; team setting: won in the last 100 days)",
      );
      expect(flagged?.metrics).toMatchObject({ averageCycleDays: 40 });
      // West has no won deals: the organisation's cycle, measured with the organisation's 365 days.
      expect(await pastItsTimeFlag(deals.west)).toBeNull();

      // The median of the twenty is (40 + 300) / 2 = 170 as well; with a 5-deal minimum and 100 days it is 40 again.
      await setOverrides(org.teams.central, { cycleStatistic: "median", minSample: 5, lookbackDays: 100 });
      await review();
      expect((await pastItsTimeFlag(deals.central))?.explanation).toContain(
        "the Central team's 40-day median cycle (10 won deals; team setting: median, won in the last 100 days, at least 5 won deals)",
      );
    } finally {
      await db.opportunity.deleteMany({ where: { id: { in: won } } });
    }
  });
});

describe("a team's own waiver limits", () => {
  const ctx = (actor: SmallOrg["people"]["admin"]) => ({
    actor,
    now: AS_OF,
    asOf: AS_OF,
    maxKeepWaiverDays: 30,
    maxWaitingOnBuyerDays: 30,
  });

  it("refuse a keep longer than the deal's team allows, saying whose limit it is", async () => {
    await setOverrides(org.teams.central, { maxKeepWaiverDays: 10, maxWaitingOnBuyerDays: 7 });
    const deal = await db.opportunity.findUniqueOrThrow({ where: { id: deals.central } });
    const waivers = await db.waiver.count();
    await expect(
      db.$transaction((tx) =>
        keepDealWithWaiver(tx, ctx(org.people.centralManager), {
          dealId: deal.id,
          version: deal.version,
          reason: "Budget signed next month",
          until: addDays(AS_OF, 20),
          reviewId: undefined,
        }),
      ),
    ).rejects.toThrow("A waiver can run at most 10 days (Central team's setting): pick a date up to 2026-06-25.");
    await expect(
      db.$transaction((tx) =>
        recordWaitingOnBuyer(tx, ctx(org.people.ana), {
          dealId: deal.id,
          version: deal.version,
          reason: "Buyer on holiday",
          until: addDays(AS_OF, 14),
        }),
      ),
    ).rejects.toThrow(
      /^Waiting on the buyer can run at most 7 days \(Central team's setting\): pick a day after today and up to 2026-06-22\./,
    );
    expect(await db.waiver.count()).toBe(waivers);
  });

  it("refuse by the organisation's limit for a team without its own, saying nothing of a team", async () => {
    await setOverrides(org.teams.central, { maxKeepWaiverDays: 60 });
    const deal = await db.opportunity.findUniqueOrThrow({ where: { id: deals.west } });
    await expect(
      db.$transaction((tx) =>
        keepDealWithWaiver(tx, ctx(org.people.westManager), {
          dealId: deal.id,
          version: deal.version,
          reason: "Budget signed next quarter",
          until: addDays(AS_OF, 45),
          reviewId: undefined,
        }),
      ),
    ).rejects.toThrow("A waiver can run at most 30 days: pick a date up to 2026-07-15.");
  });

  it("offer in meeting mode the keep limit of the meeting's team", async () => {
    await setOverrides(org.teams.central, { maxKeepWaiverDays: 10 });
    const orgContext = { asOf: AS_OF, currency: "USD", rules: {} };
    const keepLimit = async (viewer: SmallOrg["people"]["admin"], teamId: string | null) => {
      const data = await getMeetingPageData(viewer, orgContext, teamId);
      if (data.kind !== "meeting") throw new Error("expected a team's meeting, got the team chooser");
      return data.maxKeepWaiverDays;
    };
    expect(await keepLimit(org.people.centralManager, null)).toBe(10);
    expect(await keepLimit(org.people.admin, org.teams.central)).toBe(10);
    expect(await keepLimit(org.people.westManager, null)).toBe(DEFAULT_RULE_SETTINGS.maxKeepWaiverDays);
    expect(await keepLimit(org.people.admin, org.teams.west)).toBe(DEFAULT_RULE_SETTINGS.maxKeepWaiverDays);
  });
});

describe("saving a team's cycle settings", () => {
  it("lets the team's manager set the statistic and lookback, audited before → after", async () => {
    await signInAs(org.people.centralManager);
    const result = await saveTeamThresholdsAction({
      teamId: org.teams.central,
      overrides: { cycleStatistic: "median", lookbackDays: "180", defaultCycleDays: "" },
    });
    expect(result.ok).toBe(true);
    const stored = await db.teamRuleSettings.findUnique({ where: { teamId: org.teams.central } });
    expect(stored?.overrides).toEqual({ cycleStatistic: "median", lookbackDays: 180 });
    const audit = await db.auditEvent.findFirst({
      where: { action: "settings.team-rules.update", entityId: org.teams.central },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({
      actorId: org.people.centralManager.userId,
      before: { cycleStatistic: null, lookbackDays: null },
      after: { cycleStatistic: "median", lookbackDays: 180 },
    });
  });

  it("refuses another team's manager a cycle setting", async () => {
    await signInAs(org.people.westManager);
    const result = await saveTeamThresholdsAction({ teamId: org.teams.central, overrides: { lookbackDays: 90 } });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/your own team only/) });
    expect(await db.teamRuleSettings.findUnique({ where: { teamId: org.teams.central } })).toBeNull();
  });
});
