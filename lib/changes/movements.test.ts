// Movements between two instants, hand-computed deal by deal, and the
// waterfall identity: open value at `from` + the signed movements = open
// value at `to`, to the cent.
import { describe, expect, it } from "vitest";
import {
  computeChanges,
  type DealHistory,
  dealChanges,
  type MovementKind,
  WATERFALL_MOVEMENTS,
  waterfallEnd,
} from "./movements";

const FROM = new Date("2026-11-28T12:00:00Z");
const TO = new Date("2026-12-05T12:00:00Z");
const window = { from: FROM, to: TO };
/** An instant `days` after FROM (negative: before it). */
const at = (days: number) => new Date(FROM.getTime() + days * 86_400_000);
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

function deal(overrides: Partial<DealHistory> = {}): DealHistory {
  return {
    id: 1,
    ownerId: "rep-a",
    teamId: "team-1",
    status: "open",
    amountCents: 100_000,
    openedAt: at(-60),
    closedAt: null,
    stageChanges: [],
    amountChanges: [],
    closeDateChanges: [],
    flags: [],
    ...overrides,
  };
}

interface Case {
  name: string;
  deal: DealHistory;
  openAtFrom: number | null;
  openAtTo: number | null;
  movements: Partial<Record<MovementKind, number>>;
}

