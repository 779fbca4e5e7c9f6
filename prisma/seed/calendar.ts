// Dates for the demo generator, all in UTC day numbers (days since
// 1970-01-01) so the data does not depend on the machine's timezone: the
// tests run in America/New_York and date-fns' local-time helpers would move
// instants across a daylight-saving change. This matches the engine, which
// counts UTC calendar days (lib/rules/days.ts).
//
// Everything is relative to "today" (the day the demo is generated for), and
// every generated event happens before today's UTC midnight, so nothing is in
// the future whenever during that day the app is opened.

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Parses YYYY-MM-DD into a UTC day number; throws a readable error otherwise. */
export function parseDay(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a date like 2026-03-31.`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new Error(`"${text}" is not a real calendar date.`);
  }
  return ms / DAY_MS;
}

/** Today's UTC date as YYYY-MM-DD. */
export function currentUtcDate(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** UTC midnight of a day, the way Prisma hands `date` columns over. */
export function dayToDate(day: number): Date {
  return new Date(day * DAY_MS);
}

export function dayOf(instant: Date): number {
  return Math.floor(instant.getTime() / DAY_MS);
}

/** An instant on `day` at hh:mm UTC. */
export function instantOn(day: number, hour: number, minute = 0): Date {
  return new Date(day * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS);
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Monday of the ISO week that contains `day`. */
export function mondayOf(day: number): number {
  return day - weekday(day);
}

/** The same calendar date `years` earlier (29 February falls back to the 28th). */
export function sameDateYearsBefore(day: number, years: number): number {
  const date = new Date(day * DAY_MS);
  const year = date.getUTCFullYear() - years;
  const month = date.getUTCMonth();
  const lastOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastOfMonth)) / DAY_MS;
}

/** First day of the calendar month containing `day`, `offset` months later. */
export function monthStart(day: number, offset = 0): number {
  const date = new Date(day * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1) / DAY_MS;
}

/** Last day of the calendar month containing `day`. */
export function monthEnd(day: number): number {
  return monthStart(day, 1) - 1;
}

/** First day of the calendar quarter containing `day`, `offset` quarters later. */
export function quarterStart(day: number, offset = 0): number {
  const date = new Date(day * DAY_MS);
  const firstMonth = Math.floor(date.getUTCMonth() / 3) * 3;
  return Date.UTC(date.getUTCFullYear(), firstMonth + offset * 3, 1) / DAY_MS;
}

export function quarterEnd(day: number): number {
  return quarterStart(day, 1) - 1;
}

/**
 * Reps mostly work Monday to Friday: a weekend day moves to the nearest
 * weekday that stays within [lo, hi]; if none does, the day stays.
 */
export function workdayNear(day: number, lo: number, hi: number): number {
  const wd = weekday(day);
  if (wd < 5) return day;
  const friday = day - (wd - 4);
  const monday = day + (7 - wd);
  if (friday >= lo) return friday;
  if (monday <= hi) return monday;
  return day;
}
