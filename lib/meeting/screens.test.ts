// The meeting's screens from an agenda: their order and titles, a rep spread
// over several screens, the early-stage line, results in words, and the
// meeting before the first review.
import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import type { MeetingAgenda, MeetingDealRow, MeetingDecision, MeetingFigures, MeetingRep } from "./types";
import { buildMeetingScreens, describeOutcome, nameWithoutAccount, type RepScreen } from "./screens";
import { dealsOnPage, paginate } from "./types";

const money = (value: number) => new Prisma.Decimal(value);

function figures(open = 100_000, stale = 40_000): MeetingFigures {
  return {
    openDeals: 10,
    openValue: money(open),
    weightedValue: money(open / 2),
    staleDeals: 2,
    staleValue: money(stale),
    staleShare: stale / open,
    flaggedDeals: 3,
    flaggedValue: money(stale + 5_000),
    bySeverity: {
      stale: { deals: 2, value: money(stale) },
      at_risk: { deals: 1, value: money(5_000) },
      nudge: { deals: 0, value: money(0) },
    },
    newPipelineDeals: 1,
    newPipelineValue: money(8_000),
    quota: {
      amount: money(60_000),
      won: money(10_000),
      remaining: money(50_000),
      periodStart: new Date("2026-04-01T00:00:00Z"),
      periodEnd: new Date("2026-06-30T00:00:00Z"),
    },
    coverage: { raw: 2, adjusted: 1.2 },
  };
}

function deal(id: number, overrides: Partial<MeetingDealRow> = {}): MeetingDealRow {
  return {
    id,
    name: `Deal ${id}`,
    version: 0,
    accountName: "Acme",
    stageName: "Proposal",
    early: false,
    status: "open",
    amount: money(1_000 * id),
    currency: "USD",
    ageDays: 200,
    cycleMultiple: 2.2,
    daysInStage: 40,
    flags: [],
    flaggedFor: null,
    flaggedDays: null,
    waiver: null,
    decision: null,
    previousStageName: "Demo",
    ...overrides,
  };
}

function rep(name: string, deals: MeetingDealRow[], early = { deals: 12, value: money(340_000) }): MeetingRep {
  return {
    repId: name,
    repName: name,
    teamName: "Central",
    figures: figures(),
    daysSinceLastNewDeal: 3,
    flags: [],
    earlyGroup: early,
    discussedDeals: deals.length,
    deals,
    dealsLoaded: true,
  };
}

function agenda(reps: MeetingRep[], withReview = true): MeetingAgenda {
  return {
    asOf: new Date("2026-06-15T15:00:00Z"),
    review: withReview
      ? {
          id: 7,
          at: new Date("2026-06-15T09:00:00Z"),
          asOf: new Date("2026-06-15T15:00:00Z"),
          byName: "Carla",
          teamId: null,
        }
      : null,
    summary: figures(),
    teamWarnings: [],
    trend: [],
    reps,
  };
}

const options = { currency: "USD", scopeName: "Central team" };

