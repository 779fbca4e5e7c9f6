// A recipient's time zone and locale: checked when a person picks them, and
// the formatters every message uses so dates read the way the reader expects.
// Calendar dates (a meeting day, a waiver's last day) are stored as UTC
// midnight and shown as that same date; instants (when a flag started) are
// shown in the reader's zone.

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

export interface ReaderFormat {
  timeZone: string;
  locale: string;
}

/** A YYYY-MM-DD date or a UTC-midnight Date as that calendar date: "Monday, December 7, 2026". */
export function formatCalendarDay(
  day: string | Date,
  reader: ReaderFormat,
  style: "long" | "medium" = "medium",
): string {
  const date = typeof day === "string" ? new Date(`${day}T00:00:00.000Z`) : day;
  return new Intl.DateTimeFormat(reader.locale, {
    timeZone: "UTC",
    ...(style === "long" ? { dateStyle: "full" } : { dateStyle: "medium" }),
  }).format(date);
}

/** An instant as the reader's local date: a flag that started 23:30 UTC reads as that evening in New York. */
export function formatInstantDay(instant: Date, reader: ReaderFormat): string {
  return new Intl.DateTimeFormat(reader.locale, { timeZone: reader.timeZone, dateStyle: "medium" }).format(instant);
}

/** Whole currency units from integer cents, in the reader's locale. Display only. */
export function formatMoneyFor(cents: number, currency: string, reader: ReaderFormat): string {
  return new Intl.NumberFormat(reader.locale, { style: "currency", currency, maximumFractionDigits: 0 }).format(
    Math.round(cents) / 100,
  );
}
