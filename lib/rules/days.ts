// How the engine counts days — the one date helper of lib/rules.
//
// Decision: a "day" is a UTC calendar day, and "N days ago" is the number of
// UTC midnights between the two instants (the calendar-day difference in UTC).
//
// - Independent of the server's timezone: a review run in New York, Berlin or
//   a UTC container gives the same numbers for the same data.
// - Matches the `date` columns (expected close date, waiver "until"), which
//   Prisma hands over as UTC midnight of the chosen day.
// - Daylight saving never changes a count: UTC has none, and we count
//   calendar days, not elapsed 24-hour periods (an elapsed-hours count across
//   the spring-forward night would lose a day).
// - A deal opened at 23:30 UTC is "1 day old" at 00:30 UTC: days are calendar
//   days, as a sales manager reads a dated timeline.
//
// Every UTC day is exactly 86,400,000 ms long in JavaScript (no leap seconds),
// so the UTC day of an instant is floor(ms / msPerDay). That is what date-fns'
// `differenceInCalendarDays` computes on UTC dates; date-fns 4 needs the
// `@date-fns/utc` context to do it in UTC rather than the process's zone, and
// it allocates per call, so the engine uses this numeric form (100,000 deals
// per review) and the tests check it against date-fns across DST changes.
import { millisecondsInDay } from "date-fns/constants";

export const MS_PER_DAY = millisecondsInDay;

/** The UTC calendar day of an instant, as a day number (days since 1970-01-01). */
export function utcDayNumber(instant: Date): number {
  return Math.floor(instant.getTime() / MS_PER_DAY);
}

/** UTC midnight starting the given day number. */
export function startOfUtcDayNumber(dayNumber: number): Date {
  return new Date(dayNumber * MS_PER_DAY);
}

/**
 * Whole calendar days (UTC) from `earlier` to `later`: 0 on the same UTC day,
 * negative when `later` is before `earlier`.
 */
export function daysBetween(earlier: Date, later: Date): number {
  return utcDayNumber(later) - utcDayNumber(earlier);
}

/**
 * The first instant of an "in the last N days" window ending at `asOf`:
 * UTC midnight N days before asOf's day. Something at or after it (and not
 * after `asOf`) happened "in the last N days" — the same test the rules apply
 * to rollup dates, so callers counting activities in SQL get matching
 * numbers: `at >= activityWindowStart(asOf, n) AND at <= asOf`.
 */
export function activityWindowStart(asOf: Date, days: number): Date {
  return startOfUtcDayNumber(utcDayNumber(asOf) - days);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** "Mar 1, 2024" for the UTC calendar day of a date (how explanations show dates). */
export function formatUtcDay(date: Date): string {
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
}
