// Streaming CSV reading with csv-parse: records come out as the bytes come
// in, so a 100,000-row file is never held as one string and the event loop
// keeps serving between chunks. Handles what CRM exports and spreadsheets
// produce: a UTF-8 BOM, quoted commas and line breaks, blank lines, rows
// longer or shorter than the header, and ";" or tab delimiters (European
// spreadsheets) — sniffed from the header line.
import { parse } from "csv-parse";

export interface CsvRecord {
  /** 1-based line in the file where the record starts, as an editor shows it. */
  line: number;
  values: string[];
}

export interface CsvProgress {
  bytes: number;
  records: number;
}

export class CsvFormatError extends Error {}

type Chunk = Uint8Array | string;

/** A file's bytes or text as they arrive: a stream, or chunks already in memory (tests). */
export type CsvSource = AsyncIterable<Chunk> | Iterable<Chunk>;

/** The delimiter the header line uses most: comma, semicolon or tab. */
export function sniffDelimiter(firstLine: string): "," | ";" | "\t" {
  let inQuotes = false;
  const counts = { ",": 0, ";": 0, "\t": 0 };
  for (const char of firstLine) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (char === "," || char === ";" || char === "\t")) counts[char]++;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","] && counts["\t"] > counts[";"]) return "\t";
  return ",";
}

function lineBreaks(value: string): { breaks: number; crlf: number } {
  let breaks = 0;
  let crlf = 0;
  for (let index = 0; index < value.length; index++) {
    const char = value.charCodeAt(index);
    if (char === 13) {
      breaks++;
      if (value.charCodeAt(index + 1) === 10) {
        crlf++;
        index++;
      }
    } else if (char === 10) breaks++;
  }
  return { breaks, crlf };
}

/**
 * Yields the file's records (the header first) with the line each starts on.
 * `onProgress` is called every `progressEvery` records and at the end.
 */
export async function* readCsv(
  source: CsvSource,
  options: { onProgress?: (progress: CsvProgress) => void; progressEvery?: number } = {},
): AsyncGenerator<CsvRecord> {
  const progressEvery = options.progressEvery ?? 5000;
  const decoder = new TextDecoder("utf-8");
  let bytes = 0;
  let records = 0;
  // csv-parse counts a CR LF inside a quoted field as two lines; correct for it.
  let crlfInsideFields = 0;
  let parser: ReturnType<typeof parse> | null = null;
  let head = "";
  const pending: CsvRecord[] = [];
  let failure: Error | null = null;

  const startParser = (delimiter: string) => {
    const created = parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      info: true,
    });
    created.on("readable", () => {
      let item: { record: string[]; info: { lines: number } } | null;
      // biome-ignore lint/suspicious/noAssignInExpressions: the stream's read loop
      while ((item = created.read()) !== null) {
        let breaks = 0;
        for (const value of item.record) {
          const counted = lineBreaks(value);
          breaks += counted.breaks;
          crlfInsideFields += counted.crlf;
        }
        const end = item.info.lines - crlfInsideFields;
        pending.push({ line: end - breaks, values: item.record });
      }
    });
    created.on("error", (error: Error) => {
      failure = new CsvFormatError(`The file is not valid CSV: ${error.message}`);
    });
    return created;
  };

  const write = async (text: string) => {
    if (!parser) return;
    if (!parser.write(text)) await new Promise<void>((resolve) => parser?.once("drain", () => resolve()));
  };

  for await (const chunk of source) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (!parser) {
      head += text;
      const newline = head.search(/\r|\n/);
      if (newline < 0 && head.length < 1_000_000) continue;
      parser = startParser(sniffDelimiter(head.slice(0, newline < 0 ? undefined : newline).replace(/^\uFEFF/, "")));
      await write(head);
      head = "";
    } else {
      await write(text);
    }
    if (failure) throw failure;
    while (pending.length) {
      const record = pending.shift() as CsvRecord;
      records++;
      if (records % progressEvery === 0) options.onProgress?.({ bytes, records });
      yield record;
    }
  }
  const tail = decoder.decode();
  if (!parser) parser = startParser(sniffDelimiter(head.split(/\r|\n/)[0]?.replace(/^\uFEFF/, "") ?? ""));
  const finished = new Promise<void>((resolve, reject) => {
    parser?.once("end", () => resolve());
    parser?.once("error", (error) => reject(new CsvFormatError(`The file is not valid CSV: ${error.message}`)));
  });
  parser.end(head + tail);
  await finished;
  if (failure) throw failure;
  for (const record of pending.splice(0)) {
    records++;
    yield record;
  }
  options.onProgress?.({ bytes, records });
}
