// The one place that turns money and dates into text for people.
// Money arrives as Prisma Decimal, a decimal string, or a number of whole units
// (divide cents by 100 first); it is
// formatted without ever summing floats here (sums happen in SQL or Decimal).
/** Prisma Decimal, a decimal string, or a number of whole currency units. */
type MoneyInput = string | number | bigint | { toString(): string };

export function formatMoney(amount: MoneyInput, currency = "USD", options: { compact?: boolean } = {}): string {
  const value = Number(amount.toString());
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    notation: options.compact ? "compact" : "standard",
    minimumFractionDigits: 0,
    maximumFractionDigits: options.compact ? 1 : 0,
  }).format(value);
}

/** A calendar date (stored as UTC midnight) shown as that same date. */
export function formatDate(date: Date | null | undefined): string {
  if (!date) return "—";
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined) return "—";
  return days === 1 ? "1 day" : `${days} days`;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat("en-US").format(n);
}
