import { describe, expect, it } from "vitest";
import { evaluateDeal } from "./deal-rules";
import { DEFAULT_RULE_SETTINGS } from "./settings";
import { AS_OF, contextWith, daysBefore, healthyDeal, settingsWith, utcDate } from "./test-support";
import type { DealFacts, DealWaiver, WaiverKind } from "./types";
import { latestKeepUntil, waiverCovers } from "./waivers";

// Past its time (stale), one-sided (at risk) and a follow-up gap (nudge) at once.
const neglected = (waivers: DealWaiver[]): DealFacts =>
  healthyDeal({
    openedAt: daysBefore(200),
    lastActivityAt: daysBefore(20),
    lastSellerActivityAt: daysBefore(20),
    lastBuyerActivityAt: null,
    lastForwardMoveAt: null,
    sellerActivitiesInWindow: 6,
    buyerActivitiesInWindow: 0,
    waivers,
  });

const waiver = (kind: WaiverKind, untilDay: string, more: Partial<DealWaiver> = {}): DealWaiver => ({
  kind,
  until: utcDate(untilDay),
  reason: kind === "manager_keep" ? "Budget signed off in July" : "Buyer on leave until the 20th",
  ...more,
});

function rulesOf(waivers: DealWaiver[], asOf: Date = AS_OF, settings = DEFAULT_RULE_SETTINGS) {
  const verdict = evaluateDeal(neglected(waivers), contextWith(), settings, asOf);
  return {
    shown: verdict.flags.map((f) => f.rule),
    waived: verdict.suppressed.map((s) => s.flag.rule),
  };
}

const ALL = ["past-its-time", "one-sided", "follow-up-gap"];

