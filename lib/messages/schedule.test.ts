import { describe, expect, it } from "vitest";
import { dueMeetingDay, localDay, nextAttemptAt, nextMeetingDay, weekdayOf } from "./schedule";

// Monday 2026-12-07 is a meeting day for a team that meets on Mondays (1).
describe("dueMeetingDay", () => {
  it.each([
    // [now, time zone, kind, expected meeting day or null]
    ["2026-12-07T12:00:00Z", "UTC", "rep-digest", "2026-12-07"],
    ["2026-12-06T12:00:00Z", "UTC", "rep-digest", null],
    ["2026-12-06T12:00:00Z", "UTC", "manager-brief", "2026-12-07"],
    ["2026-12-07T12:00:00Z", "UTC", "manager-brief", null],
    // 02:00 UTC on Monday is still Sunday evening in New York: the brief is due there, not the digest.
    ["2026-12-07T02:00:00Z", "America/New_York", "rep-digest", null],
    ["2026-12-07T02:00:00Z", "America/New_York", "manager-brief", "2026-12-07"],
    // 23:30 UTC on Sunday is already Monday morning in Tokyo.
    ["2026-12-06T23:30:00Z", "Asia/Tokyo", "rep-digest", "2026-12-07"],
  ] as const)("at %s in %s, %s → %s", (now, zone, kind, expected) => {
    expect(dueMeetingDay(kind, new Date(now), zone, 1)).toBe(expected);
  });
});

describe("calendar helpers", () => {
  it("reads the local day and weekday across a daylight-saving change", () => {
    // 2026-03-08: clocks go forward in New York at 02:00 local.
    expect(localDay(new Date("2026-03-09T03:30:00Z"), "America/New_York")).toBe("2026-03-08");
    expect(weekdayOf("2026-03-08")).toBe(0);
  });

  it("finds the next meeting on or after today", () => {
    expect(nextMeetingDay(new Date("2026-12-07T12:00:00Z"), "UTC", 1)).toBe("2026-12-07");
    expect(nextMeetingDay(new Date("2026-12-08T12:00:00Z"), "UTC", 1)).toBe("2026-12-14");
    expect(nextMeetingDay(new Date("2026-12-31T12:00:00Z"), "UTC", 5)).toBe("2027-01-01");
  });
});

describe("nextAttemptAt", () => {
  it("backs off 5, 10, 20, 40 minutes, then gives up", () => {
    const now = new Date("2026-12-07T12:00:00Z");
    const minutes = [1, 2, 3, 4, 5].map((failed) => {
      const at = nextAttemptAt(failed, now);
      return at ? (at.getTime() - now.getTime()) / 60_000 : null;
    });
    expect(minutes).toEqual([5, 10, 20, 40, null]);
  });
});
