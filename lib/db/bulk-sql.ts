// Bulk SQL: parameters for set-based writes (imports, flags) and reads of
// many rows (columnRows, below).
//
// In: a whole column travels as ONE text parameter holding a PostgreSQL
// array literal, cast in SQL (`$1::text::int[]`) and unnested: on PGlite through Prisma this is several
// times faster than an array parameter of 100,000 elements, and far faster
// than createMany (which took over two minutes for 100,000 deals on PGlite).
// Instants travel as ISO strings with "Z", days as YYYY-MM-DD, money as
// decimal strings — never as floats and never in the session's time zone.

import type { DbClient } from "@/lib/db";

/** Runs one SQL statement with $n parameters; Prisma ($queryRawUnsafe) or a raw driver. */
export type Query = <Row = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<Row[]>;

/** A Query on the Prisma client or an open Prisma transaction. */
export function prismaQuery(client: DbClient): Query {
  return (sql, params = []) => client.$queryRawUnsafe(sql, ...params);
}

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

/**
 * Big reads come back column by column: one JSON array per column, all built
 * by json_agg in the same pass over the rows (so they line up row for row),
 * zipped into objects here. PGlite (WASM) is slow at handing values to
 * JavaScript one by one, and at writing a JSON object per row: 100,000 open
 * deals took ~6 s as rows, ~2.4 s as a JSON array of objects and ~0.7 s as
 * one array per column on the benchmark organisation. PostgreSQL is quick
 * either way. Values keep their JSON types: numbers stay numbers (instants
 * are epoch ms, money int8 cents), text (and `date` as text) stays text.
 */
export async function columnRows<Row extends object>(
  query: Query,
  sql: string,
  params: unknown[],
  columns: readonly (keyof Row & string)[],
): Promise<Row[]> {
  const [result] = await query<Record<string, string | null>>(
    `SELECT ${columns.map((column) => `json_agg(t."${column}")::text AS "${column}"`).join(", ")} FROM (${sql}) t`,
    params,
  );
  const arrays = columns.map((column) => JSON.parse(result?.[column] ?? "[]") as unknown[]);
  const length = arrays[0]?.length ?? 0;
  const rows = new Array<Row>(length);
  for (let index = 0; index < length; index++) {
    const row: Record<string, unknown> = {};
    for (let column = 0; column < columns.length; column++) {
      row[columns[column] as string] = (arrays[column] as unknown[])[index];
    }
    rows[index] = row as Row;
  }
  return rows;
}
