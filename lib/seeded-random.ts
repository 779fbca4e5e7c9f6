// Seeded random numbers for made-up data: test sequences, benches, generated
// import files and the demo organisation. The same seed gives the same
// sequence on every run and machine, so a failing seed printed in a test or
// written in a comment replays exactly. Never for anything that must be
// unpredictable (tokens, passwords): use node:crypto for those.
//
// mulberry32: one 32-bit state, fast, good enough for fake sales data, and a
// few lines one can read. Changing these lines changes every seeded sequence
// in the project (tests, bench data, the demo organisation).

/** The raw generator: each call returns the next float in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface SeededRandom {
  /** A float in [0, 1). */
  next: () => number;
  /** A whole number in [0, count). */
  below: (count: number) => number;
  /** A whole number in [min, max], both inclusive. */
  int: (min: number, max: number) => number;
  /** True with this probability. */
  chance: (probability: number) => boolean;
  /** One of the items (each draws exactly one number, so sequences stay aligned). */
  pick: <T>(items: readonly T[]) => T;
}

/** The generator with the helpers tests and scripts kept writing around it; each draws one number. */
export function seededRandom(seed: number): SeededRandom {
  const next = mulberry32(seed);
  const below = (count: number) => Math.floor(next() * count);
  return {
    next,
    below,
    int: (min, max) => min + below(max - min + 1),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      const item = items[below(items.length)];
      if (item === undefined) throw new Error("pick() from an empty list");
      return item;
    },
  };
}
