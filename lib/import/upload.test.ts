import { describe, expect, it } from "vitest";
import { NdjsonLines, UploadError, UploadReader } from "./upload";

const encoder = new TextEncoder();

/** A body arriving in the given chunks, as a browser's upload would. */
function body(...chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function text(part: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let out = "";
  for await (const chunk of part) out += decoder.decode(chunk, { stream: true });
  return out + decoder.decode();
}

describe("UploadReader", () => {
  it("reads the options line, then each file's exact bytes, whatever the chunk boundaries", async () => {
    const first = "Deal ID,Owner\nD-1,Ana\n";
    const second = "Deal ID,Date\nD-1,2026-05-01\n";
    const options = JSON.stringify({ sizes: [first.length, second.length] });
    const whole = `${options}\n${first}${second}`;
    // Every split point, including inside the options line and across the two files.
    for (const at of [1, options.length, options.length + 1, options.length + 5, options.length + first.length + 1]) {
      const upload = new UploadReader(body(whole.slice(0, at), whole.slice(at)));
      expect(JSON.parse(await upload.readLine())).toEqual({ sizes: [first.length, second.length] });
      expect(await text(upload.part(first.length, "deals.csv"))).toBe(first);
      expect(await text(upload.part(second.length, "activities.csv"))).toBe(second);
      await expect(upload.expectEnd()).resolves.toBeUndefined();
    }
  });

  it("counts bytes, not characters: multi-byte text stays whole", async () => {
    const file = "Name\nZoë Müller — 株式会社\n";
    const size = encoder.encode(file).byteLength;
    const upload = new UploadReader(body(`{}\n${file}`));
    await upload.readLine();
    expect(await text(upload.part(size, "people.csv"))).toBe(file);
  });

  it("says which file was cut short", async () => {
    const upload = new UploadReader(body("{}\nDeal ID\nD-1\n"));
    await upload.readLine();
    await expect(text(upload.part(100, "deals.csv"))).rejects.toThrow(
      /The upload of deals.csv stopped after 12 of its 100 bytes/,
    );
  });

  it("refuses bytes beyond the announced sizes, and a body without an options line", async () => {
    const upload = new UploadReader(body("{}\nabc", "def"));
    await upload.readLine();
    await text(upload.part(3, "a.csv"));
    await expect(upload.expectEnd()).rejects.toThrow(UploadError);

    await expect(new UploadReader(body("no newline here")).readLine()).rejects.toThrow(/options/);
    await expect(new UploadReader(body("x".repeat(2000))).readLine(1000)).rejects.toThrow(/does not start/);
  });
});

describe("NdjsonLines", () => {
  it("yields complete lines as text arrives in pieces", () => {
    const lines = new NdjsonLines();
    expect(lines.push('{"type":"plan')).toEqual([]);
    expect(lines.push('ning"}\n{"type":"error","message":"x"}\n{"ty')).toEqual([
      { type: "planning" },
      { type: "error", message: "x" },
    ]);
    expect(lines.push('pe":"planning"}')).toEqual([]);
    expect(lines.end()).toEqual([{ type: "planning" }]);
  });
});
