import { differenceInCalendarDays } from "date-fns";
import { describe, expect, it } from "vitest";
import { activityWindowStart, daysBetween, formatUtcDay, MS_PER_DAY, utcDayNumber } from "./days";

describe("the test run itself", () => {
  it("runs in a zone with daylight saving, so date bugs show", () => {
    // New York: UTC−5 in January, UTC−4 in July.
    expect(new Date(2024, 0, 15).getTimezoneOffset()).toBe(300);
    expect(new Date(2024, 6, 15).getTimezoneOffset()).toBe(240);
  });
});

describe("daysBetween counts UTC calendar days", () => {
  it.each([
    { case: "same instant", from: "2024-06-14T15:00:00Z", to: "2024-06-14T15:00:00Z", days: 0 },
    { case: "same UTC day, hours apart", from: "2024-06-14T00:00:00Z", to: "2024-06-14T23:59:59Z", days: 0 },
    // 19:30 and 20:30 on the same New York evening, but either side of UTC midnight.
    { case: "across UTC midnight, one hour apart", from: "2024-03-09T23:30:00Z", to: "2024-03-10T00:30:00Z", days: 1 },
    { case: "one day, to the millisecond", from: "2024-06-13T15:00:00Z", to: "2024-06-14T15:00:00Z", days: 1 },
    // NY: Mar 8 23:30 EST → Mar 11 23:30 EDT; only 71 hours elapse over the spring-forward night.
    {
      case: "DST spring forward (71 hours, 3 days)",
      from: "2024-03-09T04:30:00Z",
      to: "2024-03-12T03:30:00Z",
      days: 3,
    },
    // NY: Nov 2 23:30 EDT → Nov 4 23:30 EST; 49 hours elapse over the fall-back night.
    { case: "DST fall back (49 hours, 2 days)", from: "2024-11-03T03:30:00Z", to: "2024-11-05T04:30:00Z", days: 2 },
    { case: "leap day inside", from: "2024-02-28T12:00:00Z", to: "2024-03-01T12:00:00Z", days: 2 },
    { case: "a year", from: "2023-06-14T15:00:00Z", to: "2024-06-14T15:00:00Z", days: 366 },
    { case: "backwards", from: "2024-06-14T15:00:00Z", to: "2024-06-10T15:00:00Z", days: -4 },
  ])("$case → $days", ({ from, to, days }) => {
    expect(daysBetween(new Date(from), new Date(to))).toBe(days);
  });

  it("does not follow the server's calendar day (New York would say 0 here)", () => {
    const earlier = new Date("2024-03-09T23:30:00Z"); // NY Mar 9, 18:30
    const later = new Date("2024-03-10T00:30:00Z"); // NY Mar 9, 19:30
    expect(differenceInCalendarDays(later, earlier)).toBe(0);
    expect(daysBetween(earlier, later)).toBe(1);
  });

  it("agrees with date-fns differenceInCalendarDays on UTC dates, through two years of DST changes", () => {
    // date-fns counts in the process zone, so hand it each instant's UTC
    // calendar date as a local date; it then handles DST itself.
    const asUtcCalendarDate = (d: Date) => new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    const start = Date.parse("2023-01-01T00:00:00Z");
    const step = 7 * 3_600_000 + 13 * 60_000; // 7h13m: lands on every hour of the day over time
    let compared = 0;
    for (let i = 0; i < 2_500; i++) {
      const earlier = new Date(start + i * step);
      for (const gapHours of [1, 23, 24, 25, 71, 24 * 14 + 5, 24 * 91 - 1]) {
        const later = new Date(earlier.getTime() + gapHours * 3_600_000);
        expect(daysBetween(earlier, later)).toBe(
          differenceInCalendarDays(asUtcCalendarDate(later), asUtcCalendarDate(earlier)),
        );
        compared++;
      }
    }
    expect(compared).toBe(17_500);
  });
});

describe("utcDayNumber", () => {
  it("numbers days from the epoch", () => {
    expect(utcDayNumber(new Date("1970-01-01T23:59:59.999Z"))).toBe(0);
    expect(utcDayNumber(new Date("1970-01-02T00:00:00Z"))).toBe(1);
    expect(utcDayNumber(new Date("1969-12-31T23:00:00Z"))).toBe(-1);
    expect(MS_PER_DAY).toBe(86_400_000);
  });
});

describe("activityWindowStart", () => {
  it("is UTC midnight N days before asOf's day, whatever the time of asOf", () => {
    expect(activityWindowStart(new Date("2024-06-14T15:00:00Z"), 30).toISOString()).toBe("2024-05-15T00:00:00.000Z");
    expect(activityWindowStart(new Date("2024-06-14T00:00:00Z"), 30).toISOString()).toBe("2024-05-15T00:00:00.000Z");
    // Window over the spring-forward night is still whole UTC days.
    expect(activityWindowStart(new Date("2024-03-20T03:00:00Z"), 14).toISOString()).toBe("2024-03-06T00:00:00.000Z");
  });

  it("starts exactly where 'N days ago' ends", () => {
    const asOf = new Date("2024-06-14T15:00:00Z");
    const start = activityWindowStart(asOf, 30);
    expect(daysBetween(start, asOf)).toBe(30);
    expect(daysBetween(new Date(start.getTime() - 1), asOf)).toBe(31);
  });
});

describe("formatUtcDay", () => {
  it.each([
    ["2024-03-01T00:00:00Z", "Mar 1, 2024"],
    // 20:30 in New York on Dec 31, but the UTC day is Jan 1.
    ["2025-01-01T01:30:00Z", "Jan 1, 2025"],
  ])("%s → %s", (iso, text) => {
    expect(formatUtcDay(new Date(iso))).toBe(text);
  });
});
