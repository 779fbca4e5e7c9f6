// Integer cents (exact sums) to the decimal string lib/format's formatMoney
// takes, without going through a float division.
export function centsToMoney(cents: number): string {
  const whole = Math.round(cents);
  const sign = whole < 0 ? "-" : "";
  const abs = Math.abs(whole);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** "42%" for a share between 0 and 1. */
export function formatShare(share: number): string {
  return new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0 }).format(share);
}
