// Streaming CSV reading with csv-parse: records come out as the bytes come
// in, so a 100,000-row file is never held as one string and the event loop
// keeps serving between chunks. Handles what CRM exports and spreadsheets
// produce: a UTF-8 BOM, quoted commas and line breaks, blank lines, rows
// longer or shorter than the header, and ";" or tab delimiters (European
// spreadsheets) — sniffed from the header line. UTF-16 files (Excel's
// "Unicode text") are decoded; a workbook, PDF or other binary file is
// refused with what it seems to be and what to do.
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

/** Files that are not text, by their first bytes: what they are, for the message. */
const BINARY_SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "an Excel workbook (.xlsx) or another zip archive" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "an old Excel workbook (.xls)" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document" },
  { bytes: [0x1f, 0x8b], what: "a gzip archive" },
];

const SAVE_AS_CSV =
  "Open it in Excel or LibreOffice and save it as “CSV UTF-8 (comma delimited)”, then import that file.";

/**
 * How the file's bytes are text: UTF-8 (with or without a BOM), or UTF-16 —
 * by its byte-order mark, or by the zero byte beside every ASCII letter when
 * it has none. Throws for a file that is not text at all.
 */
export function sniffEncoding(first: Uint8Array): "utf-8" | "utf-16le" | "utf-16be" {
  if (first[0] === 0xff && first[1] === 0xfe) return "utf-16le";
  if (first[0] === 0xfe && first[1] === 0xff) return "utf-16be";
  for (const signature of BINARY_SIGNATURES) {
    if (signature.bytes.every((byte, index) => first[index] === byte)) {
      throw new CsvFormatError(`This file is ${signature.what}, not a CSV file. ${SAVE_AS_CSV}`);
    }
  }
  const sample = first.subarray(0, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let index = 0; index < sample.length; index++) {
    if (sample[index] === 0) {
      if (index % 2 === 0) evenZeros++;
      else oddZeros++;
    }
  }
  const pairs = Math.floor(sample.length / 2);
  if (pairs > 0 && oddZeros > pairs * 0.4 && evenZeros === 0) return "utf-16le";
  if (pairs > 0 && evenZeros > pairs * 0.4 && oddZeros === 0) return "utf-16be";
  if (evenZeros + oddZeros > sample.length * 0.1) {
    throw new CsvFormatError(`This file holds binary data, not text: it is not a CSV file. ${SAVE_AS_CSV}`);
  }
  return "utf-8";
}

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
  let decoder: TextDecoder | null = null;
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

  // The first bytes say how the rest is encoded (a UTF-16 BOM is dropped by
  // the decoder); an upload's first chunk may be a few bytes, so gather some.
  let firstBytes: Uint8Array[] = [];
  let firstLength = 0;
  const decode = (chunk: Chunk, final: boolean): string => {
    if (typeof chunk === "string") {
      decoder ??= new TextDecoder("utf-8");
      return chunk;
    }
    if (decoder) return decoder.decode(chunk, { stream: true });
    firstBytes.push(chunk);
    firstLength += chunk.byteLength;
    if (firstLength < 512 && !final) return "";
    const start = Buffer.concat(firstBytes);
    firstBytes = [];
    decoder = new TextDecoder(sniffEncoding(start));
    return decoder.decode(start, { stream: true });
  };

  for await (const chunk of source) {
    const text = decode(chunk, false);
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (text === "") continue;
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
  // A file shorter than the bytes gathered for the encoding arrives only now.
  if (firstBytes.length) head += decode(new Uint8Array(0), true);
  const tail = (decoder as TextDecoder | null)?.decode() ?? "";
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
