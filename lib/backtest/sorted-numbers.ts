// A sorted list of numbers kept sorted as values come and go, for medians
// over a sliding window (the back-test's yardsticks, day after day).

export class SortedNumbers {
  readonly values: number[] = [];
  private indexOf(value: number): number {
    let low = 0;
    let high = this.values.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.values[middle] as number) < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }
  get size(): number {
    return this.values.length;
  }
  insert(value: number) {
    this.values.splice(this.indexOf(value), 0, value);
  }
  remove(value: number) {
    this.values.splice(this.indexOf(value), 1);
  }
  /** The median as lib/rules/statistics.ts median() computes it (the mean of the two middles when even). */
  median(): number {
    const middle = this.values.length >> 1;
    const upper = this.values[middle] ?? Number.NaN;
    if (this.values.length % 2 === 1) return upper;
    return ((this.values[middle - 1] ?? Number.NaN) + upper) / 2;
  }
}
