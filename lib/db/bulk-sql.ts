// Bulk parameters for set-based import SQL. A whole column travels as ONE
// text parameter holding a PostgreSQL array literal, cast in SQL
// (`$1::text::int[]`) and unnested: on PGlite through Prisma this is several
// times faster than an array parameter of 100,000 elements, and far faster
// than createMany (which took over two minutes for 100,000 deals on PGlite).
// Instants travel as ISO strings with "Z", days as YYYY-MM-DD, money as
// decimal strings — never as floats and never in the session's time zone.

export type SqlValue = string | number | boolean | null | undefined;

/** `{"a","b",NULL}`: a PostgreSQL array literal of the values, every element quoted. */
export function pgArray(values: readonly SqlValue[]): string {
  let literal = "{";
  for (let index = 0; index < values.length; index++) {
    if (index > 0) literal += ",";
    const value = values[index];
    if (value === null || value === undefined) literal += "NULL";
    else literal += `"${String(value).replace(/["\\]/g, "\\$&")}"`;
  }
  return `${literal}}`;
}

export const instant = (date: Date | null | undefined) => (date ? date.toISOString() : null);
export const day = (date: Date | null | undefined) => (date ? date.toISOString().slice(0, 10) : null);

/**
 * Instants read as epoch milliseconds: drivers disagree on how they parse
 * timestamptz text (pglite-prisma-adapter 0.6.1 drops the offset in raw
 * queries, so Node reads it in the local zone), but a number is a number.
 * date_part, not extract: extract returns numeric, whose arithmetic made a
 * 100,000-deal read four times slower on PGlite. Rounded, so float error can
 * never land a millisecond early.
 */
export const epochMs = (expression: string) => `round(date_part('epoch', ${expression}) * 1000)`;

/** Splits work into chunks so one statement never carries an unbounded literal. */
export function chunks<T>(items: readonly T[], size = 20_000): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}
