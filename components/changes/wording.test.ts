import { describe, expect, it } from "vitest";
import { emptyChanges, type MovementKind, type PipelineChanges } from "@/lib/changes/movements";
import { changeLineParts, openPipelineSentence, waterfallSteps } from "./wording";

function changesWith(
  openAtFrom: number,
  openAtTo: number,
  moves: Partial<Record<MovementKind, [count: number, cents: number]>>,
): PipelineChanges {
  const changes = emptyChanges();
  changes.openAtFrom = { count: 10, valueCents: openAtFrom };
  changes.openAtTo = { count: 11, valueCents: openAtTo };
  for (const [kind, [count, cents]] of Object.entries(moves) as [MovementKind, [number, number]][])
    changes.movements[kind] = { count, valueCents: cents, dealIds: [], dealValuesCents: [] };
  return changes;
}

// $1,000,000 + $140,000 − $50,000 + $5,000 = $1,095,000
const week = changesWith(100_000_000, 109_500_000, {
  opened: [2, 14_000_000],
  won: [1, 5_000_000],
  amount_up: [1, 500_000],
  pushed_out: [1, 3_000_000],
  newly_flagged: [1, 2_000_000],
});

describe("waterfall steps", () => {
  it("walks from last week's open pipeline to this week's, each step starting where the last ended", () => {
    const steps = waterfallSteps(week, { start: "Nov 28", end: "Dec 5" });
    expect(steps.map((s) => [s.label, s.startCents / 100, s.endCents / 100, s.tone])).toEqual([
      ["Nov 28", 0, 1_000_000, "total"],
      ["Opened", 1_000_000, 1_140_000, "up"],
      ["Won", 1_140_000, 1_090_000, "down"],
      ["Lost / removed", 1_090_000, 1_090_000, "down"],
      ["To prospecting", 1_090_000, 1_090_000, "down"],
      ["Amount up", 1_090_000, 1_095_000, "up"],
      ["Amount down", 1_095_000, 1_095_000, "down"],
      ["Dec 5", 0, 1_095_000, "total"],
    ]);
  });
});

describe("a rep's line", () => {
  it("reads like the meeting talks", () => {
    expect(
      changeLineParts(week, "USD")
        .map((part) => part.text)
        .join(" · "),
    ).toBe("+2 new $140K · 1 won $50K · 1 pushed · amounts +$5K · 1 newly flagged");
  });

  it("is empty when nothing changed", () => {
    expect(changeLineParts(emptyChanges(), "USD")).toEqual([]);
  });

  it("says the open pipeline's change", () => {
    expect(openPipelineSentence(week, "USD")).toBe("Open pipeline $1,000,000 → $1,095,000 (+$95,000)");
    expect(openPipelineSentence(changesWith(500, 500, {}), "USD")).toBe("Open pipeline $5 → $5 (unchanged)");
  });
});
