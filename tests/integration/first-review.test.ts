// The first review — no flag current anywhere — takes its own short path
// (lib/reviews/flag-episodes.ts startEveryEpisode; lib/reviews/mutations.ts
// shifts the rep figures from zero instead of recounting every rep). Here it
// must leave exactly what the general path leaves: a full review of the same
// as-of right after it, which matches against the episodes just written,
// finds nothing to start, end or change, and every rep's figures equal a
// recount from scratch.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { refreshRepFigures } from "@/lib/figures/mutations";
import { runReview } from "@/lib/reviews/mutations";
import type { PhaseTime } from "@/lib/reviews/phases";
import { resetDatabase } from "../fixtures/reset-database";
import { AS_OF, type SmallOrg } from "../fixtures/small-org";
import { createRandomPipeline, ONE_BUYER_ACTIVITY } from "./support/random-pipeline";
import { fullReviewOf, query, sql, storedState } from "./support/review-comparison";

let org: SmallOrg;

beforeEach(async () => {
  await resetDatabase();
  org = await createRandomPipeline(7, ONE_BUYER_ACTIVITY);
  // Kept on write before any review: no flag, so every flag column is zero.
  await refreshRepFigures(query, "everyone");
});

const firstReview = (teamId: string | null) =>
  runReview(sql(), { actorId: null, teamId, asOf: AS_OF, now: AS_OF, fromHistory: false });

describe("the first review (no flag current before it)", () => {
  it("starts every episode and leaves what a full review of the same as-of leaves", async () => {
    const first = await firstReview(null);
    expect(first.episodes.noneBefore).toBe(true);
    expect(first.episodes.ended).toBe(0);
    expect(first.episodes.changed).toBe(0);
    const [current] = await query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "Flag" WHERE "endedAt" IS NULL`,
    );
    expect(first.episodes.started).toBe(Number(current?.count));
    expect(first.episodes.started).toBeGreaterThan(0);
    const flaggedDeals = new Set(
      first.evaluation.dealVerdicts.filter((verdict) => verdict.flags.length > 0).map((verdict) => verdict.dealId),
    );
    expect(new Set(first.episodes.dealIds)).toEqual(flaggedDeals);

    const after = await storedState(query);
    const full = await fullReviewOf(AS_OF, null);
    expect(full.episodes).toEqual({ started: 0, ended: 0, changed: 0 });
    // Flags, snapshots and every rep's figures (recounted from scratch in the full review's transaction).
    expect(after).toEqual(full.state);
  });

  it("counts a rep who has no figures row yet", async () => {
    await db.repFigures.delete({ where: { repId: org.people.ana.userId } });
    await firstReview(null);
    const after = await storedState(query);
    expect(after.figures.map((row: { repId: string }) => row.repId)).toContain(org.people.ana.userId);
    expect(after).toEqual((await fullReviewOf(AS_OF, null)).state);
  });

  it("of one team leaves the other team's figures as they were and its own as a recount", async () => {
    const before = await storedState(query);
    const first = await firstReview(org.teams.central);
    expect(first.episodes.noneBefore).toBe(true);
    const after = await storedState(query);
    const west = (state: typeof after) =>
      state.figures.filter((row: { repId: string }) => row.repId === org.people.wes.userId);
    expect(west(after)).toEqual(west(before));
    const full = await fullReviewOf(AS_OF, org.teams.central);
    expect(full.episodes).toEqual({ started: 0, ended: 0, changed: 0 });
    expect(after).toEqual(full.state);
  });

  it("tells a listener each step it took, in order, as the bench prints them", async () => {
    const phases: PhaseTime[] = [];
    await runReview(sql(), {
      actorId: null,
      teamId: null,
      asOf: AS_OF,
      now: AS_OF,
      fromHistory: false,
      onPhase: (time) => phases.push(time),
    });
    expect(phases.map((time) => time.phase)).toEqual([
      "lock",
      "rule basis",
      "plan",
      // evaluateScope's parts, each told when it ends, then the whole step.
      "evaluate/deals",
      "evaluate/reps",
      "evaluate/teams",
      "evaluate/rules",
      "evaluate",
      "summarise",
      "flag episodes",
      "judgements",
      "analyze",
      "rep figures",
      "snapshots",
      "week totals",
    ]);
    for (const time of phases) {
      expect(time.ms).toBeGreaterThanOrEqual(0);
      expect(time.cpuMs).toBeGreaterThanOrEqual(0);
    }
  });
});
