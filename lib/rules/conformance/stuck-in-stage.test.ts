// SPEC "The rules", stuck-in-stage (at-risk): days in current stage > the
// stage's maxDaysInStage, or else > 2 × the median days won deals spent in
// that stage (won in the lookback window; at least minSample of them). Without
// a known stage entry (no stage history) or enough won deals, "not judged".
// Expected verdicts worked out by hand.
import { describe, expect, it } from "vitest";
import type { WonStageStint } from "../statistics";
import { contextWith, daysBefore, healthyDeal, settingsWith, utcDate } from "../test-support";
import type { DealFacts } from "../types";
import { type Verdict, verdictOf } from "./verdict";

const settings = settingsWith();
const PROPOSAL = 3;

/** Won deals' stints in Proposal of the given lengths, each won `closedDaysAgo` days before AS_OF. */
function stints(lengths: number[], closedDaysAgo = 15, firstDealId = 1000): WonStageStint[] {
  return lengths.map((days, index) => ({
    dealId: firstDealId + index,
    stageId: PROPOSAL,
    enteredAt: daysBefore(closedDaysAgo + 5 + days),
    leftAt: daysBefore(closedDaysAgo + 5),
    closedAt: daysBefore(closedDaysAgo),
  }));
}
const times = (n: number, days: number) => Array.from({ length: n }, () => days);
const inStage = (days: number | null, more: Partial<DealFacts> = {}) =>
  healthyDeal({ stageId: PROPOSAL, stageEnteredAt: days === null ? null : daysBefore(days), ...more });

describe("stuck-in-stage: the stage's own limit (30 days)", () => {
  const context = contextWith();
  it.each<[number, Verdict]>([
    [29, "clear"],
    [30, "clear"],
    [31, "flagged"],
  ])("%i days in the stage → %s", (days, expected) => {
    expect(verdictOf("stuck-in-stage", inStage(days, { stageMaxDaysInStage: 30 }), context, settings)).toBe(expected);
  });
});

describe("stuck-in-stage: 2 × the median won deals spent in the stage", () => {
  // Ten stints of 12 days → median 12 → limit 24.
  const whole = contextWith({ wonStageStints: stints(times(10, 12)) });
  // Five of 12 and five of 13 → median 12.5, unrounded → limit 25.
  const half = contextWith({ wonStageStints: stints([...times(5, 12), ...times(5, 13)]) });
  // Five of 12 and five of 14 → median 13 → limit 26; stuckInStageMultiple 1.5 → 19.5.
  const odd = contextWith({ wonStageStints: stints([...times(5, 12), ...times(5, 14)]) });
  it.each<[string, typeof whole, number, Verdict]>([
    ["median 12: 23 days", whole, 23, "clear"],
    ["median 12: exactly 24 days", whole, 24, "clear"],
    ["median 12: 25 days", whole, 25, "flagged"],
    ["median 12.5: 24 days", half, 24, "clear"],
    ["median 12.5: exactly 25 days (rounding to 13 would say 26)", half, 25, "clear"],
    ["median 12.5: 26 days", half, 26, "flagged"],
  ])("%s → %s", (_case, context, days, expected) => {
    expect(verdictOf("stuck-in-stage", inStage(days), context, settings)).toBe(expected);
  });

  it("follows the multiple setting, unrounded: 1.5 × 13 = 19.5", () => {
    const multiple = settingsWith({ stuckInStageMultiple: 1.5 });
    expect(verdictOf("stuck-in-stage", inStage(19), odd, multiple)).toBe("clear");
    expect(verdictOf("stuck-in-stage", inStage(20), odd, multiple)).toBe("flagged");
  });
});

describe("stuck-in-stage: sample size and lookback", () => {
  it.each<[string, WonStageStint[], Verdict]>([
    ["9 won deals (one short of minSample 10) → not judged", stints(times(9, 12)), "not judged"],
    ["10 won deals → judged: 25 days past 24", stints(times(10, 12)), "flagged"],
    [
      "a 10th stint won 366 days ago is outside the lookback → not judged",
      [...stints(times(9, 12)), ...stints([12], 366, 2000)],
      "not judged",
    ],
    [
      "a 10th stint won exactly 365 days ago is inside → judged",
      [...stints(times(9, 12)), ...stints([12], 365, 2000)],
      "flagged",
    ],
  ])("%s", (_case, wonStageStints, expected) => {
    expect(verdictOf("stuck-in-stage", inStage(25), contextWith({ wonStageStints }), settings)).toBe(expected);
  });
});

describe("stuck-in-stage: unknown stage entry", () => {
  it("is not judged without stage history, even with a day limit", () => {
    expect(verdictOf("stuck-in-stage", inStage(null, { stageMaxDaysInStage: 1 }), contextWith(), settings)).toBe(
      "not judged",
    );
  });

  it("is not judged when the only known entry is after asOf", () => {
    expect(verdictOf("stuck-in-stage", inStage(-2, { stageMaxDaysInStage: 1 }), contextWith(), settings)).toBe(
      "not judged",
    );
  });
});

describe("stuck-in-stage: waivers", () => {
  it.each<[string, "manager_keep" | "waiting_on_buyer", string, Verdict]>([
    ["manager keeps until asOf's day", "manager_keep", "2024-06-14", "waived"],
    ["waiting on the buyer does not hold it back", "waiting_on_buyer", "2024-06-30", "flagged"],
  ])("%s → %s", (_case, kind, until, expected) => {
    const deal = inStage(31, {
      stageMaxDaysInStage: 30,
      waivers: [{ kind, until: utcDate(until), reason: "x", createdAt: daysBefore(2) }],
    });
    expect(verdictOf("stuck-in-stage", deal, contextWith(), settings)).toBe(expected);
  });
});
