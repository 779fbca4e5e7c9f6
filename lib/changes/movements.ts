// What changed in the pipeline between two instants (SPEC "What changed"):
// pure code over each deal's history, no database, no clock.
//
// A deal's state at an instant t is read BACKWARDS from its current row: the
// first history row after t says what the deal was before it (a stage
// change's fromStatus, an amount change's fromAmount); with no row after t
// the deal was as it is now. So only history after `from` is needed, and the
// state at `to` is the current row whenever `to` is now. Two gaps in imported
// history are bridged the same way every time: a deal with no stage change
// after t did not exist yet when its openedAt is after t, and was still open
// when it is won or lost with a closedAt after t.
//
// The waterfall is exact by construction: the window is cut at every instant
// something happened to a deal, and each cut's change of the deal's open
// value (status open ? amount : 0) goes to exactly one movement — opened,
// won, lost, to prospecting, amount up or amount down. The changes telescope,
// so open value at `from` + the signed movements = open value at `to`, to the
// cent. Money is integer cents (number; exact far beyond any pipeline).
//
// Deals count for their current owner and that owner's current team, as every
// screen and the viewer's scope do: no owner history is kept (an import may
// change a deal's owner without a history row), so a reassigned deal moves
// with its whole window to its new owner and no "reassigned in/out" bar is
// needed for a rep's or a team's waterfall to add up.
//
// "At t" means after everything stamped at or before t; the window is
// from < at <= to — the same convention as "flagged at t" (startedAt <= t and
// (endedAt null or endedAt > t)).

export type DealStatus = "open" | "prospect" | "won" | "lost";
export type FlagSeverity = "stale" | "at_risk" | "nudge" | "warning";

export interface StageChangeHistory {
  at: Date;
  /** Null: the row that created the deal. */
  fromStatus: DealStatus | null;
  toStatus: DealStatus;
  direction: "created" | "forward" | "back" | "won" | "lost" | "to_prospect" | "reopened";
}

export interface AmountChangeHistory {
  at: Date;
  /** Null when the deal had no amount before (first amount recorded). */
  fromCents: number | null;
  toCents: number;
}

export interface CloseDateChangeHistory {
  at: Date;
  fromDate: Date | null;
  toDate: Date | null;
  /** A later date than before (a slip). */
  isPush: boolean;
}

export interface FlagEpisode {
  startedAt: Date;
  /** Null while the flag is current. */
  endedAt: Date | null;
  severity: FlagSeverity;
}

/** One deal as it is now, with the history needed to read it back to `from`. */
export interface DealHistory {
  id: number;
  ownerId: string;
  teamId: string | null;
  status: DealStatus;
  amountCents: number;
  /** Null: a prospect whose source gave no opened date; it is taken as existing before any window. */
  openedAt: Date | null;
  closedAt: Date | null;
  /** Rows after `from` are enough (earlier ones are ignored); any order. */
  stageChanges: StageChangeHistory[];
  amountChanges: AmountChangeHistory[];
  closeDateChanges: CloseDateChangeHistory[];
  /** Deal-level flag episodes overlapping the window; any order. */
  flags: FlagEpisode[];
}

/** Movements that change the open pipeline value: the waterfall's bars, in order. */
export const WATERFALL_MOVEMENTS = ["opened", "won", "lost", "to_prospecting", "amount_up", "amount_down"] as const;
/** Movements inside the pipeline that leave its value as it is. */
export const OTHER_MOVEMENTS = [
  "moved_forward",
  "moved_back",
  "pushed_out",
  "pulled_in",
  "newly_flagged",
  "cleared",
] as const;
export const MOVEMENTS = [...WATERFALL_MOVEMENTS, ...OTHER_MOVEMENTS] as const;

export type WaterfallMovement = (typeof WATERFALL_MOVEMENTS)[number];
export type MovementKind = (typeof MOVEMENTS)[number];

/** +1 adds to the open pipeline, −1 takes from it. */
export const WATERFALL_SIGN: Record<WaterfallMovement, 1 | -1> = {
  opened: 1,
  won: -1,
  lost: -1,
  to_prospecting: -1,
  amount_up: 1,
  amount_down: -1,
};

/** In the sales manager's words, for headings, links and tables. */
export const MOVEMENT_LABELS: Record<MovementKind, string> = {
  opened: "Opened or reopened",
  won: "Won",
  lost: "Lost or removed",
  to_prospecting: "Returned to prospecting",
  amount_up: "Amount up",
  amount_down: "Amount down",
  moved_forward: "Moved forward",
  moved_back: "Moved back",
  pushed_out: "Close date pushed out",
  pulled_in: "Close date pulled in",
  newly_flagged: "Newly flagged",
  cleared: "Flags cleared",
};

