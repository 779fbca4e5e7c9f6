// Calendar days for the meeting's "keep until" prompt, counted the way the
// keep-with-waiver action checks them: UTC days from the as-of date.
import { startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";

/** The as-of date's UTC calendar day plus `days`, as YYYY-MM-DD (a date input's value). */
export function addUtcDays(asOf: Date, days: number): string {
  return startOfUtcDayNumber(utcDayNumber(asOf) + days)
    .toISOString()
    .slice(0, 10);
}
