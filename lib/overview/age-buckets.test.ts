import { describe, expect, it } from "vitest";
import { ageBucketOpeningDays, bucketDealAges, bucketsFromOpenedUpTo, tallyAgeBuckets } from "./age-buckets";
import { mulberry32 } from "@/lib/seeded-random";

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

/**
 * What the overview's SQL does with a rep's running totals (lib/figures/data.ts):
 * for each opening day, the total of the last kept day on or before it (width_bucket).
 */
function openedUpTo(deals: { openedDay: number; count: number; valueCents: number }[], cutoffDays: number[]) {
  return {
    deals: cutoffDays.map((day) =>
      deals.filter((deal) => deal.openedDay <= day).reduce((sum, deal) => sum + deal.count, 0),
    ),
    cents: cutoffDays.map((day) =>
      deals.filter((deal) => deal.openedDay <= day).reduce((sum, deal) => sum + deal.valueCents, 0),
    ),
  };
}

describe("ageBucketOpeningDays and bucketsFromOpenedUpTo", () => {
  const asOfDay = 20_800;

  it("split deals opened 0, 45, 46, 180 and 181 days ago on a 90-day cycle either side of two edges", () => {
    const deals = [181, 180, 46, 45, 0].map((age, index) => ({
      openedDay: asOfDay - age,
      count: [1, 2, 1, 3, 1][index] as number,
      valueCents: [5, 7, 11, 13, 17][index] as number,
    }));
    const cutoffs = ageBucketOpeningDays(asOfDay, 90, 2);
    expect(cutoffs).toEqual([
      asOfDay,
      asOfDay - 46,
      asOfDay - 91,
      asOfDay - 136,
      asOfDay - 181,
      asOfDay - 271,
      asOfDay - 451,
    ]);
    const totals = openedUpTo(deals, cutoffs);
    const distribution = tallyAgeBuckets(bucketsFromOpenedUpTo(90, totals.deals, totals.cents), 2);
    expect(distribution).toEqual(
      bucketDealAges(
        deals.map((deal) => ({
          ageDays: asOfDay - deal.openedDay,
          cycleDays: 90,
          count: deal.count,
          valueCents: deal.valueCents,
        })),
        2,
      ),
    );
    expect(distribution.total).toEqual({ count: 8, valueCents: 53 });
    // 181 days is past 2 × 90; 180 is exactly on the line, not past it.
    expect(distribution.pastLine).toEqual({ count: 1, valueCents: 5 });
  });

  it("ages the same stored days as the calendar moves: a week later a deal crosses the line", () => {
    const deals = [{ openedDay: asOfDay - 180, count: 1, valueCents: 100 }];
    const pastLine = (day: number) => {
      const totals = openedUpTo(deals, ageBucketOpeningDays(day, 90, 2));
      return tallyAgeBuckets(bucketsFromOpenedUpTo(90, totals.deals, totals.cents), 2).pastLine.count;
    };
    expect(pastLine(asOfDay)).toBe(0);
    expect(pastLine(asOfDay + 7)).toBe(1);
  });

  it("give bucketDealAges' buckets for random deals, fractional cycles and line multiples (seeded)", () => {
    const random = mulberry32(20261206); // seeded, so a failing case can be replayed
    for (let trial = 0; trial < 300; trial++) {
      const lineMultiple = [2, 1.5, 2.3, 3, 0.7][trial % 5] as number;
      const cycleDays = [90, 37.5, 66.18110236220473, 1, 365, 12.345][Math.floor(random() * 6)] as number;
      const deals = Array.from({ length: 1 + Math.floor(random() * 40) }, () => ({
        openedDay: asOfDay - Math.floor(random() * 4 * lineMultiple * cycleDays),
        count: 1 + Math.floor(random() * 3),
        valueCents: Math.floor(random() * 10_000_000),
      }));
      const totals = openedUpTo(deals, ageBucketOpeningDays(asOfDay, cycleDays, lineMultiple));
      expect(
        tallyAgeBuckets(bucketsFromOpenedUpTo(cycleDays, totals.deals, totals.cents), lineMultiple),
        `trial ${trial}: cycle ${cycleDays}, line ${lineMultiple}`,
      ).toEqual(
        bucketDealAges(
          deals.map((deal) => ({
            ageDays: asOfDay - deal.openedDay,
            cycleDays,
            count: deal.count,
            valueCents: deal.valueCents,
          })),
          lineMultiple,
        ),
      );
    }
  });
});
