// sameCompared decides which verdicts an incremental review leaves out of its
// write: a false "same" would lose a change, so each case says which way it
// must go. The same verdicts against a real database:
// tests/integration/flag-episodes-changed.test.ts.
import { describe, expect, it } from "vitest";
import { sameCompared } from "./flag-episodes";

const stored = {
  severity: "stale",
  metrics: { openedOn: "2026-01-02", limitDays: 90.5, limitSetBy: null, cycleSampleSize: 12 },
};

describe("sameCompared", () => {
  it.each([
    [
      "the same, keys in another order",
      {
        severity: "stale",
        metrics: { limitSetBy: null, limitDays: 90.5, openedOn: "2026-01-02", cycleSampleSize: 12 },
      },
      true,
    ],
    ["only a sample size moved", { ...stored, metrics: { ...stored.metrics, cycleSampleSize: 13 } }, true],
    ["a sample size added", { ...stored, metrics: { ...stored.metrics, medianSampleSize: 4 } }, true],
    [
      "a key left undefined (JSON leaves it out)",
      { ...stored, metrics: { ...stored.metrics, stageEnteredOn: undefined } },
      true,
    ],
    ["the severity moved", { ...stored, severity: "at_risk" }, false],
    ["a limit moved", { ...stored, metrics: { ...stored.metrics, limitDays: 91 } }, false],
    ["a number became its text", { ...stored, metrics: { ...stored.metrics, limitDays: "90.5" } }, false],
    ["null became a value", { ...stored, metrics: { ...stored.metrics, limitSetBy: "Central" } }, false],
    ["a key added", { ...stored, metrics: { ...stored.metrics, extra: 0 } }, false],
    ["a key dropped", { ...stored, metrics: { openedOn: "2026-01-02", limitDays: 90.5, cycleSampleSize: 12 } }, false],
    ["a key set to undefined", { ...stored, metrics: { ...stored.metrics, openedOn: undefined } }, false],
  ] as const)("%s: %s", (_case, verdict, same) => {
    expect(sameCompared(stored, verdict)).toBe(same);
    expect(sameCompared(verdict, stored)).toBe(same);
  });

  it("compares a nested value as JSON text", () => {
    const nested = { severity: "stale", metrics: { window: { from: "2026-01-01", to: "2026-02-01" } } };
    expect(
      sameCompared(nested, { severity: "stale", metrics: { window: { from: "2026-01-01", to: "2026-02-01" } } }),
    ).toBe(true);
    expect(
      sameCompared(nested, { severity: "stale", metrics: { window: { from: "2026-01-01", to: "2026-03-01" } } }),
    ).toBe(false);
    expect(sameCompared(nested, { severity: "stale", metrics: { window: null } })).toBe(false);
  });
});
