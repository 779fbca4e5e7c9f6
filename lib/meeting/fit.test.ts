// A rep's rows cut into screens by their measured heights, and the deck's
// screens re-cut accordingly: rows never lost, doubled or reordered.
import { describe, expect, it } from "vitest";
import { fitMeetingScreens, fitRowsToScreens } from "./fit";
import type { DealRowView, MeetingScreen, RepScreen } from "./screens";

describe("fitRowsToScreens", () => {
  it("fills each screen in order with the rows that fit its room", () => {
    expect(fitRowsToScreens([30, 30, 30, 30, 30], { first: 100, continued: 100 })).toEqual([3, 2]);
    // A two-line and a three-line row take the room of several one-line rows.
    expect(fitRowsToScreens([25, 50, 50, 25, 25], { first: 100, continued: 100 })).toEqual([2, 3]);
    // The first screen has less room (the early-stage line, what changed).
    expect(fitRowsToScreens([40, 40, 40, 40], { first: 50, continued: 120 })).toEqual([1, 3]);
  });

  it("keeps a row exactly as tall as the room, and gives a row taller than a screen a screen of its own", () => {
    expect(fitRowsToScreens([50, 50], { first: 100, continued: 100 })).toEqual([2]);
    expect(fitRowsToScreens([20, 300, 20], { first: 100, continued: 100 })).toEqual([1, 1, 1]);
  });

  it("gives a rep without rows one screen", () => {
    expect(fitRowsToScreens([], { first: 100, continued: 100 })).toEqual([0]);
  });
});

function row(dealId: number): DealRowView {
  return {
    dealId,
    version: 0,
    name: `Deal ${dealId}`,
    account: null,
    stage: "Proposal",
    early: false,
    status: null,
    open: true,
    amount: "$1,000",
    age: "10 d",
    ageMultiple: null,
    flaggedFor: null,
    daysInStage: "3 days",
    mainFlag: null,
    otherFlags: [],
    waiver: null,
    outcome: null,
    previousStage: "Demo",
  };
}

function repScreen(repId: string, page: number, pages: number, deals: DealRowView[] | null): RepScreen {
  return {
    kind: "rep",
    key: `rep-${repId}-${page}`,
    title: pages > 1 ? `${repId} (${page}/${pages})` : repId,
    repId,
    repName: repId,
    team: "Central",
    page,
    pages,
    headline: [],
    flags: [],
    earlyLine: page === 1 ? "No other early-stage deals." : null,
    firstRow: (page - 1) * 10 + 1,
    totalRows: 12,
    deals,
  };
}

const rows = Array.from({ length: 12 }, (_, index) => row(index + 1));
const summary = { kind: "summary", key: "summary", title: "Pipeline meeting" } as MeetingScreen;
const decisions = { kind: "decisions", key: "decisions-1", title: "Decisions taken" } as MeetingScreen;
/** As the server sends them: Ana's 12 rows on 10 + 2, Ben's not loaded yet. */
const fromServer: MeetingScreen[] = [
  summary,
  repScreen("Ana", 1, 2, rows.slice(0, 10)),
  repScreen("Ana", 2, 2, rows.slice(10)),
  repScreen("Ben", 1, 1, null),
  decisions,
];

describe("fitMeetingScreens", () => {
  it("re-cuts a measured rep's screens, titles and row numbers, and leaves the others alone", () => {
    const fitted = fitMeetingScreens(fromServer, {}, { Ana: [5, 5, 2] });
    expect(fitted.map((screen) => screen.title)).toEqual([
      "Pipeline meeting",
      "Ana (1/3)",
      "Ana (2/3)",
      "Ana (3/3)",
      "Ben",
      "Decisions taken",
    ]);
    const ana = fitted.filter((screen): screen is RepScreen => screen.kind === "rep" && screen.repId === "Ana");
    expect(ana.map((screen) => [screen.firstRow, screen.deals?.map((deal) => deal.dealId)])).toEqual([
      [1, [1, 2, 3, 4, 5]],
      [6, [6, 7, 8, 9, 10]],
      [11, [11, 12]],
    ]);
    expect(ana.map((screen) => screen.earlyLine)).toEqual(["No other early-stage deals.", null, null]);
    expect(ana.map((screen) => screen.key)).toEqual(["rep-Ana-1", "rep-Ana-2", "rep-Ana-3"]);
  });

  it("puts rows loaded later on the rep's screens, by the estimate until they are measured", () => {
    const benRows = Array.from({ length: 3 }, (_, index) => row(100 + index));
    const estimated = fitMeetingScreens(fromServer, { Ben: benRows }, {});
    expect(estimated.find((screen) => screen.kind === "rep" && screen.repId === "Ben")).toMatchObject({
      title: "Ben",
      deals: benRows,
    });
    const measured = fitMeetingScreens(fromServer, { Ben: benRows }, { Ben: [2, 1] });
    expect(
      measured.flatMap((screen) =>
        screen.kind === "rep" && screen.repId === "Ben" ? [[screen.title, screen.deals?.length]] : [],
      ),
    ).toEqual([
      ["Ben (1/2)", 2],
      ["Ben (2/2)", 1],
    ]);
  });

  it("ignores sizes measured for other rows (e.g. before a decision reloaded them) rather than drop or double rows", () => {
    const fitted = fitMeetingScreens(fromServer, {}, { Ana: [5, 5] });
    expect(fitted.map((screen) => screen.title)).toEqual(fromServer.map((screen) => screen.title));
    const shown = fitted.flatMap((screen) => (screen.kind === "rep" ? (screen.deals ?? []) : []));
    expect(shown.map((deal) => deal.dealId)).toEqual(rows.map((deal) => deal.dealId));
  });
});
