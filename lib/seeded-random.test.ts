// The seeded generator must keep its sequence: seeds written in tests'
// comments and failure messages, the bench's data and the demo organisation
// all replay from it. The expected numbers are what the project's copies of
// the generator gave before they were merged into lib/seeded-random.ts.
import { describe, expect, it } from "vitest";
import { mulberry32, seededRandom } from "./seeded-random";

describe("mulberry32", () => {
  it("gives the same sequence as before for the seeds the project uses", () => {
    const first = (seed: number) => {
      const next = mulberry32(seed);
      return [next(), next(), next()];
    };
    expect(first(1)).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    expect(first(2026)).toEqual([0.45540769933722913, 0.30849614599719644, 0.6611574492417276]);
  });

  it("reads a seed as its 32-bit pattern, so -1 and 4294967295 are the same seed", () => {
    const negative = mulberry32(-1);
    const unsigned = mulberry32(4_294_967_295);
    for (let index = 0; index < 100; index++) expect(negative()).toBe(unsigned());
  });

  it("stays in [0, 1)", () => {
    const next = mulberry32(20261206);
    for (let index = 0; index < 10_000; index++) {
      const value = next();
      expect(value >= 0 && value < 1).toBe(true);
    }
  });
});

describe("seededRandom", () => {
  it("draws exactly one number per helper, so a sequence stays aligned with the raw generator", () => {
    const raw = mulberry32(7);
    const random = seededRandom(7);
    const items = ["a", "b", "c", "d", "e"];
    expect(random.next()).toBe(raw());
    expect(random.below(10)).toBe(Math.floor(raw() * 10));
    expect(random.int(5, 9)).toBe(5 + Math.floor(raw() * 5));
    expect(random.chance(0.3)).toBe(raw() < 0.3);
    expect(random.pick(items)).toBe(items[Math.floor(raw() * items.length)]);
  });

  it("keeps int within both bounds and reaches each of them", () => {
    const random = seededRandom(13);
    const seen = new Set<number>();
    for (let index = 0; index < 1_000; index++) seen.add(random.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it("says so when asked to pick from nothing", () => {
    expect(() => seededRandom(1).pick([])).toThrow("pick() from an empty list");
  });
});