const cases: Case[] = [
  {
    name: "an open deal nobody touched: open at both ends, no movement",
    deal: deal(),
    openAtFrom: 100_000,
    openAtTo: 100_000,
    movements: {},
  },
  {
    name: "opened in the window",
    deal: deal({
      openedAt: at(2),
      stageChanges: [{ at: at(2), fromStatus: null, toStatus: "open", direction: "created" }],
    }),
    openAtFrom: null,
    openAtTo: 100_000,
    movements: { opened: 100_000 },
  },
  {
    name: "opened after `to` (a fixed as-of in the past): not there at either end",
    deal: deal({
      openedAt: at(9),
      stageChanges: [{ at: at(9), fromStatus: null, toStatus: "open", direction: "created" }],
    }),
    openAtFrom: null,
    openAtTo: null,
    movements: {},
  },
  {
    name: "won in the window, at its amount while open",
    deal: deal({
      status: "won",
      closedAt: at(3),
      stageChanges: [{ at: at(3), fromStatus: "open", toStatus: "won", direction: "won" }],
    }),
    openAtFrom: 100_000,
    openAtTo: null,
    movements: { won: 100_000 },
  },
  {
    name: "won with no history row (an import): closedAt says when",
    deal: deal({ status: "won", closedAt: at(3) }),
    openAtFrom: 100_000,
    openAtTo: null,
    movements: { won: 100_000 },
  },
  {
    name: "removed as lost",
    deal: deal({
      status: "lost",
      closedAt: at(1),
      stageChanges: [{ at: at(1), fromStatus: "open", toStatus: "lost", direction: "lost" }],
    }),
    openAtFrom: 100_000,
    openAtTo: null,
    movements: { lost: 100_000 },
  },
  {
    name: "returned to prospecting",
    deal: deal({
      status: "prospect",
      stageChanges: [{ at: at(4), fromStatus: "open", toStatus: "prospect", direction: "to_prospect" }],
    }),
    openAtFrom: 100_000,
    openAtTo: null,
    movements: { to_prospecting: 100_000 },
  },
  {
    name: "a prospect reopened: opened at its amount",
    deal: deal({
      openedAt: at(5),
      stageChanges: [{ at: at(5), fromStatus: "prospect", toStatus: "open", direction: "reopened" }],
    }),
    openAtFrom: null,
    openAtTo: 100_000,
    movements: { opened: 100_000 },
  },
  {
    name: "amount up twice and down once: each way summed, the deal counted once per way",
    deal: deal({
      amountCents: 130_000,
      amountChanges: [
        { at: at(1), fromCents: 100_000, toCents: 150_000 },
        { at: at(2), fromCents: 150_000, toCents: 120_000 },
        { at: at(3), fromCents: 120_000, toCents: 130_000 },
      ],
    }),
    openAtFrom: 100_000,
    openAtTo: 130_000,
    movements: { amount_up: 60_000, amount_down: 30_000 },
  },
  {
    name: "an amount change after `to` is read back: the deal was at its old amount",
    deal: deal({ amountCents: 90_000, amountChanges: [{ at: at(10), fromCents: 70_000, toCents: 90_000 }] }),
    openAtFrom: 70_000,
    openAtTo: 70_000,
    movements: {},
  },
  {
    name: "amount raised then won: the raise, then won at the raised amount",
    deal: deal({
      status: "won",
      closedAt: at(4),
      amountCents: 120_000,
      amountChanges: [{ at: at(2), fromCents: 100_000, toCents: 120_000 }],
      stageChanges: [{ at: at(4), fromStatus: "open", toStatus: "won", direction: "won" }],
    }),
    openAtFrom: 100_000,
    openAtTo: null,
    movements: { amount_up: 20_000, won: 120_000 },
  },
  {
    name: "won and re-priced at the same instant: won at the amount while open",
    deal: deal({
      status: "won",
      closedAt: at(4),
      amountCents: 80_000,
      amountChanges: [{ at: at(4), fromCents: 100_000, toCents: 80_000 }],
      stageChanges: [{ at: at(4), fromStatus: "open", toStatus: "won", direction: "won" }],
    }),
    openAtFrom: 100_000,
    openAtTo: null,
    movements: { won: 100_000 },
  },
  {
    name: "an amount change while a prospect moves nothing",
    deal: deal({
      status: "prospect",
      amountCents: 50_000,
      stageChanges: [{ at: at(-10), fromStatus: "open", toStatus: "prospect", direction: "to_prospect" }],
      amountChanges: [{ at: at(2), fromCents: 100_000, toCents: 50_000 }],
    }),
    openAtFrom: null,
    openAtTo: null,
    movements: {},
  },
  {
    name: "opened and lost inside the window: in and out at the same amount",
    deal: deal({
      status: "lost",
      openedAt: at(1),
      closedAt: at(6),
      stageChanges: [
        { at: at(1), fromStatus: null, toStatus: "open", direction: "created" },
        { at: at(6), fromStatus: "open", toStatus: "lost", direction: "lost" },
      ],
    }),
    openAtFrom: null,
    openAtTo: null,
    movements: { opened: 100_000, lost: 100_000 },
  },
  {
    name: "moved forward then back: both counted, value unchanged",
    deal: deal({
      stageChanges: [
        { at: at(1), fromStatus: "open", toStatus: "open", direction: "forward" },
        { at: at(5), fromStatus: "open", toStatus: "open", direction: "back" },
      ],
    }),
    openAtFrom: 100_000,
    openAtTo: 100_000,
    movements: { moved_forward: 100_000, moved_back: 100_000 },
  },
  {
    name: "close date pushed out twice: one deal, at its amount",
    deal: deal({
      closeDateChanges: [
        { at: at(1), fromDate: day("2026-12-10"), toDate: day("2026-12-31"), isPush: true },
        { at: at(3), fromDate: day("2026-12-31"), toDate: day("2027-01-31"), isPush: true },
      ],
    }),
    openAtFrom: 100_000,
    openAtTo: 100_000,
    movements: { pushed_out: 100_000 },
  },
  {
    name: "close date pulled in; one set for the first time is neither",
    deal: deal({
      closeDateChanges: [
        { at: at(1), fromDate: null, toDate: day("2026-12-31"), isPush: false },
        { at: at(2), fromDate: day("2026-12-31"), toDate: day("2026-12-20"), isPush: false },
      ],
    }),
    openAtFrom: 100_000,
    openAtTo: 100_000,
    movements: { pulled_in: 100_000 },
  },
  {
    name: "a close-date change before the window is not this week's",
    deal: deal({
      closeDateChanges: [{ at: at(-1), fromDate: day("2026-12-10"), toDate: day("2026-12-31"), isPush: true }],
    }),
    openAtFrom: 100_000,
    openAtTo: 100_000,
    movements: {},
  },
  {
    name: "newly flagged: an episode started in the window and still current",
    deal: deal({ flags: [{ startedAt: at(2), endedAt: null, severity: "stale" }] }),
    openAtFrom: 100_000,
    openAtTo: 100_000,
    movements: { newly_flagged: 100_000 },
  },
  {
    name: "cleared: flagged at `from`, its episode ended in the window",
    deal: deal({ flags: [{ startedAt: at(-20), endedAt: at(3), severity: "at_risk" }] }),
    openAtFrom: 100_000,
    openAtTo: 100_000,
    movements: { cleared: 100_000 },
  },
  {
    name: "flagged at both ends (one episode ended, another started): neither new nor cleared",
    deal: deal({
      flags: [
        { startedAt: at(-20), endedAt: at(3), severity: "at_risk" },
        { startedAt: at(3), endedAt: null, severity: "stale" },
      ],
    }),
    openAtFrom: 100_000,
    openAtTo: 100_000,
    movements: {},
  },
  {
    name: "an episode that starts exactly at `to` is flagged at `to`; one that ends at `from` is not flagged at `from`",
    deal: deal({
      flags: [
        { startedAt: at(-5), endedAt: FROM, severity: "nudge" },
        { startedAt: TO, endedAt: null, severity: "nudge" },
      ],
    }),
    openAtFrom: 100_000,
    openAtTo: 100_000,
    movements: { newly_flagged: 100_000 },
  },
  {
    name: "a change exactly at `from` is before the window; one exactly at `to` is in it",
    deal: deal({
      amountCents: 300_000,
      amountChanges: [
        { at: FROM, fromCents: 100_000, toCents: 200_000 },
        { at: TO, fromCents: 200_000, toCents: 300_000 },
      ],
    }),
    openAtFrom: 200_000,
    openAtTo: 300_000,
    movements: { amount_up: 100_000 },
  },
];

