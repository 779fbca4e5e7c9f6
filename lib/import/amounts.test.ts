import { describe, expect, it } from "vitest";
import { parseAmount } from "./amounts";

describe("parseAmount", () => {
  it.each([
    ["12500", "12500.00", null],
    ["$1,200", "1200.00", null],
    ["$48,000.00", "48000.00", null],
    ["USD 32,000.00", "32000.00", "USD"],
    ["1.234,56 €", "1234.56", "EUR"],
    ["12.500,00", "12500.00", null],
    ["3.200,5", "3200.50", null],
    ["£8,000", "8000.00", "GBP"],
    ["1 234 567,89", "1234567.89", null],
    ["1'234.50", "1234.50", null],
    ["1.200", "1200.00", null],
    ["0.125", "0.13", null],
    ["9990.5", "9990.50", null],
    ["1,234,567", "1234567.00", null],
    ["EUR 12\u00a0500", "12500.00", "EUR"],
    ["0", "0.00", null],
  ])("%j → %s", (text, amount, currency) => {
    expect(parseAmount(text)).toEqual({ ok: true, amount, currency });
  });

  it("treats an empty cell as no amount", () => {
    expect(parseAmount("  ")).toBeNull();
  });

  it.each(["-500", "(1,200.00)", "$-3", "500-", "−20"])("rejects the negative amount %j in plain words", (text) => {
    const result = parseAmount(text);
    expect(result).toMatchObject({ ok: false, negative: true });
    expect(result?.ok === false && result.reason).toMatch(/is negative: a deal.s amount must be 0 or more/);
  });

  it.each(["twelve", "12,5,0.0", "1.2.3,4,5", "12..5"])("rejects %j as unreadable", (text) => {
    expect(parseAmount(text)).toMatchObject({ ok: false });
  });

  it("rejects amounts too large for the database", () => {
    expect(parseAmount("10000000000000")).toMatchObject({ ok: false, reason: expect.stringMatching(/too large/) });
  });
});
