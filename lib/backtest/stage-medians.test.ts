// The sliding stage medians must be exactly the engine's medianDaysInStage on
// every day, including deals that visit a stage twice, stints that end after
// the win (messy imports) and wins leaving the lookback.
import { expect, it } from "vitest";
import { MS_PER_DAY } from "@/lib/rules/days";
import { DEFAULT_RULE_SETTINGS } from "@/lib/rules/settings";
import { medianDaysInStage, type WonStageStint } from "@/lib/rules/statistics";
import { mulberry32 } from "@/lib/seeded-random";
import { stageMediansByDay } from "./stage-medians";

it("gives medianDaysInStage's answer as of the end of every day", () => {
  const next = mulberry32(18);
  const settings = { ...DEFAULT_RULE_SETTINGS, lookbackDays: 60, minSample: 3 };
  const base = Date.UTC(2025, 0, 1);
  const at = (day: number) => new Date(base + day * MS_PER_DAY + Math.floor(next() * MS_PER_DAY));
  const stints: WonStageStint[] = [];
  for (let dealId = 1; dealId <= 120; dealId++) {
    let day = Math.floor(next() * 200);
    const stages = 1 + Math.floor(next() * 4);
    const start = day;
    const moves: { stageId: number; enteredAt: Date; leftAt: Date }[] = [];
    for (let index = 0; index < stages; index++) {
      const stageId = 1 + Math.floor(next() * 3); // repeats: a stage visited twice
      const enteredAt = at(day);
      day += Math.floor(next() * 20);
      moves.push({ stageId, enteredAt, leftAt: at(day) });
    }
    // Now and then a stint that ends after the win (a move recorded after the close).
    const closedAt = next() < 0.1 ? at(Math.max(start, day - 3)) : at(day);
    for (const move of moves) stints.push({ dealId, ...move, closedAt });
  }
  const firstDay = Math.floor(base / MS_PER_DAY);
  const lastDay = firstDay + 300;
  const medianOn = stageMediansByDay(stints, settings, firstDay, lastDay);
  let daysWithMedians = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    const expected = medianDaysInStage(stints, settings, new Date((day + 1) * MS_PER_DAY - 1));
    const actual = medianOn(day);
    expect(new Map([...actual].sort(([a], [b]) => a - b)), `day ${day - firstDay}`).toEqual(
      new Map([...expected].sort(([a], [b]) => a - b)),
    );
    if (expected.size > 0) daysWithMedians++;
  }
  // The comparison was not vacuous: most days had medians to compare.
  expect(daysWithMedians).toBeGreaterThan(200);
});