/** What each movement's value is, said once for the table and the deal list. */
export const MOVEMENT_VALUE_MEANING: Record<MovementKind, string> = {
  opened: "amount when opened",
  won: "amount while open",
  lost: "amount while open",
  to_prospecting: "amount while open",
  amount_up: "increase while open",
  amount_down: "decrease while open",
  moved_forward: "amount at the move",
  moved_back: "amount at the move",
  pushed_out: "amount at the change",
  pulled_in: "amount at the change",
  newly_flagged: "amount at the end",
  cleared: "amount at the start",
};

export interface Movement {
  /** Deals (each once, however often it moved). */
  count: number;
  /** Cents, always ≥ 0; WATERFALL_SIGN says which way a waterfall movement goes. */
  valueCents: number;
  /** The deals behind the number, ascending. */
  dealIds: number[];
  /** Each deal's part of valueCents, in dealIds' order (they add up to it). */
  dealValuesCents: number[];
}

export interface OpenPipeline {
  count: number;
  valueCents: number;
}

export interface PipelineChanges {
  openAtFrom: OpenPipeline;
  openAtTo: OpenPipeline;
  movements: Record<MovementKind, Movement>;
}

export interface ChangesByScope {
  total: PipelineChanges;
  /** Keyed by team id; deals whose owner has no team under "". */
  byTeam: Map<string, PipelineChanges>;
  byRep: Map<string, PipelineChanges>;
}

export interface ChangeWindow {
  from: Date;
  to: Date;
}

// ---------------------------------------------------------------------------
// One deal's state at an instant, read back from its current row.

interface DealState {
  /** Null: the deal did not exist yet. */
  status: DealStatus | null;
  amountCents: number;
}

const time = (date: Date) => date.getTime();
const byTime = <T extends { at: Date }>(rows: readonly T[]) => [...rows].sort((a, b) => time(a.at) - time(b.at));

/** A deal's history sorted once, for repeated reads of its state. */
interface SortedDeal {
  deal: DealHistory;
  stageChanges: StageChangeHistory[];
  amountChanges: AmountChangeHistory[];
}

function sortDeal(deal: DealHistory): SortedDeal {
  return { deal, stageChanges: byTime(deal.stageChanges), amountChanges: byTime(deal.amountChanges) };
}

function statusAt({ deal, stageChanges }: SortedDeal, t: number): DealStatus | null {
  const next = stageChanges.find((change) => time(change.at) > t);
  if (next) return next.fromStatus;
  if (deal.openedAt && time(deal.openedAt) > t) return null;
  if ((deal.status === "won" || deal.status === "lost") && deal.closedAt && time(deal.closedAt) > t) return "open";
  return deal.status;
}

function amountAt({ deal, amountChanges }: SortedDeal, t: number): number {
  const next = amountChanges.find((change) => time(change.at) > t);
  if (!next) return deal.amountCents;
  return next.fromCents ?? next.toCents;
}

function stateAt(sorted: SortedDeal, t: number): DealState {
  return { status: statusAt(sorted, t), amountCents: amountAt(sorted, t) };
}

function flaggedAt(flags: readonly FlagEpisode[], t: number): boolean {
  return flags.some((flag) => time(flag.startedAt) <= t && (flag.endedAt === null || time(flag.endedAt) > t));
}

// ---------------------------------------------------------------------------
// One deal's movements in the window.

/** value per movement kind for one deal (undefined: the deal did not move that way). */
type DealMovements = Partial<Record<MovementKind, number>>;

interface DealChanges {
  openAtFrom: number | null;
  openAtTo: number | null;
  movements: DealMovements;
}

const LEAVING: Record<DealStatus, WaterfallMovement> = {
  won: "won",
  lost: "lost",
  prospect: "to_prospecting",
  open: "lost", // never used: leaving "open" for "open" is not leaving
};

function add(movements: DealMovements, kind: MovementKind, cents: number) {
  movements[kind] = (movements[kind] ?? 0) + cents;
}

