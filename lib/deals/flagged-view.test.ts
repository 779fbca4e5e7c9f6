import { describe, expect, test } from "vitest";
import {
  type FlaggedDealFacts,
  flaggedDealsQuery,
  flaggedForDays,
  matchesFlaggedView,
  pageOf,
  parseFlaggedDealsView,
} from "./flagged-view";

const asOf = new Date("2026-12-05T12:00:00Z");
const daysAgo = (n: number) => new Date(asOf.getTime() - n * 86_400_000);

const deal = (overrides: Partial<FlaggedDealFacts> = {}): FlaggedDealFacts => ({
  ownerId: "rep-1",
  stageId: 3,
  flags: [
    { rule: "past-its-time", severity: "stale", startedAt: daysAgo(100) },
    { rule: "follow-up-gap", severity: "nudge", startedAt: daysAgo(10) },
  ],
  ...overrides,
});

describe("parseFlaggedDealsView", () => {
  test("reads every filter from the URL", () => {
    expect(
      parseFlaggedDealsView(new URLSearchParams("rule=past-its-time&severity=stale&rep=u1&stage=4&weeks=6&page=3")),
    ).toEqual({ rule: "past-its-time", severity: "stale", repId: "u1", stageId: 4, minWeeks: 6, page: 3 });
  });
  test("drops what it does not know instead of failing", () => {
    expect(
      parseFlaggedDealsView({ rule: "no-new-pipeline", severity: "bad", stage: "x", weeks: "-2", page: "0" }),
    ).toEqual({ rule: null, severity: null, repId: null, stageId: null, minWeeks: null, page: 1 });
  });
  test("round-trips through the query, leaving page 1 out", () => {
    const view = parseFlaggedDealsView({ rule: "untouched", weeks: "4", page: "1" });
    expect(flaggedDealsQuery(view)).toBe("rule=untouched&weeks=4");
    expect(flaggedDealsQuery(view, { page: 2 })).toBe("rule=untouched&weeks=4&page=2");
  });
});

describe("matchesFlaggedView", () => {
  const any = parseFlaggedDealsView({});
  test.each([
    ["no filter", {}, true],
    ["its rep", { rep: "rep-1" }, true],
    ["another rep", { rep: "rep-2" }, false],
    ["another stage", { stage: "4" }, false],
    ["its rule", { rule: "past-its-time" }, true],
    ["a rule it does not have", { rule: "untouched" }, false],
    ["a severity it does not have", { severity: "at_risk" }, false],
    ["flagged more than 15 weeks (100 days < 105)", { weeks: "15" }, false],
    ["flagged more than 14 weeks (100 days > 98)", { weeks: "14" }, true],
    ["the nudge alone for more than 2 weeks (10 days)", { rule: "follow-up-gap", weeks: "2" }, false],
    ["the nudge alone for more than 1 week (10 days)", { rule: "follow-up-gap", weeks: "1" }, true],
  ])("%s", (_, params, expected) => {
    expect(matchesFlaggedView(deal(), parseFlaggedDealsView(params), asOf)).toBe(expected);
  });
  test("flagged for: from the earliest matching episode", () => {
    expect(flaggedForDays(deal(), any, asOf)).toBe(100);
    expect(flaggedForDays(deal(), parseFlaggedDealsView({ severity: "nudge" }), asOf)).toBe(10);
    expect(flaggedForDays(deal({ flags: [] }), any, asOf)).toBeNull();
  });
});

describe("pageOf", () => {
  const rows = Array.from({ length: 120 }, (_, i) => i + 1);
  test("pages of 50, positions 1-based", () => {
    expect(pageOf(rows, 2)).toMatchObject({ total: 120, page: 2, pageCount: 3, from: 51, to: 100 });
    expect(pageOf(rows, 3).rows).toEqual(rows.slice(100));
  });
  test("a page past the end shows the last one; nothing is an empty first page", () => {
    expect(pageOf(rows, 9)).toMatchObject({ page: 3, from: 101, to: 120 });
    expect(pageOf([], 4)).toMatchObject({ rows: [], page: 1, pageCount: 1, from: 0, to: 0 });
  });
});