describe("one deal's movements", () => {
  it.each(cases)("$name", ({ deal: history, openAtFrom, openAtTo, movements }) => {
    const changes = dealChanges(history, window);
    expect(changes.openAtFrom).toBe(openAtFrom);
    expect(changes.openAtTo).toBe(openAtTo);
    expect(changes.movements).toEqual(movements);
  });
});

describe("the waterfall over many deals", () => {
  const deals = cases.map((c, index) => ({
    ...c.deal,
    id: index + 1,
    ownerId: index % 2 === 0 ? "rep-a" : "rep-b",
    teamId: index % 3 === 0 ? null : "team-1",
  }));
  const changes = computeChanges(deals, window);

  it("adds up exactly from last week's open value to this week's, for the total, each team and each rep", () => {
    const scopes = [changes.total, ...changes.byTeam.values(), ...changes.byRep.values()];
    expect(scopes.length).toBe(5);
    for (const scope of scopes) expect(waterfallEnd(scope)).toBe(scope.openAtTo.valueCents);
    // Not a trivial identity: this window really moved the pipeline.
    expect(changes.total.openAtTo.valueCents).not.toBe(changes.total.openAtFrom.valueCents);
  });

  it("sums the hand-computed cases", () => {
    const expected = (kind: MovementKind) => cases.reduce((sum, c) => sum + (c.movements[kind] ?? 0), 0);
    for (const kind of WATERFALL_MOVEMENTS) expect(changes.total.movements[kind].valueCents).toBe(expected(kind));
    const openAtFrom = cases.reduce((sum, c) => sum + (c.openAtFrom ?? 0), 0);
    const openAtTo = cases.reduce((sum, c) => sum + (c.openAtTo ?? 0), 0);
    expect(changes.total.openAtFrom).toEqual({
      count: cases.filter((c) => c.openAtFrom !== null).length,
      valueCents: openAtFrom,
    });
    expect(changes.total.openAtTo.valueCents).toBe(openAtTo);
  });

  it("names the deals behind each number, each with its part of the value", () => {
    const won = changes.total.movements.won;
    const wonCases = cases.flatMap((c, index) => (c.movements.won ? [index + 1] : []));
    expect(won.dealIds).toEqual(wonCases);
    expect(won.count).toBe(wonCases.length);
    expect(won.dealValuesCents.reduce((a, b) => a + b, 0)).toBe(won.valueCents);
  });

  it("splits by the deal's owner and team; a rep's parts add up to the total", () => {
    const repA = changes.byRep.get("rep-a");
    const repB = changes.byRep.get("rep-b");
    expect(repA && repB).toBeTruthy();
    for (const kind of WATERFALL_MOVEMENTS)
      expect((repA?.movements[kind].valueCents ?? 0) + (repB?.movements[kind].valueCents ?? 0)).toBe(
        changes.total.movements[kind].valueCents,
      );
    expect([...changes.byTeam.keys()].sort()).toEqual(["", "team-1"]);
  });

  it("refuses a window that ends before it starts", () => {
    expect(() => computeChanges(deals, { from: TO, to: FROM })).toThrow(/before its end/);
  });
});
