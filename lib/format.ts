// The one place that turns money and dates into text for people.
// Money arrives as Prisma Decimal, a decimal string, or a number of whole units
// (divide cents by 100 first); it is
// formatted without ever summing floats here (sums happen in SQL or Decimal).
/** Prisma Decimal, a decimal string, or a number of whole currency units. */
type MoneyInput = string | number | bigint | { toString(): string };

// Building an Intl formatter costs far more than using one (a meeting's
// screens format thousands of figures): each kind is built once and reused.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(key: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat("en-US", options);
    numberFormats.set(key, format);
  }
  return format;
}

export function formatMoney(amount: MoneyInput, currency = "USD", options: { compact?: boolean } = {}): string {
  const value = Number(amount.toString());
  return numberFormat(`money ${currency} ${options.compact ? "compact" : "standard"}`, {
    style: "currency",
    currency,
    notation: options.compact ? "compact" : "standard",
    minimumFractionDigits: 0,
    maximumFractionDigits: options.compact ? 1 : 0,
  }).format(value);
}

const calendarDate = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

/** A calendar date (stored as UTC midnight) shown as that same date. */
export function formatDate(date: Date | null | undefined): string {
  if (!date) return "—";
  return calendarDate.format(date);
}

/** A deal's opened date; a prospect whose source gave none shows "date unknown" (never an invented date). */
export function formatOpenedDate(date: Date | null): string {
  return date ? formatDate(date) : "date unknown";
}

export function formatCount(n: number): string {
  return numberFormat("count").format(n);
}

const DAYS_IN_YEAR = 365.25;

/**
 * A span of days as people read it: "1 day", "212 days", and past a year the
 * years first with the exact count kept: "5.0 years (1,826 days)".
 */
export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined) return "—";
  if (days === 1) return "1 day";
  if (Math.abs(days) < 365) return `${formatCount(days)} days`;
  return `${formatDecimal(days / DAYS_IN_YEAR)} years (${formatCount(days)} days)`;
}

/** One decimal with thousands separators: 1234.56 → "1,234.6". */
function formatDecimal(value: number): string {
  return numberFormat("one decimal", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

/**
 * A ratio as a multiple, the one form used for coverage and for a deal's age
 * against the cycle: 8.94 → "8.9×", 12.4 → "12×", 1234 → "1,234×".
 */
export function formatMultiple(ratio: number): string {
  if (!Number.isFinite(ratio)) return "—";
  return Math.abs(ratio) >= 10 ? `${formatCount(Math.round(ratio))}×` : `${formatDecimal(ratio)}×`;
}

/** "1 nudge", "3 nudges", "1,204 deals" (irregular plurals passed in). */
export function formatPlural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/**
 * An amount for an input's value: the plain number a person would type,
 * "185000" not "185000.00", cents only when there are any ("185000.5" → "185000.50").
 */
export function formatAmountForInput(amount: MoneyInput | null | undefined): string {
  if (amount === null || amount === undefined) return "";
  const text = amount.toString().trim();
  const match = /^(-?\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return text;
  const [, whole, fraction = ""] = match;
  const cents = fraction.padEnd(2, "0").slice(0, 2);
  return cents === "00" ? String(whole) : `${whole}.${cents}`;
}

/**
 * The time of an instant in the viewer's own zone with the zone named:
 * "10:10 AM EST". Pass the browser's zone (components/ui/local-time.tsx);
 * without one it is the process's zone.
 */
export function formatTimeOfDay(at: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-US", {
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone,
  }).format(at);
}

/** The calendar day of an instant in the viewer's zone ("Dec 5, 2026"). */
export function formatDayInZone(at: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone }).format(at);
}

/**
 * Text a person typed, ended as one sentence: a reason "Budget frozen." or
 * "Budget frozen" both read "Budget frozen." — never "frozen..", never "frozen!.".
 */
export function asSentence(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, " ");
  if (trimmed === "") return "";
  return /[.!?…]["”’)]*$/.test(trimmed) ? trimmed.replace(/([.!?])\1+(["”’)]*)$/, "$1$2") : `${trimmed}.`;
}
