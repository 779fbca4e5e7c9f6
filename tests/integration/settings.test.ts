// The settings screen against a real database: saving validates, audits and
// refuses reps; the live preview counts what a real review with the same
// settings flags, and a lower multiple flags more deals.
import { subDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { ActionRefused } from "@/lib/action-result";
import { db, getConnection } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { runReview } from "@/lib/reviews/mutations";
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from "@/lib/rules/settings";
import {
  previewRuleSettingsAction,
  saveQuotasAction,
  saveRuleSettingsAction,
  saveStagesAction,
  setAsOfAction,
} from "@/lib/settings/actions";
import { getSettingsPage, previewRuleSettings } from "@/lib/settings/data";
import { saveQuotas, saveRuleSettings, saveStages, setFixedAsOf } from "@/lib/settings/mutations";
import { signInAs } from "../fixtures/sign-in";
import { AS_OF, createDeal, createSmallOrg, logActivities, type SmallOrg } from "../fixtures/small-org";
import { currentFlagWhere } from "@/lib/flags/current-flags";

let org: SmallOrg;

beforeAll(async () => {
  org = await createSmallOrg();
  // Server actions act as the signed-in person: Central's manager.
  await signInAs(org.people.centralManager);
  const { ana, ben, wes } = org.people;
  // No won deals: every deal is measured against the default 90-day cycle (2× = 180 days, 1.5× = 135).
  // Active deals (both sides engaged recently, never moved forward), so only their age can flag them.
  const ages = [
    { owner: ana, days: 150, amount: 15_000 },
    { owner: ana, days: 170, amount: 17_000 },
    { owner: ben, days: 200, amount: 20_000 },
    { owner: ben, days: 30, amount: 3_000 },
    { owner: wes, days: 160, amount: 16_000 },
  ];
  const ids: number[] = [];
  for (const { owner, days, amount } of ages) {
    const deal = await createDeal(org, { owner, amount, openedDaysAgo: days });
    await logActivities(deal.id, [
      { daysAgo: 3, side: "seller" },
      { daysAgo: 4, side: "buyer", type: "meeting" },
    ]);
    ids.push(deal.id);
  }
  // An untouched deal: flagged whatever the multiple.
  ids.push((await createDeal(org, { owner: ana, amount: 9_000, openedDaysAgo: 120, name: "Forgotten" })).id);
  await refreshRollups(db, ids);
});

const withMultiple = (pastItsTimeMultiple: number): RuleSettings => ({ ...DEFAULT_RULE_SETTINGS, pastItsTimeMultiple });

async function auditCount() {
  return db.auditEvent.count();
}

describe("the live preview", () => {
  it("flags more deals at a lower past-its-time multiple, before anything is saved", async () => {
    const [reviewsBefore, flagsBefore] = [await db.review.count(), await db.flag.count()];
    const preview = await previewRuleSettings(org.people.centralManager, withMultiple(1.5), { now: AS_OF });
    // Central: 150 and 170 days are past 1.5× (135) but not 2× (180); 200 is past both.
    expect(preview.saved.byRule["past-its-time"]).toEqual({ count: 1, valueCents: 20_000_00 });
    expect(preview.candidate.byRule["past-its-time"]).toEqual({ count: 3, valueCents: 52_000_00 });
    expect(preview.candidate.flaggedDeals).toBeGreaterThan(preview.saved.flaggedDeals);
    expect(preview.candidate.flaggedValueCents - preview.saved.flaggedValueCents).toBe(32_000_00);
    expect(preview.scope).toBe("the Central team");
    // Nothing stored.
    expect(await db.review.count()).toBe(reviewsBefore);
    expect(await db.flag.count()).toBe(flagsBefore);
  });

  it("counts what a real review with the same settings flags: by hand, and from the flags the review stored", async () => {
    const candidate = { ...withMultiple(1.5), untouchedDays: 60 };
    const preview = await previewRuleSettings(org.people.centralManager, candidate, { now: AS_OF });
    const orgPreview = await previewRuleSettings(org.people.admin, candidate, { now: AS_OF });

    // By hand: 1.5 × the default 90-day cycle = 135 days. Central's 150, 170 and 200-day deals are past it
    // (15,000 + 17,000 + 20,000); West adds its 160-day deal (16,000). "Forgotten" (120 days, 9,000) is
    // not, but nobody touched it for 120 days: untouched (> 60) and a follow-up gap (> 14).
    const dealRules = (counts: typeof preview.candidate) => ({
      "past-its-time": counts.byRule["past-its-time"],
      untouched: counts.byRule.untouched,
      "follow-up-gap": counts.byRule["follow-up-gap"],
      flaggedDeals: counts.flaggedDeals,
      flaggedValueCents: counts.flaggedValueCents,
    });
    expect(dealRules(preview.candidate)).toEqual({
      "past-its-time": { count: 3, valueCents: 52_000_00 },
      untouched: { count: 1, valueCents: 9_000_00 },
      "follow-up-gap": { count: 1, valueCents: 9_000_00 },
      flaggedDeals: 4,
      flaggedValueCents: 61_000_00,
    });
    expect(dealRules(orgPreview.candidate)).toEqual({
      "past-its-time": { count: 4, valueCents: 68_000_00 },
      untouched: { count: 1, valueCents: 9_000_00 },
      "follow-up-gap": { count: 1, valueCents: 9_000_00 },
      flaggedDeals: 5,
      flaggedValueCents: 77_000_00,
    });

    await db.orgSettings.update({ where: { id: 1 }, data: { rules: candidate } });
    try {
      await runReview(getConnection().sql, {
        actorId: org.people.admin.userId,
        teamId: null,
        asOf: AS_OF,
        now: AS_OF,
        fromHistory: false,
      });
      // From the stored flags themselves (not the review's totals, which share the preview's code):
      // count and value per rule, for the organisation and for Central's deals.
      const stored = await db.flag.findMany({
        where: { ...currentFlagWhere, opportunityId: { not: null } },
        select: {
          rule: true,
          opportunityId: true,
          opportunity: { select: { amount: true, owner: { select: { teamId: true } } } },
        },
      });
      const tally = (teamId: string | null) => {
        const byRule: Record<string, { count: number; valueCents: number }> = {};
        const deals = new Map<number, number>();
        for (const flag of stored) {
          if (teamId && flag.opportunity?.owner.teamId !== teamId) continue;
          const cents = Math.round(Number(flag.opportunity?.amount) * 100);
          const entry = byRule[flag.rule] ?? { count: 0, valueCents: 0 };
          entry.count += 1;
          entry.valueCents += cents;
          byRule[flag.rule] = entry;
          deals.set(flag.opportunityId as number, cents);
        }
        return { byRule, flaggedDeals: deals.size, flaggedValueCents: [...deals.values()].reduce((a, b) => a + b, 0) };
      };
      for (const [counts, fromFlags] of [
        [preview.candidate, tally(org.teams.central)],
        [orgPreview.candidate, tally(null)],
      ] as const) {
        expect(counts.flaggedDeals).toBe(fromFlags.flaggedDeals);
        expect(counts.flaggedValueCents).toBe(fromFlags.flaggedValueCents);
        for (const [rule, tallied] of Object.entries(counts.byRule)) {
          if (rule === "no-new-pipeline" || rule === "sales-trap") continue; // rep and team flags
          expect({ rule, ...tallied }).toEqual({ rule, ...(fromFlags.byRule[rule] ?? { count: 0, valueCents: 0 }) });
        }
      }
    } finally {
      await db.orgSettings.update({ where: { id: 1 }, data: { rules: {} } });
    }
  });

  it("refuses reps and invalid settings", async () => {
    await expect(previewRuleSettings(org.people.ana, withMultiple(1.5), { now: AS_OF })).rejects.toThrow(ActionRefused);
    const result = await previewRuleSettingsAction({ ...DEFAULT_RULE_SETTINGS, pastItsTimeMultiple: 0 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.fieldErrors ?? {})).toEqual(["pastItsTimeMultiple"]);
  });

  it("answers through the action for the signed-in manager", async () => {
    await signInAs(org.people.centralManager);
    const result = await previewRuleSettingsAction({ ...DEFAULT_RULE_SETTINGS, pastItsTimeMultiple: "1.5" });
    expect(result.ok).toBe(true);
  });
});

describe("saving rule thresholds", () => {
  it("validates every field and writes nothing when one is wrong", async () => {
    await signInAs(org.people.admin);
    const before = await auditCount();
    const result = await saveRuleSettingsAction({
      ...DEFAULT_RULE_SETTINGS,
      pastItsTimeMultiple: "lots",
      untouchedDays: 0,
      cycleStatistic: "mode",
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual([
        "cycleStatistic",
        "pastItsTimeMultiple",
        "untouchedDays",
      ]);
    }
    expect(await auditCount()).toBe(before);
  });

  it("saves, and records who changed what from what", async () => {
    await signInAs(org.people.admin);
    const result = await saveRuleSettingsAction({ ...DEFAULT_RULE_SETTINGS, pastItsTimeMultiple: "1.5" });
    expect(result).toMatchObject({ ok: true, data: { changed: ["pastItsTimeMultiple"] } });
    const stored = await db.orgSettings.findUniqueOrThrow({ where: { id: 1 } });
    expect(stored.rules).toMatchObject({ pastItsTimeMultiple: 1.5, untouchedDays: 90 });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "settings.rules.update" },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({
      actorId: org.people.admin.userId,
      entityType: "settings",
      before: { pastItsTimeMultiple: 2 },
      after: { pastItsTimeMultiple: 1.5 },
    });
    // Saving the same settings again changes nothing and audits nothing.
    const count = await auditCount();
    const again = await saveRuleSettingsAction({ ...DEFAULT_RULE_SETTINGS, pastItsTimeMultiple: 1.5 });
    expect(again).toMatchObject({ ok: true, data: { changed: [] } });
    expect(await auditCount()).toBe(count);
    // The preview now compares with the saved 1.5×.
    const preview = await previewRuleSettings(org.people.centralManager, withMultiple(2), { now: AS_OF });
    expect(preview.savedSettings.pastItsTimeMultiple).toBe(1.5);
    expect(preview.candidate.byRule["past-its-time"].count).toBeLessThan(preview.saved.byRule["past-its-time"].count);
    await db.orgSettings.update({ where: { id: 1 }, data: { rules: {} } });
  });

  it("refuses reps, writing nothing", async () => {
    const before = await auditCount();
    await expect(
      db.$transaction((tx) => saveRuleSettings(tx, { actor: org.people.ana, now: AS_OF }, withMultiple(3))),
    ).rejects.toThrow(/Only administrators can change the organisation's rule thresholds/);
    expect(await auditCount()).toBe(before);
    expect((await db.orgSettings.findUniqueOrThrow({ where: { id: 1 } })).rules ?? {}).toEqual({});
  });

  // Issue 11, finding 7: the East manager changed organisation-wide settings.
  it("refuses managers: the organisation's thresholds are the admin's", async () => {
    await signInAs(org.people.centralManager);
    const before = await db.orgSettings.findUniqueOrThrow({ where: { id: 1 } });
    const audits = await auditCount();
    const result = await saveRuleSettingsAction({ ...DEFAULT_RULE_SETTINGS, pastItsTimeMultiple: 3 });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/Only administrators/) });
    expect(await db.orgSettings.findUniqueOrThrow({ where: { id: 1 } })).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });
});

