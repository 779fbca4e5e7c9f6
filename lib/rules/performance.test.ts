import { describe, expect, it } from "vitest";
import { evaluateDeals } from "./deal-rules";
import { DEFAULT_RULE_SETTINGS } from "./settings";
import { AS_OF, contextWith, daysBefore, healthyDeal, utcDate, wonDeals, wonStints } from "./test-support";
import type { DealFacts, DealVerdict } from "./types";

/** A deterministic spread of deals: every rule fires on some, waivers on a few. */
function pipeline(count: number): DealFacts[] {
  let seed = 42;
  const random = (max: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % max;
  };
  const orNull = (days: number) => (random(10) === 0 ? null : daysBefore(days));
  return Array.from({ length: count }, (_, i) =>
    healthyDeal({
      id: i + 1,
      teamId: `t-${i % 20}`,
      stageId: 1 + (i % 5),
      stageMaxDaysInStage: i % 3 === 0 ? 45 : null,
      openedAt: daysBefore(random(700) - 3), // a few open after asOf
      lastActivityAt: orNull(random(150)),
      lastBuyerActivityAt: orNull(random(200)),
      lastSellerActivityAt: orNull(random(60)),
      stageEnteredAt: daysBefore(random(120)),
      lastForwardMoveAt: orNull(random(300)),
      expectedCloseDate: random(4) === 0 ? null : utcDate(random(2) === 0 ? "2024-05-01" : "2024-09-30"),
      closeDatePushCount: random(4),
      sellerActivitiesInWindow: random(9),
      buyerActivitiesInWindow: random(3),
      waivers:
        i % 50 === 0 ? [{ kind: "manager_keep", until: utcDate("2024-06-20"), reason: "Board decision pending" }] : [],
    }),
  );
}

describe("evaluateDeals at scale", () => {
  const teams = Array.from({ length: 20 }, (_, i) => ({ id: `t-${i}`, name: `Team ${i}` }));
  const context = contextWith({
    teams,
    wonDeals: teams.flatMap((t, i) => wonDeals(5 + i, 60 + i, t.id)),
    wonStageStints: [1, 2, 3, 4, 5].flatMap((stageId) => wonStints(15, stageId, 10 + stageId, stageId * 100)),
  });
  const deals = pipeline(100_000);

  it("evaluates 100,000 deals well under a second", () => {
    evaluateDeals(deals.slice(0, 2_000), context, DEFAULT_RULE_SETTINGS, AS_OF); // warm up the JIT
    // Best of three: the machine is shared, and the slowest run measures the neighbours.
    const timings: number[] = [];
    let verdicts: DealVerdict[] = [];
    for (let run = 0; run < 3; run++) {
      verdicts = [];
      const started = performance.now();
      verdicts = evaluateDeals(deals, context, DEFAULT_RULE_SETTINGS, AS_OF);
      timings.push(performance.now() - started);
    }

    const openedByAsOf = deals.filter((d) => d.openedAt <= AS_OF).length;
    expect(verdicts).toHaveLength(openedByAsOf);
    expect(openedByAsOf).toBeLessThan(100_000);
    const flagCount = verdicts.reduce((n, v) => n + v.flags.length, 0);
    const rulesSeen = new Set(verdicts.flatMap((v) => v.flags.map((f) => f.rule)));
    expect([...rulesSeen].sort()).toEqual([
      "close-date-slipping",
      "follow-up-gap",
      "one-sided",
      "past-its-time",
      "stuck-in-stage",
      "untouched",
    ]);
    expect(verdicts.some((v) => v.suppressed.length > 0)).toBe(true);
    console.info(
      `evaluateDeals: ${verdicts.length} deals, ${flagCount} flags in ${timings.map((t) => t.toFixed(0)).join(" / ")} ms`,
    );
    expect(Math.min(...timings)).toBeLessThan(1_000);
  });
});
