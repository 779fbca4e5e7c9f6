// A change committed while a review runs is judged by the next review (issue 13;
// the race needs a PostgreSQL server: PGlite runs one transaction at a time).
//
// The review reads a deal's facts, then later stores its judgement unmarked
// (lib/reviews/judgements.ts). A writer that commits a change of those facts in
// between, on another connection and without the flag writers' lock (a script,
// a sync, SQL by hand), must still leave the judgement marked: otherwise the
// next review skips the deal and its flags stay as the old facts had them. The
// review is held between its evaluation and its writes by a lock on the Review
// table (its first write), the writer runs, then the review is let go. On
// either database: the marking triggers wait on the review's own lock.
import { subDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { lockFlagsForReviewSql } from "@/lib/flags/current-flags";
import { runReview } from "@/lib/reviews/mutations";
import { AS_OF, createDeal, createSmallOrg, logActivities, type SmallOrg } from "../fixtures/small-org";
import { testDatabaseUrl } from "../setup/test-database";
import { fullReviewWrites, sql } from "./support/review-comparison";

const DAY = 86_400_000;
let org: SmallOrg;

/** Polls `check` until it holds (or fails after a while: the scene did not happen as planned). */
async function until(what: string, check: () => Promise<boolean>) {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting until ${what}.`);
}

const waiting = async (lockCondition: string) =>
  (await sql().query(`SELECT 1 FROM pg_locks WHERE NOT granted AND ${lockCondition}`)).length > 0;

async function markedDeals(ids: number[]): Promise<number[]> {
  const rows = await sql().query<{ id: number }>(
    `SELECT "opportunityId" AS id FROM "DealJudgement" WHERE "factsChanged" AND "opportunityId" = ANY($1::int[])
      ORDER BY 1`,
    [ids],
  );
  return rows.map((row) => Number(row.id));
}

async function stuckDeals(ids: number[]): Promise<number[]> {
  const rows = await sql().query<{ id: number }>(
    `SELECT "opportunityId" AS id FROM "Flag"
      WHERE rule = 'stuck-in-stage' AND "endedAt" IS NULL AND "opportunityId" = ANY($1::int[]) ORDER BY 1`,
    [ids],
  );
  return rows.map((row) => Number(row.id));
}

/** A review of asOf, held after its evaluation until `whileHeld` is done. */
async function reviewHeldAfterEvaluation(asOf: Date, whileHeld: () => Promise<void>) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const lockTaken = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = sql().transaction(async (tx) => {
    await tx.query(`LOCK TABLE "Review" IN EXCLUSIVE MODE`);
    locked();
    await released;
  });
  await lockTaken;
  const review = runReview(sql(), { actorId: null, teamId: null, asOf, now: asOf, fromHistory: false });
  review.catch(() => undefined);
  try {
    await until("the review waits to store itself", () => waiting(`relation = '"Review"'::regclass`));
    await whileHeld();
  } finally {
    release();
    await holder;
  }
  return review;
}

describe.skipIf(!testDatabaseUrl())("a deal changed while a review runs (PostgreSQL server)", () => {
  beforeAll(async () => {
    org = await createSmallOrg();
  });

  it("is judged again by the next review: its mark survives the review's judgement write", async () => {
    const asOf = new Date(AS_OF.getTime() + DAY);
    // In Proposal (at most 30 days) for 40 days: stuck in stage, each of them.
    const stuck = async () => {
      const deal = await createDeal(org, {
        owner: org.people.ana,
        amount: 5_000,
        openedDaysAgo: 40,
        stageId: org.stages.proposal,
      });
      await logActivities(deal.id, [
        { daysAgo: 1, side: "buyer" },
        { daysAgo: 1, side: "seller" },
      ]);
      return deal.id;
    };
    const marked = await stuck(); // judged, then marked: this review judges it again
    const untouched = await stuck(); // judged and unmarked: this review leaves it alone
    await runReview(sql(), { actorId: null, teamId: null, asOf: AS_OF, now: AS_OF, fromHistory: false });
    const fresh = await stuck(); // never judged: this review judges it first
    await sql().query(`UPDATE "Opportunity" SET amount = amount + 1 WHERE id = $1`, [marked]);
    const deals = [marked, untouched, fresh];
    expect(await markedDeals(deals)).toEqual([marked]);

    // Each deal moved on yesterday (no longer stuck), committed on its own connection while the review is held.
    let writer: Promise<unknown> | undefined;
    let writerDone = false;
    const result = await reviewHeldAfterEvaluation(asOf, async () => {
      writer = sql()
        .query(`UPDATE "Opportunity" SET "stageEnteredAt" = $2 WHERE id = ANY($1::int[])`, [deals, subDays(asOf, 1)])
        .finally(() => {
          writerDone = true;
        });
      writer.catch(() => undefined);
      // Committed, or waiting for the review to finish first: either way the review read the facts before.
      await until("the writer committed or waits", async () => writerDone || (await waiting(`locktype = 'advisory'`)));
    });
    await writer;
    expect(result.totals.judged?.mode).toBe("incremental");
    expect(await stuckDeals(deals), "the held review judged the facts it had read").toEqual(deals);
    expect.soft(await markedDeals(deals), "every changed deal is marked for the next review").toEqual(deals);

    const next = await runReview(sql(), { actorId: null, teamId: null, asOf, now: asOf, fromHistory: false });
    expect(next.totals.judged?.mode).toBe("incremental");
    expect(await stuckDeals(deals), "the next review ended the flags the change cleared").toEqual([]);
    expect(await fullReviewWrites(asOf), "a full review of the same as-of").toEqual({
      started: 0,
      ended: 0,
      changed: 0,
    });
  });
});

describe("the triggers that mark judgements", () => {
  it("wait on the lock the review holds (the number is written in the migration: the two must agree)", async () => {
    const lock = /pg_advisory_xact_lock\((\d+)\)/.exec(lockFlagsForReviewSql())?.[1];
    expect(lock).toBeDefined();
    const functions = await sql().query<{ name: string; definition: string }>(
      `SELECT p.proname AS name, pg_get_functiondef(p.oid) AS definition FROM pg_proc p
        WHERE p.proname IN ('deal_judgement_activities_added', 'deal_judgement_row_changed',
                            'deal_judgement_deals_changed', 'deal_judgement_owners_moved',
                            'deal_judgement_stages_changed')
        ORDER BY 1`,
    );
    expect(
      functions.map(({ name, definition }) => [name, definition.includes(`pg_advisory_xact_lock_shared(${lock})`)]),
    ).toEqual([
      ["deal_judgement_activities_added", true],
      ["deal_judgement_deals_changed", true],
      ["deal_judgement_owners_moved", true],
      ["deal_judgement_row_changed", true],
      ["deal_judgement_stages_changed", true],
    ]);
  });
});
