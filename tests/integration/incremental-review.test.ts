// The incremental review (lib/reviews/incremental.ts) finds exactly what a full
// review finds. A seeded random sequence over a small organisation — hours and
// days passing, activities (some back-dated), stage moves, amount edits, close
// date pushes, waivers granted and ended, deals won, lost, removed, returned
// to prospecting and reopened, owners moving team, a stage's limit and
// probability edited, new deals, a team's thresholds and the organisation's
// settings changed — and after each step a review (incremental whenever it
// may be), then, in a transaction rolled back, a full review of the same
// as-of: it must find nothing to write (no episode started, ended or
// changed), give the same totals, and leave the same current flags,
// snapshots and rep figures (recomputed from scratch for every rep). Writes
// go straight to the tables as often as through the actions: the review must
// not depend on a write path remembering to mark a deal. Then one case per
// reason the review falls back to judging every deal.
import { addDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { keepDealWithWaiver, removeDealFromPipeline, returnDealToProspecting } from "@/lib/deals/mutations";
import { loadRuleBasis } from "@/lib/reviews/evaluate";
import { planReview } from "@/lib/reviews/incremental";
import { runReview } from "@/lib/reviews/mutations";
import { seededRandom } from "@/lib/seeded-random";
import { AS_OF, createDeal, type SmallOrg } from "../fixtures/small-org";
import { createRandomPipeline, EITHER_SIDE_THEN_SELLER } from "./support/random-pipeline";
import { query, reviewAndCompare, sql } from "./support/review-comparison";

const HOUR = 3_600_000;
let org: SmallOrg;

/** Every review in this file is later than the last, whatever order the tests run in. */
let clock = AS_OF.getTime();
const later = (ms: number) => {
  clock += ms;
  return new Date(clock);
};

const ctx = (asOf: Date) => ({ actor: org.people.admin, now: asOf, asOf });

async function version(dealId: number) {
  return (await db.opportunity.findUniqueOrThrow({ where: { id: dealId }, select: { version: true } })).version;
}

beforeAll(async () => {
  org = await createRandomPipeline(7, EITHER_SIDE_THEN_SELLER);
});

describe("an incremental review", () => {
  it("finds what a full review finds, step after step of a random sequence", async () => {
    const random = seededRandom(2026);
    const modes: string[] = [];
    const dealsJudged: number[] = [];
    const openDeals = async () =>
      (await db.opportunity.findMany({ where: { status: "open" }, select: { id: true }, orderBy: { id: "asc" } })).map(
        (deal) => deal.id,
      );
    const steps: Record<string, (asOf: Date) => Promise<void>> = {
      "an activity": async (asOf) => {
        const id = random.pick(await openDeals());
        await db.activity.create({
          data: { opportunityId: id, type: "call", side: random.next() < 0.5 ? "buyer" : "seller", at: asOf },
        });
        await refreshRollups(db, [id]);
      },
      "a back-dated seller activity (the rollups do not move)": async (asOf) => {
        const id = random.pick(await openDeals());
        await db.activity.create({
          data: { opportunityId: id, type: "email", side: "seller", at: new Date(asOf.getTime() - 20 * 24 * HOUR) },
        });
        await refreshRollups(db, [id]);
      },
      "a stage move": async (asOf) => {
        const id = random.pick(await openDeals());
        const deal = await db.opportunity.findUniqueOrThrow({ where: { id } });
        const to = random.pick(Object.values(org.stages).filter((stage) => stage !== deal.stageId));
        await db.stageChange.create({
          data: {
            opportunityId: id,
            fromStageId: deal.stageId,
            toStageId: to,
            fromStatus: "open",
            toStatus: "open",
            direction: to > deal.stageId ? "forward" : "back",
            at: asOf,
          },
        });
        await db.opportunity.update({ where: { id }, data: { stageId: to } });
        await refreshRollups(db, [id]);
      },
      "an amount edit": async () => {
        const id = random.pick(await openDeals());
        await query(`UPDATE "Opportunity" SET amount = amount * 1.5 WHERE id = $1`, [id]);
      },
      "a close date pushed": async () => {
        const id = random.pick(await openDeals());
        await query(
          `UPDATE "Opportunity" SET "expectedCloseDate" = coalesce("expectedCloseDate", $2::date) + 30,
                  "closeDatePushCount" = "closeDatePushCount" + 1 WHERE id = $1`,
          [id, AS_OF],
        );
      },
      "a manager keeps a deal with a waiver": async (asOf) => {
        const id = random.pick(await openDeals());
        const v = await version(id);
        await db.$transaction((tx) =>
          keepDealWithWaiver(tx, ctx(asOf), {
            dealId: id,
            version: v,
            reason: "kept for the test",
            until: addDays(asOf, 3),
          }),
        );
      },
      "a waiting-on-buyer waiver written straight to the table": async (asOf) => {
        const id = random.pick(await openDeals());
        await db.waiver.create({
          data: { opportunityId: id, kind: "waiting_on_buyer", reason: "they asked", until: addDays(asOf, 2) },
        });
      },
      "a waiver ends": async (asOf) => {
        const waiver = await db.waiver.findFirst({ where: { endedAt: null }, orderBy: { id: "asc" } });
        if (waiver) await db.waiver.update({ where: { id: waiver.id }, data: { endedAt: asOf } });
      },
      "a deal won": async (asOf) => {
        const id = random.pick(await openDeals());
        await db.opportunity.update({ where: { id }, data: { status: "won", closedAt: asOf } });
      },
      "a deal returned to prospecting": async (asOf) => {
        const id = random.pick(await openDeals());
        const v = await version(id);
        await db.$transaction((tx) =>
          returnDealToProspecting(tx, ctx(asOf), { dealId: id, version: v, reason: "not ready to buy" }),
        );
      },
      "a deal removed from the pipeline": async (asOf) => {
        const id = random.pick(await openDeals());
        const v = await version(id);
        await db.$transaction((tx) =>
          removeDealFromPipeline(tx, ctx(asOf), { dealId: id, version: v, reason: "stale — removed in review" }),
        );
      },
      "a prospect opened again": async (asOf) => {
        const prospect = await db.opportunity.findFirst({ where: { status: "prospect" }, orderBy: { id: "asc" } });
        if (prospect) {
          await db.opportunity.update({
            where: { id: prospect.id },
            data: { status: "open", openedAt: new Date(asOf.getTime() - HOUR), stageEnteredAt: null },
          });
        }
      },
      "an owner moves team": async () => {
        const ben = await db.user.findUniqueOrThrow({ where: { id: org.people.ben.userId } });
        await db.user.update({
          where: { id: ben.id },
          data: { teamId: ben.teamId === org.teams.central ? org.teams.west : org.teams.central },
        });
      },
      "a stage's limit and probability edited": async () => {
        const stage = await db.stage.findUniqueOrThrow({ where: { id: org.stages.demo } });
        await db.stage.update({
          where: { id: stage.id },
          data: { maxDaysInStage: stage.maxDaysInStage ? null : 10, probability: stage.probability === 40 ? 45 : 40 },
        });
      },
      "a new deal": async () => {
        const deal = await createDeal(org, { owner: org.people.wes, amount: 7_700, openedDaysAgo: 0 });
        await query(`UPDATE "Opportunity" SET "openedAt" = $2 WHERE id = $1`, [deal.id, new Date(clock - HOUR)]);
      },
      "a team's thresholds changed": async () => {
        const overrides = { untouchedDays: 20 + Math.floor(random.next() * 30) };
        await db.teamRuleSettings.upsert({
          where: { teamId: org.teams.west },
          create: { teamId: org.teams.west, overrides },
          update: { overrides },
        });
      },
      "the organisation's settings changed": async () => {
        await db.orgSettings.update({
          where: { id: 1 },
          data: { rules: { followUpGapDays: 10 + Math.floor(random.next() * 10) } },
        });
      },
    };
    const names = Object.keys(steps);
    for (let step = 0; step < 40; step++) {
      // Mostly hours apart (only the deals that changed are judged again), sometimes the next day.
      const asOf = later(random.next() < 0.25 ? 24 * HOUR : HOUR);
      const name = step < names.length ? (names[step] as string) : random.pick(names);
      await steps[name]?.(asOf);
      const teamReview = random.next() < 0.15;
      const { judged, totals } = await reviewAndCompare(asOf, teamReview ? org.teams.central : null);
      modes.push(`${judged?.mode}`);
      if (judged?.mode === "incremental") dealsJudged.push(judged.deals - totals.openDeals);
    }
    // The sequence exercised the incremental path, and it judged fewer deals than were open.
    expect(modes.filter((mode) => mode === "incremental").length).toBeGreaterThan(10);
    expect(dealsJudged.some((difference) => difference < 0)).toBe(true);
  }, 900_000); // 40 reviews and 40 full ones on a busy machine: a bound on hanging, not a timing.
});

describe("a review judges every deal when the incremental review could be wrong", () => {
  async function review(asOf: Date, options: { teamId?: string | null; fromHistory?: boolean } = {}) {
    const result = await runReview(sql(), {
      actorId: null,
      teamId: options.teamId ?? null,
      asOf,
      now: options.fromHistory ? addDays(asOf, 30) : asOf,
      fromHistory: options.fromHistory ?? false,
    });
    return result.totals.judged;
  }

  it("the first review of a scope", async () => {
    const north = await db.team.create({ data: { name: `North ${clock}` } });
    expect(await review(later(HOUR), { teamId: north.id })).toMatchObject({
      mode: "full",
      reason: "no earlier review of this scope",
    });
    expect(await review(later(HOUR), { teamId: north.id })).toMatchObject({ mode: "incremental" });
  });

  it("a review of history, and the review after it", async () => {
    expect(await review(later(HOUR), { fromHistory: true })).toMatchObject({
      mode: "full",
      reason: "a review of history judges every deal",
    });
    expect(await review(later(HOUR))).toMatchObject({ mode: "full", reason: "the last review was of history" });
  });

  it("a review as of an earlier date than the last", async () => {
    const asOf = later(2 * HOUR);
    await review(asOf);
    expect(await review(new Date(asOf.getTime() - HOUR))).toMatchObject({
      mode: "full",
      reason: "the last review was as of a later date",
    });
  });

  it("the organisation's settings changed", async () => {
    await review(later(HOUR));
    const current = await db.orgSettings.findUniqueOrThrow({ where: { id: 1 } });
    const rules = { ...(current.rules as object), untouchedDays: 60 + (clock % 7) };
    await db.orgSettings.update({ where: { id: 1 }, data: { rules } });
    expect(await review(later(HOUR))).toMatchObject({ mode: "full", reason: "the organisation's settings changed" });
    expect(await review(later(HOUR))).toMatchObject({ mode: "incremental" });
  });

  it("a team's thresholds changed", async () => {
    await review(later(HOUR));
    const overrides = { stuckInStageMultiple: 3 + (clock % 5) };
    await db.teamRuleSettings.upsert({
      where: { teamId: org.teams.central },
      create: { teamId: org.teams.central, overrides },
      update: { overrides },
    });
    expect(await review(later(HOUR))).toMatchObject({ mode: "full", reason: "a team's thresholds changed" });
  });

  it("whether the organisation records activities changed", async () => {
    const asOf = later(HOUR);
    await review(asOf);
    // An organisation's first activity cannot be undone here (this one has some): plan against a basis that says none.
    const basis = await loadRuleBasis(query, asOf);
    const flipped = { ...basis, context: { ...basis.context, activitiesRecorded: !basis.context.activitiesRecorded } };
    expect(await planReview(query, { teamId: null, asOf, fromHistory: false }, flipped)).toEqual({
      mode: "full",
      reason: "the organisation's first activities were recorded",
    });
  });
});
