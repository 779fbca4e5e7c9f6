// When each weekly message is due, in the recipient's own calendar: the rep
// digest on the morning of the team's meeting day, the manager brief on the
// day before. Pure: `now` is passed in, so the scheduler, `npm run digest`
// and the tests agree on the same answer.
//
// A message is "for" a meeting: its period is the meeting's date
// (YYYY-MM-DD), which is also the unique key that stops a second send.
// Whatever hour the daily scheduler or cron runs at, the message is due for
// that whole local day — a run at 02:00 UTC (still the evening before in New
// York) simply finds nothing due yet and the next run sends it.

export type MessageKind = "rep-digest" | "manager-brief";

export const MESSAGE_KINDS: readonly MessageKind[] = ["rep-digest", "manager-brief"];

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** The recipient's calendar date at `now`, as YYYY-MM-DD. */
export function localDay(now: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** 0 = Sunday … 6 = Saturday, for a YYYY-MM-DD calendar date. */
export function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00.000Z`).getUTCDay();
}

export function addDaysToDay(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The team's next meeting on or after the recipient's today. */
export function nextMeetingDay(now: Date, timeZone: string, meetingWeekday: number): string {
  const today = localDay(now, timeZone);
  return addDaysToDay(today, (meetingWeekday - weekdayOf(today) + 7) % 7);
}

/**
 * The meeting a message is due for today, or null when it is not due today:
 * rep digest on the meeting day, manager brief the day before.
 */
export function dueMeetingDay(kind: MessageKind, now: Date, timeZone: string, meetingWeekday: number): string | null {
  const today = localDay(now, timeZone);
  const meeting = kind === "rep-digest" ? today : addDaysToDay(today, 1);
  return weekdayOf(meeting) === meetingWeekday ? meeting : null;
}

/** Retries after a failed send: 5 min, 10, 20, 40 — then it gives up and the record says so. */
export const MAX_SEND_ATTEMPTS = 5;
const FIRST_RETRY_MS = 5 * 60_000;

export function nextAttemptAt(failedAttempts: number, now: Date): Date | null {
  if (failedAttempts >= MAX_SEND_ATTEMPTS) return null;
  return new Date(now.getTime() + FIRST_RETRY_MS * 2 ** (failedAttempts - 1));
}

/** A claim older than this belongs to a sender that died mid-send: it may be taken over. */
export const ABANDONED_CLAIM_MS = 15 * 60_000;
