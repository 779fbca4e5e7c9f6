// What changed, in words and waterfall steps: pure, so the overview, the rep
// page and meeting mode say it the same way and tests read it without a browser.
import { type MovementKind, type PipelineChanges, WATERFALL_MOVEMENTS, WATERFALL_SIGN } from "@/lib/changes/movements";
import { formatCount, formatMoney } from "@/lib/format";

export const moneyOf = (cents: number, currency: string, compact = false) =>
  formatMoney(cents / 100, currency, { compact });

export interface WaterfallStep {
  key: "start" | MovementKind | "end";
  label: string;
  /** Open pipeline before and after this step, in cents. */
  startCents: number;
  endCents: number;
  tone: "total" | "up" | "down";
  /** Deals behind a movement step; the open deal count for the two totals. */
  count: number;
}

const STEP_LABELS: Record<(typeof WATERFALL_MOVEMENTS)[number], string> = {
  opened: "Opened",
  won: "Won",
  lost: "Lost / removed",
  to_prospecting: "To prospecting",
  amount_up: "Amount up",
  amount_down: "Amount down",
};

/** From the open pipeline at `from`, one step per movement that moved it, to the open pipeline at `to`. */
export function waterfallSteps(changes: PipelineChanges, labels: { start: string; end: string }): WaterfallStep[] {
  const steps: WaterfallStep[] = [
    {
      key: "start",
      label: labels.start,
      startCents: 0,
      endCents: changes.openAtFrom.valueCents,
      tone: "total",
      count: changes.openAtFrom.count,
    },
  ];
  let running = changes.openAtFrom.valueCents;
  for (const kind of WATERFALL_MOVEMENTS) {
    const movement = changes.movements[kind];
    const next = running + WATERFALL_SIGN[kind] * movement.valueCents;
    steps.push({
      key: kind,
      label: STEP_LABELS[kind],
      startCents: running,
      endCents: next,
      tone: WATERFALL_SIGN[kind] > 0 ? "up" : "down",
      count: movement.count,
    });
    running = next;
  }
  steps.push({
    key: "end",
    label: labels.end,
    startCents: 0,
    endCents: changes.openAtTo.valueCents,
    tone: "total",
    count: changes.openAtTo.count,
  });
  return steps;
}

/** The order and words of a rep's one-line summary: "+2 new $140k · 1 pushed · 1 newly flagged". */
const LINE_PARTS: { kind: MovementKind; words: (count: number, value: string) => string }[] = [
  { kind: "opened", words: (n, v) => `+${formatCount(n)} new ${v}` },
  { kind: "won", words: (n, v) => `${formatCount(n)} won ${v}` },
  { kind: "lost", words: (n, v) => `${formatCount(n)} lost ${v}` },
  { kind: "to_prospecting", words: (n) => `${formatCount(n)} to prospecting` },
  { kind: "moved_forward", words: (n) => `${formatCount(n)} moved forward` },
  { kind: "moved_back", words: (n) => `${formatCount(n)} moved back` },
  { kind: "pushed_out", words: (n) => `${formatCount(n)} pushed` },
  { kind: "pulled_in", words: (n) => `${formatCount(n)} pulled in` },
  { kind: "amount_up", words: (_n, v) => `amounts +${v}` },
  { kind: "amount_down", words: (_n, v) => `amounts −${v}` },
  { kind: "newly_flagged", words: (n) => `${formatCount(n)} newly flagged` },
  { kind: "cleared", words: (n) => `${formatCount(n)} cleared` },
];

export interface LinePart {
  kind: MovementKind;
  text: string;
}

/** The movements that happened, in a fixed order; empty when nothing changed. */
export function changeLineParts(changes: PipelineChanges, currency: string): LinePart[] {
  return LINE_PARTS.flatMap(({ kind, words }) => {
    const movement = changes.movements[kind];
    if (movement.count === 0) return [];
    return [{ kind, text: words(movement.count, moneyOf(movement.valueCents, currency, true)) }];
  });
}

/** "$1.2M → $1.3M" with the change: the open pipeline from one end of the window to the other. */
export function openPipelineSentence(changes: PipelineChanges, currency: string): string {
  const from = changes.openAtFrom.valueCents;
  const to = changes.openAtTo.valueCents;
  const delta = to - from;
  const change = delta === 0 ? "unchanged" : `${delta > 0 ? "+" : "−"}${moneyOf(Math.abs(delta), currency)}`;
  return `Open pipeline ${moneyOf(from, currency)} → ${moneyOf(to, currency)} (${change})`;
}
