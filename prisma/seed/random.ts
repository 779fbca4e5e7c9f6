// The demo organisation must be the same every time for the same seed, so
// tests, screenshots and benchmarks can rely on it: everything random in the
// generator comes from the project's seeded generator (lib/seeded-random.ts,
// mulberry32), never Math.random.
import { mulberry32 } from "../../lib/seeded-random";

export class Random {
  private readonly draw: () => number;

  constructor(seed: number) {
    // Spread small seeds (1, 2, 3…) over the state space first.
    this.draw = mulberry32(Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.draw();
  }

  /** An independent stream derived from this one (for one rep, one story…). */
  fork(): Random {
    return new Random(Math.floor(this.next() * 4294967296));
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick() from an empty list");
    return item;
  }

  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string | number>(weights: ReadonlyArray<readonly [K, number]>): K {
    let total = 0;
    for (const [, weight] of weights) total += weight;
    let roll = this.next() * total;
    for (const [key, weight] of weights) {
      roll -= weight;
      if (roll < 0) return key;
    }
    const last = weights[weights.length - 1];
    if (!last) throw new Error("weighted() with no choices");
    return last[0];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A positive factor around 1 with the given spread: deal sizes, stage durations. */
  logNormalFactor(sigma: number): number {
    return Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }
}

/**
 * Splits `total` into whole parts proportional to `weights` that add up to
 * exactly `total` (cumulative rounding, so no part drifts by more than one).
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const parts: number[] = [];
  let cumulative = 0;
  let given = 0;
  for (const weight of weights) {
    cumulative += weight;
    const upTo = Math.round((total * cumulative) / sum);
    parts.push(upTo - given);
    given = upTo;
  }
  return parts;
}
