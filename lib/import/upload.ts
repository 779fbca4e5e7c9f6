// How the import page sends CSV files to its route handlers without anything
// buffering them (a multipart parser — request.formData() — holds the whole
// upload in memory): the request body is one line of JSON, the options with
// each file's size, then the files' bytes back to back. The handler reads the
// line, then hands each file to the CSV reader as its own stream of exactly
// `size` bytes, read as they arrive.
//
// The answer is NDJSON, one event per line: progress while the files are read
// and while the import writes, then the outcome. Pure (no database, no Next),
// shared by the route handlers and the page.
import type { ApplyStep } from "./mutations";
import type { ImportPreview, ImportResult } from "./run";

/** The options line is small (a mapping per file); anything longer is not our page talking. */
export const MAX_OPTIONS_BYTES = 512 * 1024;

export const IMPORT_CONTENT_TYPE = "application/vnd.pipeline-integrity.import";
export const NDJSON_CONTENT_TYPE = "application/x-ndjson; charset=utf-8";

export type ImportEvent =
  /** The server's reading of one file (every few thousand rows, and at its end). */
  | { type: "read"; file: string; index: number; bytes: number; records: number }
  /** Every file is read; comparing with the database (and, for apply, writing). */
  | { type: "planning" }
  | { type: "apply"; step: ApplyStep; done: number; total: number }
  | { type: "preview"; preview: ImportPreview; seconds: number }
  | { type: "result"; result: ImportResult; seconds: number }
  /** Apply refused before writing anything: the blockers, with the preview as it is now. */
  | { type: "refused"; message: string; preview: ImportPreview }
  | { type: "error"; message: string };

/** The upload does not have the shape the page sends: the person retries, the message says how. */
export class UploadError extends Error {}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a, 0);
  joined.set(b, a.byteLength);
  return joined;
}

/** Reads an upload body: the options line, then each file's bytes in turn. */
export class UploadReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private buffer: Uint8Array = new Uint8Array(0);
  private ended = false;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** Adds the next chunk of the body to the buffer; false at the end of the body. */
  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    const { value, done } = await this.reader.read();
    if (done) {
      this.ended = true;
      return false;
    }
    this.buffer = this.buffer.byteLength ? concat(this.buffer, value) : value;
    return true;
  }

  /** The first line of the body (without its newline), at most `max` bytes. */
  async readLine(max = MAX_OPTIONS_BYTES): Promise<string> {
    let searched = 0;
    for (;;) {
      const newline = this.buffer.indexOf(0x0a, searched);
      if (newline >= 0) {
        const line = new TextDecoder().decode(this.buffer.subarray(0, newline));
        this.buffer = this.buffer.subarray(newline + 1);
        return line;
      }
      searched = this.buffer.byteLength;
      if (searched > max) throw new UploadError("The upload does not start with the import's options.");
      if (!(await this.pull())) throw new UploadError("The upload ended before the import's options were complete.");
    }
  }

  /**
   * The next `size` bytes of the body, as they arrive. Parts must be read in
   * order, each to its end (the CSV reader does).
   */
  async *part(size: number, what: string): AsyncGenerator<Uint8Array> {
    let remaining = size;
    while (remaining > 0) {
      if (this.buffer.byteLength === 0 && !(await this.pull())) {
        throw new UploadError(
          `The upload of ${what} stopped after ${size - remaining} of its ${size} bytes. Choose the file again and retry.`,
        );
      }
      const take = Math.min(remaining, this.buffer.byteLength);
      const chunk = this.buffer.subarray(0, take);
      this.buffer = this.buffer.subarray(take);
      remaining -= take;
      yield chunk;
    }
  }

  /** Refuses bytes beyond the announced files (the sizes and the body disagree). */
  async expectEnd(): Promise<void> {
    while (this.buffer.byteLength === 0) {
      if (!(await this.pull())) return;
    }
    await this.reader.cancel().catch(() => undefined);
    throw new UploadError("The upload holds more bytes than its files' sizes. Choose the files again and retry.");
  }
}

/**
 * A streamed NDJSON answer: `run` sends events as it goes; an error it throws
 * becomes the last event (its message from `describeError`).
 */
export function ndjsonStream(
  run: (send: (event: ImportEvent) => void) => Promise<void>,
  describeError: (error: unknown) => string,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (event: ImportEvent) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        } catch {
          // The browser went away; the work itself finishes (or rolls back) regardless.
          open = false;
        }
      };
      try {
        await run(send);
      } catch (error) {
        send({ type: "error", message: describeError(error) });
      }
      if (open) {
        try {
          controller.close();
        } catch {
          // already closed by a cancelled reader
        }
      }
    },
  });
}

/** Splits NDJSON text as it arrives: complete lines out, the unfinished rest kept. */
export class NdjsonLines {
  private pending = "";

  push(text: string): ImportEvent[] {
    this.pending += text;
    const lines = this.pending.split("\n");
    this.pending = lines.pop() ?? "";
    return lines.filter((line) => line.trim()).map((line) => JSON.parse(line) as ImportEvent);
  }

  end(): ImportEvent[] {
    const rest = this.pending;
    this.pending = "";
    return rest.trim() ? [JSON.parse(rest) as ImportEvent] : [];
  }
}