describe("stages", () => {
  const stageForm = (changes: Record<string, string>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(changes)) form.set(name, value);
    return form;
  };

  it("swaps two stages' order, sets a probability, an early flag and a limit, each audited", async () => {
    await signInAs(org.people.admin);
    const { demo, proposal } = org.stages;
    const before = await auditCount();
    const result = await saveStagesAction(
      null,
      stageForm({
        [`stage-${demo}-order`]: "4",
        [`stage-${demo}-probability`]: "45",
        [`stage-${demo}-maxDaysInStage`]: "25",
        [`stage-${proposal}-order`]: "3",
        [`stage-${proposal}-probability`]: "60",
        [`stage-${proposal}-early`]: "on",
        [`stage-${proposal}-maxDaysInStage`]: "",
      }),
    );
    expect(result).toMatchObject({ ok: true, data: { changed: 2 } });
    const stages = await db.stage.findMany({ where: { id: { in: [demo, proposal] } }, orderBy: { order: "asc" } });
    expect(
      stages.map((stage) => [stage.name, stage.order, stage.probability, stage.early, stage.maxDaysInStage]),
    ).toEqual([
      ["Proposal", 3, 60, true, null],
      ["Demo", 4, 45, false, 25],
    ]);
    expect(await auditCount()).toBe(before + 2);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { entityType: "stage", entityId: String(proposal) },
      orderBy: { id: "desc" },
    });
    expect(audit.before).toMatchObject({ order: 4, early: false, maxDaysInStage: 30 });
    expect(audit.after).toMatchObject({ order: 3, early: true, maxDaysInStage: null });
  });

  it("refuses two stages in the same place, a probability over 100, reps and managers", async () => {
    await signInAs(org.people.admin);
    const { discovery, qualification } = org.stages;
    const result = await saveStagesAction(
      null,
      stageForm({
        [`stage-${discovery}-order`]: "2",
        [`stage-${discovery}-probability`]: "120",
        [`stage-${qualification}-order`]: "2",
        [`stage-${qualification}-probability`]: "20",
      }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(["stages.0.probability", "stages.1.order"]);
    // An order already taken by a stage not on the form.
    await expect(
      db.$transaction((tx) =>
        saveStages(tx, { actor: org.people.admin, now: AS_OF }, [
          { id: discovery, order: 5, probability: 10, early: true, maxDaysInStage: null },
        ]),
      ),
    ).rejects.toThrow(/same place/);
    await expect(
      db.$transaction((tx) =>
        saveStages(tx, { actor: org.people.ben, now: AS_OF }, [
          { id: discovery, order: 1, probability: 50, early: true, maxDaysInStage: null },
        ]),
      ),
    ).rejects.toThrow(ActionRefused);
    await expect(
      db.$transaction((tx) =>
        saveStages(tx, { actor: org.people.westManager, now: AS_OF }, [
          { id: discovery, order: 1, probability: 50, early: true, maxDaysInStage: null },
        ]),
      ),
    ).rejects.toThrow(/Only administrators can change the stages/);
    expect((await db.stage.findUniqueOrThrow({ where: { id: discovery } })).probability).toBe(10);
  });
});

