import { describe, expect, it } from "vitest";
import {
  DEFAULT_REP_SORT,
  pageOfReps,
  parseRepPage,
  parseRepSort,
  type RepOverviewRow,
  sortRepRows,
} from "./rep-table";

const tally = (count: number, valueCents: number) => ({ count, valueCents });

function row(repName: string, overrides: Partial<RepOverviewRow> = {}): RepOverviewRow {
  return {
    repId: repName.toLowerCase(),
    repName,
    teamName: "Central",
    openDeals: 0,
    openValueCents: 0,
    weightedValueCents: 0,
    stale: tally(0, 0),
    atRisk: tally(0, 0),
    nudge: tally(0, 0),
    flagged: tally(0, 0),
    health: { healthyCents: 0, atRiskCents: 0, staleCents: 0 },
    oldestDealDays: null,
    daysSinceLastActivity: null,
    newPipeline30: tally(0, 0),
    ...overrides,
  };
}

const rows = [
  row("Cleo", { openDeals: 4, stale: tally(1, 500), oldestDealDays: 30, daysSinceLastActivity: 2 }),
  row("ana", { openDeals: 9, stale: tally(3, 9_000), oldestDealDays: 1826, daysSinceLastActivity: 40 }),
  row("Ben"),
  row("Dan", { openDeals: 4, stale: tally(1, 500), oldestDealDays: 12, daysSinceLastActivity: 1 }),
];
const names = (sorted: RepOverviewRow[]) => sorted.map((r) => r.repName);

describe("parseRepSort", () => {
  it.each([
    { params: {}, expected: DEFAULT_REP_SORT },
    { params: { sort: "rep" }, expected: { key: "rep", direction: "asc" } },
    { params: { sort: "openValue" }, expected: { key: "openValue", direction: "desc" } },
    { params: { sort: "oldest", dir: "asc" }, expected: { key: "oldest", direction: "asc" } },
    { params: { sort: "oldest", dir: "sideways" }, expected: { key: "oldest", direction: "desc" } },
    { params: { sort: "dropTable" }, expected: DEFAULT_REP_SORT },
    { params: { sort: ["rep", "stale"] }, expected: DEFAULT_REP_SORT },
  ])("$params → $expected", ({ params, expected }) => {
    expect(parseRepSort(params)).toEqual(expected);
  });
});

describe("sortRepRows", () => {
  it("sorts by stale value, largest first, ties by name", () => {
    expect(names(sortRepRows(rows, DEFAULT_REP_SORT))).toEqual(["ana", "Cleo", "Dan", "Ben"]);
  });

  it("sorts names case-insensitively", () => {
    expect(names(sortRepRows(rows, { key: "rep", direction: "asc" }))).toEqual(["ana", "Ben", "Cleo", "Dan"]);
    expect(names(sortRepRows(rows, { key: "rep", direction: "desc" }))).toEqual(["Dan", "Cleo", "Ben", "ana"]);
  });

  it("keeps reps without deals or activity last in either direction", () => {
    expect(names(sortRepRows(rows, { key: "oldest", direction: "desc" }))).toEqual(["ana", "Cleo", "Dan", "Ben"]);
    expect(names(sortRepRows(rows, { key: "oldest", direction: "asc" }))).toEqual(["Dan", "Cleo", "ana", "Ben"]);
    expect(names(sortRepRows(rows, { key: "lastActivity", direction: "asc" }))).toEqual(["Dan", "Cleo", "ana", "Ben"]);
  });

  it("does not change the list it was given", () => {
    const copy = [...rows];
    sortRepRows(rows, { key: "rep", direction: "asc" });
    expect(rows).toEqual(copy);
  });
});

describe("pages of the rep table", () => {
  const many = Array.from({ length: 450 }, (_, index) => row(`Rep ${String(index + 1).padStart(3, "0")}`));

  it("shows 200 reps a page and says which", () => {
    const second = pageOfReps(many, 2);
    expect(second).toMatchObject({ page: 2, pageCount: 3, first: 201, last: 400, total: 450 });
    expect(second.rows).toHaveLength(200);
    expect(second.rows[0]?.repName).toBe("Rep 201");
  });

  it("shows the last page for a page past the end, and one empty page without reps", () => {
    expect(pageOfReps(many, 9)).toMatchObject({ page: 3, first: 401, last: 450 });
    expect(pageOfReps([], 1)).toMatchObject({ page: 1, pageCount: 1, first: 0, last: 0, total: 0, rows: [] });
  });

  it.each([
    [{}, 1],
    [{ page: "3" }, 3],
    [{ page: "0" }, 1],
    [{ page: "2.5" }, 1],
    [{ page: "abc" }, 1],
    [{ page: ["4", "5"] }, 4],
  ])("reads %o as page %i", (params, page) => {
    expect(parseRepPage(params)).toBe(page);
  });
});
