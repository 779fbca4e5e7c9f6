// Fast multi-row INSERTs that work the same on PGlite and a PostgreSQL
// server: one statement per few thousand rows,
//   INSERT INTO "T" (…) SELECT … FROM unnest($1::int8[], $2::int4[], …)
// with each column sent as ONE array parameter.
//
// Encoding is pure (rows in, SQL text and parameters out), so it can run in
// a worker thread while the database — PGlite is single-threaded WASM on the
// main thread — executes the previous batch.
//
// Why the arrays are written as Postgres array literals here rather than
// passed as JS arrays: PGlite serialises JS array parameters element by
// element and that alone doubled the load time of 2M activities. Numbers go
// as they are (instants as epoch minutes or ms, dates as day numbers, money
// as decimal text); repetitive text from a small set (enum values,
// summaries) goes as a dictionary plus an index per row.

export type ColumnKind =
  /** A whole number (ids, counts). */
  | "int"
  | "bool"
  /** Free text, sent as is. */
  | "text"
  /** Text from a small set (up to a few dozen values): sent as a dictionary. */
  | "label"
  /** A Date → timestamptz. */
  | "instant"
  /** A Date at UTC midnight → date. */
  | "day"
  /** A decimal string ("48000.00") → numeric. */
  | "money"
  /** A JSON-serialisable value → jsonb. */
  | "json";

export interface Column<Row> {
  name: string;
  kind: ColumnKind;
  /** Postgres type to cast a label to (an enum such as "ActivityType"). */
  castTo?: string;
  value: (row: Row) => unknown;
}

export interface TableSpec<Row> {
  table: string;
  columns: Column<Row>[];
}

/** One statement ready to run: what the loader (or a worker) hands the database. */
export interface Statement {
  table: string;
  /** Rows it writes (0 for statements that only update). */
  rows: number;
  sql: string;
  params: string[];
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const ROWS_PER_STATEMENT = 20_000;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The INSERT statements writing `rows` into the table, ROWS_PER_STATEMENT rows each. */
export function encodeInsert<Row>(spec: TableSpec<Row>, rows: readonly Row[]): Statement[] {
  const statements: Statement[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    statements.push(encodeChunk(spec, rows.slice(start, start + ROWS_PER_STATEMENT)));
  }
  return statements;
}

function encodeChunk<Row>(spec: TableSpec<Row>, rows: readonly Row[]): Statement {
  const params: string[] = [];
  const unnestArgs: string[] = [];
  const aliases: string[] = [];
  const selects: string[] = [];
  spec.columns.forEach((column, c) => {
    const alias = `c${c}`;
    aliases.push(alias);
    const encoded = encodeColumn(column, rows);
    params.push(encoded.literal);
    unnestArgs.push(`$${params.length}::${encoded.arrayType}`);
    let expression = encoded.select(`u.${alias}`);
    if (encoded.dictionary !== undefined) {
      params.push(encoded.dictionary);
      expression = `($${params.length}::text[])[u.${alias}]`;
      if (column.castTo) expression += `::${quoteIdent(column.castTo)}`;
    }
    selects.push(expression);
  });
  return {
    table: spec.table,
    rows: rows.length,
    sql: `INSERT INTO ${quoteIdent(spec.table)} (${spec.columns.map((column) => quoteIdent(column.name)).join(", ")})
     SELECT ${selects.join(", ")} FROM unnest(${unnestArgs.join(", ")}) AS u(${aliases.join(", ")})`,
    params,
  };
}

interface EncodedColumn {
  literal: string;
  arrayType: string;
  select: (ref: string) => string;
  dictionary?: string;
}

function encodeColumn<Row>(column: Column<Row>, rows: readonly Row[]): EncodedColumn {
  const values = rows.map(column.value);
  switch (column.kind) {
    case "int":
      return { literal: numberArray(values as Array<number | null>), arrayType: "int8[]", select: (ref) => ref };
    case "bool":
      return {
        literal: `{${values.map((v) => (v === null || v === undefined ? "NULL" : v ? "t" : "f")).join(",")}}`,
        arrayType: "bool[]",
        select: (ref) => ref,
      };
    case "text":
      return { literal: textArray(values as Array<string | null>), arrayType: "text[]", select: (ref) => ref };
    case "json":
      return {
        literal: textArray(values.map((v) => (v === null || v === undefined ? null : JSON.stringify(v)))),
        arrayType: "text[]",
        select: (ref) => `${ref}::jsonb`,
      };
    case "instant": {
      // Epoch milliseconds, or minutes when every instant is on a whole minute
      // (a third of the characters to send and parse). Exact either way, and
      // independent of the session's time zone.
      const ms = (values as Array<Date | null>).map((d) => (d ? d.getTime() : null));
      const wholeMinutes = ms.every((m) => m === null || m % MINUTE_MS === 0);
      return {
        literal: numberArray(wholeMinutes ? ms.map((m) => (m === null ? null : m / MINUTE_MS)) : ms),
        arrayType: "int8[]",
        select: (ref) =>
          `(timestamptz '1970-01-01 00:00:00+00' + ${ref} * interval '1 ${wholeMinutes ? "minute" : "millisecond"}')`,
      };
    }
    case "day":
      return {
        literal: numberArray((values as Array<Date | null>).map((d) => (d ? Math.floor(d.getTime() / DAY_MS) : null))),
        arrayType: "int4[]",
        select: (ref) => `(date '1970-01-01' + ${ref})`,
      };
    case "money":
      return {
        literal: numberArray(values as Array<string | null>),
        arrayType: "numeric[]",
        select: (ref) => ref,
      };
    case "label": {
      const dictionary = new Map<string, number>();
      const indexes = (values as Array<string | null>).map((value) => {
        if (value === null || value === undefined) return null;
        let index = dictionary.get(value);
        if (index === undefined) {
          index = dictionary.size + 1;
          dictionary.set(value, index);
        }
        return index;
      });
      return {
        literal: numberArray(indexes),
        arrayType: "int4[]",
        select: (ref) => ref,
        dictionary: textArray([...dictionary.keys()]),
      };
    }
  }
}

/** {1,2,NULL} — numbers and decimal strings need no quoting. */
function numberArray(values: ReadonlyArray<number | string | null | undefined>): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) out += ",";
    out += value === null || value === undefined ? "NULL" : String(value);
  }
  return `${out}}`;
}

/** {"a","b \"quoted\"",NULL} — every element quoted, so commas, braces and spaces are safe. */
export function textArray(values: ReadonlyArray<string | null | undefined>): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) out += ",";
    out += value === null || value === undefined ? "NULL" : `"${value.replace(/[\\"]/g, "\\$&")}"`;
  }
  return `${out}}`;
}