describe("quotas", () => {
  const quotaForm = (period: [string, string], amounts: Record<string, string>) => {
    const form = new FormData();
    form.set("periodStart", period[0]);
    form.set("periodEnd", period[1]);
    for (const [userId, amount] of Object.entries(amounts)) form.set(`quota-${userId}`, amount);
    return form;
  };
  const q3: [string, string] = ["2026-07-01", "2026-09-30"];

  it("sets, changes and removes a rep's quota for a period, each audited", async () => {
    await signInAs(org.people.centralManager);
    const { ana, ben } = org.people;
    const created = await saveQuotasAction(null, quotaForm(q3, { [ana.userId]: "$250,000", [ben.userId]: "" }));
    expect(created).toMatchObject({ ok: true, data: { saved: 1, removed: 0 } });
    const changed = await saveQuotasAction(null, quotaForm(q3, { [ana.userId]: "260000.50", [ben.userId]: "100000" }));
    expect(changed).toMatchObject({ ok: true, data: { saved: 2, removed: 0 } });
    const removed = await saveQuotasAction(null, quotaForm(q3, { [ana.userId]: "260000.50", [ben.userId]: "" }));
    expect(removed).toMatchObject({ ok: true, data: { saved: 0, removed: 1 } });

    const quotas = await db.quota.findMany({ where: { periodStart: new Date("2026-07-01T00:00:00Z") } });
    expect(quotas.map((quota) => [quota.userId, quota.amount.toFixed(2)])).toEqual([[ana.userId, "260000.50"]]);
    const audits = await db.auditEvent.findMany({ where: { entityType: "quota" }, orderBy: { id: "asc" } });
    expect(audits.map((audit) => audit.action)).toEqual([
      "quota.create",
      "quota.update",
      "quota.create",
      "quota.remove",
    ]);
    expect(audits[1]).toMatchObject({ before: { amount: "250000.00" }, after: { amount: "260000.50" } });

    const page = await getSettingsPage(org.people.centralManager, { asOf: AS_OF, periodStart: "2026-07-01" });
    expect(page.quotas.map((quota) => [quota.name, quota.amount])).toEqual([
      ["Ana Rep", "260000.50"],
      ["Ben Rep", null],
    ]);
    expect(page.periods.map((period) => period.start.toISOString().slice(0, 10))).toEqual(["2026-07-01"]);
  });

  it("refuses a period that ends before it starts, a negative quota, another team's rep, and reps", async () => {
    await signInAs(org.people.centralManager);
    const { ana, wes } = org.people;
    const bad = await saveQuotasAction(null, quotaForm(["2026-07-01", "2026-06-30"], { [ana.userId]: "-5" }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["periodEnd", "quotas.0.amount"]);
    // The signed-in manager runs Central; Wes is in West.
    const otherTeam = await saveQuotasAction(null, quotaForm(q3, { [wes.userId]: "1000" }));
    expect(otherTeam).toMatchObject({ ok: false, message: expect.stringMatching(/your own team/) });
    await expect(
      db.$transaction((tx) =>
        saveQuotas(
          tx,
          { actor: ana, now: AS_OF },
          {
            periodStart: new Date("2026-07-01T00:00:00Z"),
            periodEnd: new Date("2026-09-30T00:00:00Z"),
            quotas: [{ userId: ana.userId, amount: "1" }],
          },
        ),
      ),
    ).rejects.toThrow(ActionRefused);
  });
});

describe("the fixed as-of date", () => {
  const asOfForm = (intent: "set" | "clear", asOf = "") => {
    const form = new FormData();
    form.set("intent", intent);
    form.set("asOf", asOf);
    return form;
  };

  it("fixes a day (counted whole) and clears it, audited", async () => {
    await signInAs(org.people.admin);
    const fixed = await setAsOfAction(null, asOfForm("set", "2026-03-31"));
    expect(fixed.ok).toBe(true);
    expect((await db.orgSettings.findUniqueOrThrow({ where: { id: 1 } })).asOf?.toISOString()).toBe(
      "2026-03-31T23:59:59.999Z",
    );
    const cleared = await setAsOfAction(null, asOfForm("clear", "2026-03-31"));
    expect(cleared.ok).toBe(true);
    expect((await db.orgSettings.findUniqueOrThrow({ where: { id: 1 } })).asOf).toBeNull();
    const audits = await db.auditEvent.findMany({ where: { action: { startsWith: "settings.as-of" } } });
    expect(audits.map((audit) => audit.action)).toEqual(["settings.as-of.fix", "settings.as-of.clear"]);
  });

  it("refuses a day in the future, a non-date, reps and managers", async () => {
    await signInAs(org.people.admin);
    await expect(
      db.$transaction((tx) =>
        setFixedAsOf(tx, { actor: org.people.admin, now: AS_OF }, new Date(subDays(AS_OF, -3).toDateString())),
      ),
    ).rejects.toThrow(/future/);
    const bad = await setAsOfAction(null, asOfForm("set", "31/03/2026"));
    expect(bad.ok).toBe(false);
    await expect(
      db.$transaction((tx) => setFixedAsOf(tx, { actor: org.people.wes, now: AS_OF }, null)),
    ).rejects.toThrow(ActionRefused);
    // Issue 11, finding 7: a manager fixed the organisation's as-of date.
    await signInAs(org.people.westManager);
    const byManager = await setAsOfAction(null, asOfForm("set", "2026-03-31"));
    expect(byManager).toMatchObject({ ok: false, message: expect.stringMatching(/Only administrators/) });
    expect((await db.orgSettings.findUniqueOrThrow({ where: { id: 1 } })).asOf).toBeNull();
  });
});

describe("what each role sees", () => {
  it("lets admins edit everything, managers their team's quotas, and shows reps the settings read-only", async () => {
    const can = async (viewer: typeof org.people.ana) => {
      const page = await getSettingsPage(viewer, { asOf: AS_OF });
      return { organisation: page.canEditOrganisation, quotas: page.canEditQuotas };
    };
    expect(await can(org.people.ana)).toEqual({ organisation: false, quotas: false });
    expect(await can(org.people.westManager)).toEqual({ organisation: false, quotas: true });
    expect(await can(org.people.admin)).toEqual({ organisation: true, quotas: true });
    const page = await getSettingsPage(org.people.westManager, { asOf: AS_OF });
    // No quota period yet for West: the calendar quarter holding the as-of date.
    expect(page.period.start.toISOString().slice(0, 10)).toBe("2026-04-01");
    expect(page.period.end.toISOString().slice(0, 10)).toBe("2026-06-30");
    expect(page.quotas.map((quota) => quota.name)).toEqual(["Wes Rep"]);
    expect(page.rules).toEqual(DEFAULT_RULE_SETTINGS);
  });
});
