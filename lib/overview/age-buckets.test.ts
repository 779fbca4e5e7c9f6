import { describe, expect, it } from "vitest";
import { bucketDealAges, bucketOpenedDays, tallyAgeBuckets } from "./age-buckets";

const group = (ageDays: number, cycleDays = 90, count = 1, valueCents = 100_00) => ({
  ageDays,
  cycleDays,
  count,
  valueCents,
});

describe("bucketDealAges", () => {
  it("puts the edges at fractions of the line, so 2× falls between two buckets", () => {
    const { buckets } = bucketDealAges([], 2);
    expect(buckets.map((bucket) => bucket.label)).toEqual([
      "0–0.5×",
      "0.5–1×",
      "1–1.5×",
      "1.5–2×",
      "2–3×",
      "3–5×",
      "over 5×",
    ]);
    expect(buckets.map((bucket) => bucket.pastLine)).toEqual([false, false, false, false, true, true, true]);
  });

  it.each([
    { case: "a new deal", ageDays: 0, label: "0–0.5×" },
    { case: "exactly half the cycle", ageDays: 45, label: "0–0.5×" },
    { case: "a day past half", ageDays: 46, label: "0.5–1×" },
    // The rule fires strictly above the line: 180 days against 90 is not past its time.
    { case: "exactly on the 2× line", ageDays: 180, label: "1.5–2×" },
    { case: "a day past the line", ageDays: 181, label: "2–3×" },
    { case: "the five-year-old deal", ageDays: 1826, label: "over 5×" },
  ])("$case ($ageDays days against a 90-day cycle) → $label", ({ ageDays, label }) => {
    const { buckets } = bucketDealAges([group(ageDays)], 2);
    expect(buckets.find((bucket) => bucket.count === 1)?.label).toBe(label);
  });

  it("measures each deal against its own team's cycle", () => {
    // 100 days is past 2× of a 40-day cycle but under 1.5× of a 90-day one.
    const distribution = bucketDealAges([group(100, 40, 2, 5_000_00), group(100, 90, 3, 7_000_00)], 2);
    expect(distribution.pastLine).toEqual({ count: 2, valueCents: 5_000_00 });
    expect(distribution.total).toEqual({ count: 5, valueCents: 12_000_00 });
    expect(distribution.sharedCycleDays).toBeNull();
    expect(distribution.buckets.every((bucket) => bucket.daysLabel === null)).toBe(true);
  });

  it("labels buckets in days when every deal shares one cycle", () => {
    const distribution = bucketDealAges([group(10), group(500)], 2);
    expect(distribution.sharedCycleDays).toBe(90);
    expect(distribution.buckets.map((bucket) => bucket.daysLabel)).toEqual([
      "0–45 days",
      "46–90 days",
      "91–135 days",
      "136–180 days",
      "181–270 days",
      "271–450 days",
      "over 450 days",
    ]);
  });

  it("moves the line with the setting: at 1.5× a 150-day deal on a 90-day cycle is past it", () => {
    const distribution = bucketDealAges([group(150)], 1.5);
    expect(distribution.lineMultiple).toBe(1.5);
    expect(distribution.pastLine.count).toBe(1);
    expect(distribution.buckets.find((bucket) => bucket.count === 1)?.label).toBe("1.5–2.25×");
  });

  it("sums counts and values exactly in integer cents", () => {
    const distribution = bucketDealAges([group(10, 90, 2, 10), group(20, 90, 3, 20), group(0, 90, 0, 0)], 2);
    expect(distribution.buckets[0]).toMatchObject({ count: 5, valueCents: 30 });
  });
});

describe("bucketOpenedDays", () => {
  const asOfDay = 20_800;

  it("gives the distribution bucketDealAges gives for the same deals' ages", () => {
    const reps = [
      // Opened 0, 45, 46, 180 and 181 days ago on a 90-day cycle: either side of two edges.
      {
        days: [asOfDay - 181, asOfDay - 180, asOfDay - 46, asOfDay - 45, asOfDay],
        deals: [1, 2, 1, 3, 1],
        cents: [5, 7, 11, 13, 17],
        cycleDays: 90,
      },
      { days: [asOfDay - 400, asOfDay - 30], deals: [2, 1], cents: [19, 23], cycleDays: 37.5 },
    ];
    const ages = reps.flatMap((rep) =>
      rep.days.map((day, index) => ({
        ageDays: asOfDay - day,
        cycleDays: rep.cycleDays,
        count: rep.deals[index] as number,
        valueCents: rep.cents[index] as number,
      })),
    );
    const fromDays = tallyAgeBuckets(bucketOpenedDays(reps, asOfDay, 2), 2);
    expect(fromDays).toEqual(bucketDealAges(ages, 2));
    expect(fromDays.total).toEqual({ count: 11, valueCents: 95 });
    expect(fromDays.pastLine).toEqual({ count: 3, valueCents: 24 });
  });

  it("ages the same stored days as the calendar moves: a week later a deal crosses the line", () => {
    const rep = { days: [asOfDay - 180], deals: [1], cents: [100], cycleDays: 90 };
    expect(tallyAgeBuckets(bucketOpenedDays([rep], asOfDay, 2), 2).pastLine.count).toBe(0);
    expect(tallyAgeBuckets(bucketOpenedDays([rep], asOfDay + 7, 2), 2).pastLine.count).toBe(1);
  });
});
