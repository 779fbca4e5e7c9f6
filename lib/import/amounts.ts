// Amounts as exports write them: "$1,200", "1.234,56 €", "EUR 12 500",
// "(1,200.00)", "1'234.50". Returned as a decimal string with two places
// ("1234.56") — never a float — for Prisma's Decimal and for comparing with
// what the database holds.
//
// Separators: when both "," and "." appear, the last one is the decimal
// separator. When only one kind appears, a single separator followed by
// exactly three digits is a thousands separator ("1,200" and "1.200" are both
// 1200): deal amounts carry at most two decimals, so three digits after a
// separator are a thousands group in every convention.

export type AmountResult =
  | { ok: true; amount: string; currency: string | null }
  | { ok: false; reason: string; negative?: boolean };

/** Largest amount the database holds: Decimal(14, 2). */
const MAX_WHOLE_DIGITS = 12;

const SYMBOLS: [RegExp, string | null][] = [
  [/US\$/i, "USD"],
  [/CA\$|C\$/i, "CAD"],
  [/AU\$|A\$/i, "AUD"],
  [/€/, "EUR"],
  [/£/, "GBP"],
  [/¥/, "JPY"],
  [/₹/, "INR"],
  [/CHF/i, "CHF"],
  [/\$/, null],
];

export function parseAmount(text: string): AmountResult | null {
  let value = text.trim();
  if (value === "") return null;
  let currency: string | null = null;
  const code = /^([A-Z]{3})\s*(?=[\d(+\-−])|(?<=[\d)])\s*([A-Z]{3})$/.exec(value);
  if (code) {
    currency = code[1] ?? code[2] ?? null;
    value = value.replace(/^[A-Z]{3}\s*|\s*[A-Z]{3}$/, "");
  }
  for (const [symbol, symbolCurrency] of SYMBOLS) {
    if (symbol.test(value)) {
      currency ??= symbolCurrency;
      value = value.replace(symbol, "");
      break;
    }
  }
  value = value.replace(/[\s\u00a0\u202f\u2009']/g, "");
  let negative = false;
  if (/^\(.*\)$/.test(value)) {
    negative = true;
    value = value.slice(1, -1);
  }
  if (/^[-−]/.test(value) || /[-−]$/.test(value)) {
    negative = true;
    value = value.replace(/^[-−]|[-−]$/g, "");
  }
  value = value.replace(/^\+/, "");
  if (!/^\d[\d.,]*$/.test(value) || /[.,]$/.test(value) || /[.,]{2}/.test(value)) {
    return {
      ok: false,
      reason: `“${text}” is not an amount we can read. Write it like 12500, 12,500.00 or 12.500,00 (a currency symbol or code is fine).`,
    };
  }
  const normalized = normalizeSeparators(value);
  if (normalized === null) {
    return { ok: false, reason: `“${text}” mixes separators in a way we cannot read as an amount.` };
  }
  const [whole = "0", fraction = ""] = normalized.split(".");
  const cents = BigInt(whole) * 100n + roundedCents(fraction);
  if (negative && cents > 0n) {
    return {
      ok: false,
      negative: true,
      reason: `“${text.trim()}” is negative: a deal's amount must be 0 or more. Correct it in the file.`,
    };
  }
  const amount = `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
  if ((cents / 100n).toString().length > MAX_WHOLE_DIGITS) {
    return { ok: false, reason: `The amount ${text.trim()} is too large (at most 999,999,999,999.99).` };
  }
  return { ok: true, amount, currency };
}

/** "1.234,5" → "1234.5"; null when the grouping makes no sense. */
function normalizeSeparators(value: string): string | null {
  const lastComma = value.lastIndexOf(",");
  const lastDot = value.lastIndexOf(".");
  let decimal: "," | "." | null = null;
  if (lastComma >= 0 && lastDot >= 0) {
    decimal = lastComma > lastDot ? "," : ".";
  } else if (lastComma >= 0 || lastDot >= 0) {
    const separator = lastComma >= 0 ? "," : ".";
    const parts = value.split(separator);
    const first = parts[0] ?? "";
    const thousands = parts.length > 2 || (parts[1]?.length === 3 && first.length <= 3 && !/^0+$/.test(first));
    decimal = thousands ? null : separator;
  }
  const group = decimal === "," ? "." : decimal === "." ? "," : lastComma >= 0 ? "," : ".";
  const [wholePart = "", fractionPart, ...rest] = decimal ? value.split(decimal) : [value];
  if (rest.length > 0) return null;
  const groups = wholePart.split(group);
  if (groups.length > 1 && (groups.slice(1).some((g) => g.length !== 3) || (groups[0]?.length ?? 0) > 3)) return null;
  const whole = groups.join("");
  if (!/^\d+$/.test(whole) || (fractionPart !== undefined && !/^\d+$/.test(fractionPart))) return null;
  return fractionPart === undefined ? whole : `${whole}.${fractionPart}`;
}

/** Two decimal places, half up. */
function roundedCents(fraction: string): bigint {
  if (fraction === "") return 0n;
  const padded = fraction.padEnd(3, "0");
  const cents = BigInt(padded.slice(0, 2));
  return Number(padded[2]) >= 5 ? cents + 1n : cents;
}

/** A stored amount ("1234.5", Decimal) in the same form parseAmount returns. */
export function normalizeAmount(value: string): string {
  const [whole = "0", fraction = ""] = value.split(".");
  return `${BigInt(whole)}.${fraction.padEnd(2, "0").slice(0, 2)}`;
}
