// "Flagged for 5 weeks (since Oct 30)": how long a deal has been flagged, from
// the start of its oldest current flag episode to the as-of date. Pure.
import { daysBetween } from "@/lib/rules/days";

/** Whole UTC days flagged: 0 on the day the flag started. */
export function flaggedDays(since: Date, asOf: Date): number {
  return Math.max(0, daysBetween(since, asOf));
}

function duration(days: number): string {
  if (days < 1) return "today";
  if (days < 14) return days === 1 ? "1 day" : `${days} days`;
  if (days < 70) return `${Math.floor(days / 7)} weeks`;
  const months = Math.floor(days / 30.44);
  return months < 24 ? `${months} months` : `${Math.floor(days / 365.25)} years`;
}

// Built once: building an Intl formatter per deal was a tenth of a meeting page's CPU.
const withoutYear = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const withYearToo = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});
const shortDate = (date: Date, withYear: boolean) => (withYear ? withYearToo : withoutYear).format(date);

/** "flagged for 5 weeks (since Oct 30)"; the year shows when it is not the as-of date's. */
export function flaggedForText(since: Date, asOf: Date): string {
  const days = flaggedDays(since, asOf);
  const date = shortDate(since, since.getUTCFullYear() !== asOf.getUTCFullYear());
  return days < 1 ? `flagged since today (${date})` : `flagged for ${duration(days)} (since ${date})`;
}
