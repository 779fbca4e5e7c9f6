// The organisation's clock: a "HH:MM" time of day in an IANA time zone, turned
// into UTC instants with the platform's Intl time-zone data (no library needed
// for one conversion). Pure: tests pass any instant in.

/** "HH:MM", 00:00–23:59. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

interface WallTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
}

function wallTime(instant: Date, timeZone: string): WallTime {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part("year"), month: part("month"), day: part("day"), hour: part("hour"), minute: part("minute") };
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms. */
function offsetMs(instant: Date, timeZone: string): number {
  const wall = wallTime(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  return asUtc - Math.floor(instant.getTime() / 60_000) * 60_000;
}

/**
 * The instant the zone's clock shows `time` on the calendar day
 * (year, month, day). On a daylight-saving jump the first valid instant at or
 * after it (a 02:30 that does not exist runs at 03:30).
 */
function zonedInstant(year: number, month: number, day: number, time: string, timeZone: string): Date {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute);
  // The zone's offset the day before and the day after: one of them is in
  // force at that wall time, unless a daylight-saving jump skips it.
  const offsetBefore = offsetMs(new Date(wallAsUtc - 86_400_000), timeZone);
  const offsetAfter = offsetMs(new Date(wallAsUtc + 86_400_000), timeZone);
  const shows = (instant: number) => {
    const wall = wallTime(new Date(instant), timeZone);
    return wall.day === day && wall.hour === hour && wall.minute === minute;
  };
  const candidates = [wallAsUtc - offsetBefore, wallAsUtc - offsetAfter].filter(shows).sort((a, b) => a - b);
  // Skipped (spring forward): the old offset lands just after the jump.
  return new Date(candidates[0] ?? wallAsUtc - offsetBefore);
}

export interface DueRun {
  /** The organisation's calendar day the run is for, as a UTC midnight (a DATE). */
  day: Date;
  /** When that day's run was due. */
  dueAt: Date;
}

/**
 * The latest run due at or before `now`: today's if the zone's clock has
 * passed `time` today, else yesterday's. A server that was down at the
 * scheduled time finds the missed run due when it starts.
 */
export function latestDueRun(now: Date, time: string, timeZone: string): DueRun {
  const today = wallTime(now, timeZone);
  let dueAt = zonedInstant(today.year, today.month, today.day, time, timeZone);
  let day = Date.UTC(today.year, today.month - 1, today.day);
  if (dueAt.getTime() > now.getTime()) {
    const yesterday = new Date(day - 86_400_000);
    day = yesterday.getTime();
    dueAt = zonedInstant(
      yesterday.getUTCFullYear(),
      yesterday.getUTCMonth() + 1,
      yesterday.getUTCDate(),
      time,
      timeZone,
    );
  }
  return { day: new Date(day), dueAt };
}
