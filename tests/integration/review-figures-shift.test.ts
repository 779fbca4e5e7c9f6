// A repeat (incremental) review shifts its reps' figures by what its deals'
// flags were and became (lib/figures/mutations.ts shiftRepFiguresToCurrentFlags)
// instead of recounting every deal of every rep it touched. Here every rep's
// figures are recounted from scratch before each review, so they start right;
// after the review, the stored figures must equal a recount from scratch
// (run in a transaction that is rolled back). A seeded random sequence of
// activities, stage moves, amount edits, waivers, deals won, new deals and
// days passing, and one case for a flagged deal whose opening date moves past
// the review's as-of date (its flags end without it being judged again).
import { addDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { Query } from "@/lib/db/bulk-sql";
import { refreshRollups } from "@/lib/deals/history";
import { refreshRepFigures } from "@/lib/figures/mutations";
import { runReview } from "@/lib/reviews/mutations";
import { seededRandom } from "@/lib/seeded-random";
import { AS_OF, createDeal, type SmallOrg } from "../fixtures/small-org";
import { createRandomPipeline, EITHER_SIDE_THEN_SELLER } from "./support/random-pipeline";
import { query, sql } from "./support/review-comparison";

const HOUR = 3_600_000;
let org: SmallOrg;
let clock = AS_OF.getTime();
const later = (ms: number) => {
  clock += ms;
  return new Date(clock);
};

/** Every rep's stored figures, comparable (updatedAt says when, not what). */
async function storedFigures(run: Query) {
  const rows = await run(`SELECT * FROM "RepFigures" ORDER BY "repId"`);
  return rows.map((row) => {
    const { updatedAt: _updated, ...rest } = row as Record<string, unknown>;
    return JSON.parse(JSON.stringify(rest, (_key, value) => (typeof value === "bigint" ? String(value) : value)));
  });
}

class RolledBack extends Error {}

/** Every rep's figures recounted from scratch, in a transaction that is rolled back. */
async function recountedFigures() {
  let found: unknown;
  try {
    await sql().transaction(async (tx) => {
      const run: Query = (text, params) => tx.query(text, params);
      await refreshRepFigures(run, "everyone");
      found = await storedFigures(run);
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return found;
}

/** Figures right before the review; the review; its figures against a recount. Says what the review did. */
async function reviewAndRecount(asOf: Date, teamId: string | null = null) {
  await refreshRepFigures(query, "everyone");
  const before = await storedFigures(query);
  const result = await runReview(sql(), { actorId: null, teamId, asOf, now: asOf, fromHistory: false });
  const after = await storedFigures(query);
  expect(after, `figures after the ${result.totals.judged?.mode} review as of ${asOf.toISOString()}`).toEqual(
    await recountedFigures(),
  );
  return { mode: result.totals.judged?.mode, figuresMoved: JSON.stringify(after) !== JSON.stringify(before) };
}

beforeAll(async () => {
  org = await createRandomPipeline(11, EITHER_SIDE_THEN_SELLER);
  await runReview(sql(), { actorId: null, teamId: null, asOf: later(HOUR), now: new Date(clock), fromHistory: false });
});

const openDeals = async () =>
  (await db.opportunity.findMany({ where: { status: "open" }, select: { id: true }, orderBy: { id: "asc" } })).map(
    (deal) => deal.id,
  );

describe("a repeat review's rep figures", () => {
  it("equal a recount from scratch after every step of a random sequence", async () => {
    const random = seededRandom(4242);
    const steps: Record<string, (asOf: Date) => Promise<void>> = {
      "an activity": async (asOf) => {
        const id = random.pick(await openDeals());
        await db.activity.create({
          data: { opportunityId: id, type: "call", side: random.next() < 0.5 ? "buyer" : "seller", at: asOf },
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
        await query(`UPDATE "Opportunity" SET amount = amount * 1.5 WHERE id = $1`, [random.pick(await openDeals())]);
      },
      "a waiting-on-buyer waiver": async (asOf) => {
        await db.waiver.create({
          data: {
            opportunityId: random.pick(await openDeals()),
            kind: "waiting_on_buyer",
            reason: "they asked",
            until: addDays(asOf, 2),
          },
        });
      },
      "a manager's keep waiver": async (asOf) => {
        await db.waiver.create({
          data: {
            opportunityId: random.pick(await openDeals()),
            kind: "manager_keep",
            reason: "kept for the test",
            until: addDays(asOf, 3),
          },
        });
      },
      "a deal won": async (asOf) => {
        await db.opportunity.update({
          where: { id: random.pick(await openDeals()) },
          data: { status: "won", closedAt: asOf },
        });
      },
      "a new deal": async () => {
        const deal = await createDeal(org, { owner: org.people.ben, amount: 5_500, openedDaysAgo: 0 });
        await query(`UPDATE "Opportunity" SET "openedAt" = $2 WHERE id = $1`, [deal.id, new Date(clock - HOUR)]);
      },
      "nothing but time": async () => undefined,
    };
    const names = Object.keys(steps);
    const reviews: { mode: string | undefined; figuresMoved: boolean }[] = [];
    for (let step = 0; step < 30; step++) {
      // Hours or days apart: days bring deals past their limits (episodes start with no change to the deal).
      const asOf = later(random.next() < 0.4 ? (1 + Math.floor(random.next() * 20)) * 24 * HOUR : HOUR);
      await steps[step < names.length ? (names[step] as string) : random.pick(names)]?.(asOf);
      reviews.push(await reviewAndRecount(asOf, random.next() < 0.2 ? org.teams.central : null));
    }
    // The shift was exercised: incremental reviews that moved someone's figures.
    expect(reviews.filter((review) => review.mode === "incremental" && review.figuresMoved).length).toBeGreaterThan(5);
  }, 900_000); // 30 reviews on a busy machine: a bound on hanging, not a timing.

  it("count out a flagged deal whose opening date moved past the review's as-of date", async () => {
    const asOf = later(HOUR);
    const flagged = await db.flag.findFirst({
      where: { endedAt: null, opportunity: { status: "open" } },
      select: { opportunityId: true },
      orderBy: { id: "asc" },
    });
    const dealId = flagged?.opportunityId as number;
    expect(dealId).toBeTypeOf("number");
    // Written straight to the table: no write path marks the deal for the review.
    await query(`UPDATE "Opportunity" SET "openedAt" = $2 WHERE id = $1`, [dealId, addDays(asOf, 2)]);
    const { mode, figuresMoved } = await reviewAndRecount(asOf);
    expect(mode).toBe("incremental");
    expect(figuresMoved).toBe(true);
    expect(await db.flag.count({ where: { opportunityId: dealId, endedAt: null } })).toBe(0);
  }, 300_000);
});
