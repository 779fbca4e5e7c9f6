import { describe, expect, it } from "vitest";
import { isTimeZone, latestDueRun } from "./clock";

const at = (iso: string) => new Date(iso);
const day = (run: { day: Date }) => run.day.toISOString().slice(0, 10);

describe("latestDueRun", () => {
  it.each([
    // [now, time, zone, due day, due at]
    ["2026-12-06T05:59:00Z", "06:00", "UTC", "2026-12-05", "2026-12-05T06:00:00.000Z"],
    ["2026-12-06T06:00:00Z", "06:00", "UTC", "2026-12-06", "2026-12-06T06:00:00.000Z"],
    // New York is UTC−5 in December: 06:00 there is 11:00 UTC.
    ["2026-12-06T10:59:00Z", "06:00", "America/New_York", "2026-12-05", "2026-12-05T11:00:00.000Z"],
    ["2026-12-06T11:00:00Z", "06:00", "America/New_York", "2026-12-06", "2026-12-06T11:00:00.000Z"],
    // …and UTC−4 in July.
    ["2026-07-06T10:30:00Z", "06:00", "America/New_York", "2026-07-06", "2026-07-06T10:00:00.000Z"],
    // Just after midnight UTC it is still the previous day in New York.
    ["2026-12-06T02:00:00Z", "23:30", "America/New_York", "2026-12-04", "2026-12-05T04:30:00.000Z"],
    // Tokyo (UTC+9): 06:00 on Dec 6 is 21:00 UTC on Dec 5.
    ["2026-12-05T21:30:00Z", "06:00", "Asia/Tokyo", "2026-12-06", "2026-12-05T21:00:00.000Z"],
    // A time the spring-forward jump skips (02:30 on 2026-03-08 in New York) runs at 03:30.
    ["2026-03-08T12:00:00Z", "02:30", "America/New_York", "2026-03-08", "2026-03-08T07:30:00.000Z"],
  ])("at %s, %s in %s: the run for %s, due %s", (now, time, zone, dueDay, dueAt) => {
    const run = latestDueRun(at(now), time, zone);
    expect(day(run)).toBe(dueDay);
    expect(run.dueAt.toISOString()).toBe(dueAt);
  });
});

describe("isTimeZone", () => {
  it("knows IANA names and refuses others", () => {
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });
});
