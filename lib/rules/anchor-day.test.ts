// anchorDay and dayNumberOf keep each day they format or parse (a review
// words the same few thousand days 100,000 times): the cached answers must be
// the plain computation's, on first call and on every later one, and still
// after the cache has been cleared for being full.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/seeded-random";
import { MS_PER_DAY, startOfUtcDayNumber } from "./days";
import { anchorDay, dayNumberOf } from "./explain-flag";

/** The computations before the caches, kept here as the reference. */
const plainAnchor = (dayNumber: number) => startOfUtcDayNumber(dayNumber).toISOString().slice(0, 10);
const plainDayNumber = (anchor: string) => Math.round(Date.parse(`${anchor}T00:00:00Z`) / MS_PER_DAY);

describe("anchorDay and dayNumberOf with their caches", () => {
  it("give the plain computation's answer for seeded days, asked again and again", () => {
    const random = mulberry32(2026);
    // Days from 1900 to 2200 (negative day numbers included), a few thousand distinct, each asked several times.
    const days = Array.from({ length: 4_000 }, () => Math.floor(random() * 109_500) - 25_567);
    for (let round = 0; round < 3; round++) {
      for (const day of days) {
        const anchor = anchorDay(day);
        expect(anchor).toBe(plainAnchor(day));
        expect(dayNumberOf(anchor)).toBe(plainDayNumber(anchor));
        expect(dayNumberOf(anchor)).toBe(day);
      }
    }
  });

  it("still answer right once the caches have filled and been cleared", () => {
    const random = mulberry32(7);
    const first = 10_000;
    // More distinct days than a cache keeps: it clears at least once on the way.
    for (let day = first; day < first + 120_000; day += 1) anchorDay(day);
    for (let index = 0; index < 2_000; index++) {
      const day = first + Math.floor(random() * 120_000);
      expect(anchorDay(day)).toBe(plainAnchor(day));
      expect(dayNumberOf(plainAnchor(day))).toBe(day);
    }
  });
});