describe("waivers (asOf Jun 14 2024)", () => {
  it("without a waiver the deal has three flags", () => {
    expect(rulesOf([])).toEqual({ shown: ALL, waived: [] });
  });

  it.each([
    {
      case: "waiting on buyer until Jun 20",
      waivers: [waiver("waiting_on_buyer", "2024-06-20")],
      shown: ["past-its-time", "one-sided"],
    },
    {
      case: "waiting on buyer until Jun 14 (its last day)",
      waivers: [waiver("waiting_on_buyer", "2024-06-14")],
      shown: ["past-its-time", "one-sided"],
    },
    {
      case: "waiting on buyer until Jun 13 (expired)",
      waivers: [waiver("waiting_on_buyer", "2024-06-13")],
      shown: ALL,
    },
    { case: "manager keeps until Jul 1", waivers: [waiver("manager_keep", "2024-07-01")], shown: [] },
    { case: "manager keeps until Jun 14 (its last day)", waivers: [waiver("manager_keep", "2024-06-14")], shown: [] },
    { case: "manager kept until Jun 13 (expired)", waivers: [waiver("manager_keep", "2024-06-13")], shown: ALL },
    {
      case: "a keep granted 40 days ago runs out after 30 days, whatever its date says",
      waivers: [waiver("manager_keep", "2024-07-01", { createdAt: daysBefore(40) })],
      shown: ALL,
    },
    {
      case: "a keep granted 30 days ago is on its last day",
      waivers: [waiver("manager_keep", "2024-07-01", { createdAt: daysBefore(30) })],
      shown: [],
    },
    {
      case: "a waiver granted after asOf is not in effect yet (history review)",
      waivers: [waiver("manager_keep", "2024-07-01", { createdAt: daysBefore(-1) })],
      shown: ALL,
    },
    {
      case: "a waiver replaced before asOf no longer applies",
      waivers: [waiver("waiting_on_buyer", "2024-07-01", { endedAt: daysBefore(1) })],
      shown: ALL,
    },
    {
      case: "a waiver replaced after asOf still applied on asOf",
      waivers: [waiver("waiting_on_buyer", "2024-07-01", { endedAt: daysBefore(-1) })],
      shown: ["past-its-time", "one-sided"],
    },
  ])("$case → shown: $shown", ({ waivers, shown }) => {
    const result = rulesOf(waivers);
    expect(result.shown).toEqual(shown);
    expect([...result.shown, ...result.waived].sort()).toEqual([...ALL].sort()); // nothing dropped
  });

  it("returns what was held back with the waiver, for 'would be flagged — waived until …'", () => {
    const verdict = evaluateDeal(
      neglected([waiver("waiting_on_buyer", "2024-06-20")]),
      contextWith(),
      DEFAULT_RULE_SETTINGS,
      AS_OF,
    );
    expect(verdict.suppressed.map(({ flag, waiver: w }) => ({ rule: flag.rule, ...w }))).toEqual([
      {
        rule: "follow-up-gap",
        kind: "waiting_on_buyer",
        until: utcDate("2024-06-20"),
        reason: "Buyer on leave until the 20th",
      },
    ]);
    // SPEC: waiting on the buyer suppresses only the follow-up nudge; one-sided still shows.
    expect(verdict.flags.map((flag) => flag.rule)).toEqual(["past-its-time", "one-sided"]);
    expect(verdict.flags[1]?.explanation).toBe(
      "6 seller activities and no buyer activity in the last 30 days (none ever recorded; limit 5 activities, organisation default).",
    );
  });

  it("names the waiver that lasts longest when two apply", () => {
    const verdict = evaluateDeal(
      neglected([waiver("waiting_on_buyer", "2024-06-30"), waiver("manager_keep", "2024-06-20")]),
      contextWith(),
      DEFAULT_RULE_SETTINGS,
      AS_OF,
    );
    expect(verdict.suppressed.map((s) => [s.flag.rule, s.waiver.kind])).toEqual([
      ["past-its-time", "manager_keep"],
      ["one-sided", "manager_keep"],
      ["follow-up-gap", "waiting_on_buyer"],
    ]);
  });

  it("reports a capped keep with the day it really ends", () => {
    const verdict = evaluateDeal(
      neglected([waiver("manager_keep", "2024-09-01", { createdAt: daysBefore(10) })]),
      contextWith(),
      DEFAULT_RULE_SETTINGS,
      AS_OF,
    );
    // Granted Jun 4 → last day Jul 4.
    expect(verdict.suppressed[0]?.waiver.until).toEqual(utcDate("2024-07-04"));
  });

  it.each([
    // Jun 14 19:30 in New York: still Jun 14 in UTC, the waiver's last day.
    { asOf: "2024-06-14T23:30:00Z", active: true },
    // Jun 14 20:30 in New York, but Jun 15 in UTC: expired. Days are UTC days.
    { asOf: "2024-06-15T00:30:00Z", active: false },
  ])("waiver until Jun 14 at $asOf → active: $active", ({ asOf, active }) => {
    const result = rulesOf([waiver("manager_keep", "2024-06-14")], new Date(asOf));
    expect(result.shown.length === 0).toBe(active);
  });
});

describe("waiverCovers", () => {
  it.each([
    ["waiting_on_buyer", "follow-up-gap", true],
    ["waiting_on_buyer", "one-sided", false],
    ["waiting_on_buyer", "past-its-time", false],
    ["waiting_on_buyer", "untouched", false],
    ["waiting_on_buyer", "stuck-in-stage", false],
    ["waiting_on_buyer", "close-date-slipping", false],
    ["manager_keep", "past-its-time", true],
    ["manager_keep", "untouched", true],
    ["manager_keep", "follow-up-gap", true],
  ] as const)("%s covers %s: %s", (kind, rule, covers) => {
    expect(waiverCovers(kind, rule)).toBe(covers);
  });
});

describe("latestKeepUntil (for the keep-with-waiver form)", () => {
  it.each([
    { grantedAt: "2024-06-14T15:00:00Z", maxDays: 30, latest: "2024-07-14" },
    { grantedAt: "2024-06-14T23:59:00Z", maxDays: 30, latest: "2024-07-14" },
    { grantedAt: "2024-02-15T10:00:00Z", maxDays: 14, latest: "2024-02-29" },
  ])("granted $grantedAt, at most $maxDays days → $latest", ({ grantedAt, maxDays, latest }) => {
    expect(latestKeepUntil(new Date(grantedAt), settingsWith({ maxKeepWaiverDays: maxDays }))).toEqual(utcDate(latest));
  });
});