/** The deal's open value at both ends and what moved it, plus the moves that leave the value as it is. */
export function dealChanges(deal: DealHistory, window: ChangeWindow): DealChanges {
  const sorted = sortDeal(deal);
  const from = time(window.from);
  const to = time(window.to);
  const inWindow = (at: Date) => time(at) > from && time(at) <= to;
  const movements: DealMovements = {};

  // Every instant the deal's status or amount may have changed, in order.
  const instants = new Set<number>();
  for (const change of sorted.stageChanges) if (inWindow(change.at)) instants.add(time(change.at));
  for (const change of sorted.amountChanges) if (inWindow(change.at)) instants.add(time(change.at));
  for (const date of [deal.openedAt, deal.closedAt]) if (date && inWindow(date)) instants.add(time(date));

  const start = stateAt(sorted, from);
  let before = start;
  for (const instant of [...instants].sort((a, b) => a - b)) {
    const after = stateAt(sorted, instant);
    const wasOpen = before.status === "open";
    const isOpen = after.status === "open";
    if (wasOpen && isOpen) {
      const delta = after.amountCents - before.amountCents;
      if (delta > 0) add(movements, "amount_up", delta);
      if (delta < 0) add(movements, "amount_down", -delta);
    } else if (!wasOpen && isOpen) {
      add(movements, "opened", after.amountCents);
    } else if (wasOpen && !isOpen) {
      // A deal that vanished (history says it never existed) counts as lost: its value left.
      add(movements, after.status ? LEAVING[after.status] : "lost", before.amountCents);
    }
    before = after;
  }
  const end = stateAt(sorted, to);
  // `before` is now the state at the last instant, which is the state at `to`:
  // the sum of the movements is openValue(end) − openValue(start).

  // Stage moves inside the pipeline: each deal once, at its latest move's amount.
  for (const change of sorted.stageChanges) {
    if (!inWindow(change.at) || change.fromStatus !== "open" || change.toStatus !== "open") continue;
    const kind = change.direction === "back" ? "moved_back" : change.direction === "forward" ? "moved_forward" : null;
    if (kind) movements[kind] = amountAt(sorted, time(change.at));
  }
  for (const change of byTime(deal.closeDateChanges)) {
    if (!inWindow(change.at)) continue;
    const pulledIn =
      !change.isPush &&
      change.fromDate !== null &&
      change.toDate !== null &&
      time(change.toDate) < time(change.fromDate);
    const kind = change.isPush ? "pushed_out" : pulledIn ? "pulled_in" : null;
    if (kind) movements[kind] = amountAt(sorted, time(change.at));
  }
  const flaggedAtFrom = flaggedAt(deal.flags, from);
  const flaggedAtTo = flaggedAt(deal.flags, to);
  if (!flaggedAtFrom && flaggedAtTo) movements.newly_flagged = end.amountCents;
  if (flaggedAtFrom && !flaggedAtTo) movements.cleared = start.amountCents;

  return {
    openAtFrom: start.status === "open" ? start.amountCents : null,
    openAtTo: end.status === "open" ? end.amountCents : null,
    movements,
  };
}

// ---------------------------------------------------------------------------
// Adding deals up per scope.

export function emptyChanges(): PipelineChanges {
  const movements = {} as Record<MovementKind, Movement>;
  for (const kind of MOVEMENTS) movements[kind] = { count: 0, valueCents: 0, dealIds: [], dealValuesCents: [] };
  return { openAtFrom: { count: 0, valueCents: 0 }, openAtTo: { count: 0, valueCents: 0 }, movements };
}

function addDeal(changes: PipelineChanges, dealId: number, deal: DealChanges) {
  if (deal.openAtFrom !== null) {
    changes.openAtFrom.count++;
    changes.openAtFrom.valueCents += deal.openAtFrom;
  }
  if (deal.openAtTo !== null) {
    changes.openAtTo.count++;
    changes.openAtTo.valueCents += deal.openAtTo;
  }
  for (const kind of MOVEMENTS) {
    const cents = deal.movements[kind];
    if (cents === undefined) continue;
    const movement = changes.movements[kind];
    movement.count++;
    movement.valueCents += cents;
    movement.dealIds.push(dealId);
    movement.dealValuesCents.push(cents);
  }
}

/** Open value at `from` plus the signed waterfall movements: equals openAtTo.valueCents, always. */
export function waterfallEnd(changes: PipelineChanges): number {
  let cents = changes.openAtFrom.valueCents;
  for (const kind of WATERFALL_MOVEMENTS) cents += WATERFALL_SIGN[kind] * changes.movements[kind].valueCents;
  return cents;
}

/** The whole window per organisation scope, team and rep; deals in ascending id order inside each movement. */
export function computeChanges(deals: readonly DealHistory[], window: ChangeWindow): ChangesByScope {
  if (time(window.from) >= time(window.to)) throw new RangeError("The window's start must be before its end.");
  const total = emptyChanges();
  const byTeam = new Map<string, PipelineChanges>();
  const byRep = new Map<string, PipelineChanges>();
  const scopeOf = (map: Map<string, PipelineChanges>, key: string) => {
    const known = map.get(key);
    if (known) return known;
    const changes = emptyChanges();
    map.set(key, changes);
    return changes;
  };
  for (const deal of [...deals].sort((a, b) => a.id - b.id)) {
    const changes = dealChanges(deal, window);
    addDeal(total, deal.id, changes);
    addDeal(scopeOf(byTeam, deal.teamId ?? ""), deal.id, changes);
    addDeal(scopeOf(byRep, deal.ownerId), deal.id, changes);
  }
  return { total, byTeam, byRep };
}