describe("buildMeetingScreens", () => {
  it("goes summary → each rep (several screens past 10 deals) → decisions", () => {
    const many = Array.from({ length: 17 }, (_, index) => deal(index + 1));
    const screens = buildMeetingScreens(agenda([rep("Ana", many), rep("Ben", [deal(99)])]), [], options);
    expect(screens.map((screen) => screen.title)).toEqual([
      "Pipeline meeting",
      "Ana (1/2)",
      "Ana (2/2)",
      "Ben",
      "Decisions taken",
    ]);
    const [, first, second] = screens as [unknown, RepScreen, RepScreen];
    expect(first.deals).toHaveLength(10);
    // (The compact money format is lib/format's: "$340K" or "$340.0K".)
    expect(first.earlyLine).toMatch(/^12 early-stage deals, \$340(\.0)?K — anything new\?$/);
    expect(second.earlyLine).toBeNull();
    expect([second.firstRow, second.totalRows, second.deals?.length]).toEqual([11, 17, 7]);
  });

  it("knows a rep's screens before their deals are loaded, and leaves the rows to load", () => {
    const notLoaded: MeetingRep = { ...rep("Cleo", []), discussedDeals: 30, dealsLoaded: false };
    const screens = buildMeetingScreens(agenda([rep("Ana", [deal(1)]), notLoaded]), [], options);
    expect(screens.map((screen) => screen.title)).toEqual([
      "Pipeline meeting",
      "Ana",
      "Cleo (1/3)",
      "Cleo (2/3)",
      "Cleo (3/3)",
      "Decisions taken",
    ]);
    const cleo = screens.filter((screen): screen is RepScreen => screen.kind === "rep" && screen.repId === "Cleo");
    expect(cleo.map((screen) => [screen.firstRow, screen.totalRows, screen.deals])).toEqual([
      [1, 30, null],
      [11, 30, null],
      [21, 30, null],
    ]);
  });

  it("puts rows past the count the agenda knew on the last screen rather than hide them", () => {
    const rows = Array.from({ length: 27 }, (_, index) => index + 1);
    expect(dealsOnPage(rows, 1, 2)).toHaveLength(10);
    expect(dealsOnPage(rows, 2, 2)).toEqual(rows.slice(10));
    expect(paginate([])).toEqual([[]]);
  });

  it("before the first review shows only the summary, without flag-based figures", () => {
    const screens = buildMeetingScreens(agenda([rep("Ana", [deal(1)])], false), [], options);
    expect(screens).toHaveLength(1);
    const [summary] = screens;
    if (summary?.kind !== "summary") throw new Error("expected the summary");
    expect(summary.review).toBeNull();
    expect(summary.figures.map((figure) => figure.label)).toEqual(["Open pipeline"]);
    expect(summary.severities).toEqual([]);
    expect(summary.agenda).toBe("1 rep to go through once the review has run.");
  });

  it("labels the severity counts as a breakdown of the flagged deals, on the summary and each rep's screen", () => {
    const [summary, ana] = buildMeetingScreens(agenda([rep("Ana", [deal(1)])]), [], options);
    if (summary?.kind !== "summary" || ana?.kind !== "rep") throw new Error("expected the summary, then Ana");
    expect(summary.flaggedBreakdown).toBe("3 flagged: 2 stale, 1 at risk");
    expect(ana.headline.find((figure) => figure.label === "Flagged")?.hint).toBe("3 flagged: 2 stale, 1 at risk");
  });

  it("shows a decided deal's result and lists the decisions in words", () => {
    const decided = deal(5, {
      stageName: "Demo",
      decision: { action: "move_back", reason: "stalled", details: { from: "Proposal", to: "Demo" }, at: new Date() },
    });
    const decision: MeetingDecision = {
      id: 1,
      at: new Date(),
      action: "move_back",
      reason: "stalled",
      details: { from: "Proposal", to: "Demo" },
      deal: { id: 5, name: "Deal 5", accountName: "Acme", ownerName: "Ana", amount: money(5_000), currency: "USD" },
      byName: "Carla",
      inMeeting: true,
    };
    const onDealPage: MeetingDecision = {
      ...decision,
      id: 2,
      action: "remove",
      details: { stage: "Demo" },
      byName: "Ana",
      inMeeting: false,
    };
    const screens = buildMeetingScreens(agenda([rep("Ana", [decided])]), [decision, onDealPage], options);
    const repScreen = screens[1] as RepScreen;
    expect(repScreen.deals?.[0]?.outcome).toBe("Moved back to Demo");
    const last = screens.at(-1);
    if (last?.kind !== "decisions") throw new Error("expected the decisions");
    expect(last.summary).toBe("2 decisions: 1 moved back a stage · 1 removed: closed lost");
    expect(last.rows[0]).toMatchObject({ deal: "Deal 5", rep: "Ana", outcome: "Moved back to Demo", by: "Carla" });
    // Taken on the deal's page during the meeting's period: counted, and says where.
    expect(last.rows[1]).toMatchObject({ outcome: "Removed: closed lost", by: "Ana (on the deal's page)" });
    const summary = screens[0];
    if (summary?.kind !== "summary") throw new Error("expected the summary");
    expect(summary.decisionsSoFar).toBe(2);
  });
});

describe("describeOutcome", () => {
  it("says what each decision did", () => {
    expect(describeOutcome("keep_with_waiver", { until: "2026-06-29" })).toBe("Kept until Jun 29, 2026");
    expect(describeOutcome("remove", { stage: "Demo" })).toBe("Removed: closed lost");
    expect(describeOutcome("return_to_prospecting", null)).toBe("Returned to prospecting");
  });
});

describe("nameWithoutAccount: the account is not repeated in the deal's name", () => {
  it.each([
    ["Brightwater Logistics — Fleet visibility platform", "Brightwater Logistics", "Fleet visibility platform"],
    ["brightwater logistics - Fleet visibility", "Brightwater Logistics", "Fleet visibility"],
    ["Acme: Renewal 2027", "Acme", "Renewal 2027"],
    ["Acmeco expansion", "Acme", "Acmeco expansion"],
    ["Fleet visibility platform", "Brightwater Logistics", "Fleet visibility platform"],
    ["Acme", "Acme", "Acme"],
    ["Acme — Renewal", null, "Acme — Renewal"],
  ])("%j at %j → %j", (name, account, shown) => {
    expect(nameWithoutAccount(name, account)).toBe(shown);
  });
});
