import { describe, expect, it } from "vitest";
import { readCsv, sniffDelimiter } from "./csv";

async function records(text: string, chunkSize = 3, encoding: BufferEncoding = "utf8") {
  const bytes = Buffer.from(text, encoding);
  async function* chunks() {
    for (let index = 0; index < bytes.length; index += chunkSize) yield bytes.subarray(index, index + chunkSize);
  }
  const out: string[] = [];
  for await (const record of readCsv(chunks())) out.push(`${record.line}:${record.values.join("|")}`);
  return out;
}

describe("readCsv", () => {
  it("decodes UTF-16 (with or without a byte-order mark) even when it arrives a byte at a time", async () => {
    expect(await records("\uFEFFId\tName\r\n1\tZoë\r\n", 1, "utf16le")).toEqual(["1:Id|Name", "2:1|Zoë"]);
    expect(await records("Id,Name\n1,Åsa\n", 5, "utf16le")).toEqual(["1:Id|Name", "2:1|Åsa"]);
  });

  it("refuses a workbook or binary file, saying what it is and what to do", async () => {
    const read = async (bytes: Buffer) => {
      for await (const _ of readCsv([bytes])) {
        // reading is enough
      }
    };
    await expect(read(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]))).rejects.toThrow(/old Excel workbook \(\.xls\)/);
    await expect(read(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d]))).rejects.toThrow(/a PDF document, not a CSV file/);
    await expect(read(Buffer.from([7, 0, 0, 0, 9, 0, 0, 0, 1, 2, 0, 0, 0, 0, 3]))).rejects.toThrow(/binary data/);
  });

  it("reports the line each record starts on, across BOM, CR LF, quoted line breaks and blank lines", async () => {
    const text = '\uFEFFId,Name\r\n1,"a\r\nb"\r\n\r\n2,c\r\n3,"x\ny"\r\n   \r\n4,z,,extra\r\n';
    expect(await records(text)).toEqual(["1:Id|Name", "2:1|a\r\nb", "5:2|c", "6:3|x\ny", "9:4|z||extra"]);
  });

  it("reads semicolon files from European spreadsheets", async () => {
    expect(await records('Id;Name;Amount\n1;"A; B";"1.234,50"\n\n2;c;3', 1000)).toEqual([
      "1:Id|Name|Amount",
      "2:1|A; B|1.234,50",
      "4:2|c|3",
    ]);
  });

  it("reads quoted commas and doubled quotes", async () => {
    expect(await records('Id,Name\n1,"Acme, Inc. ""Phase 2"""\n')).toEqual(["1:Id|Name", '2:1|Acme, Inc. "Phase 2"']);
  });

  it("yields nothing for an empty file", async () => {
    expect(await records("")).toEqual([]);
  });

  it("sniffs the delimiter from the header line", () => {
    expect(sniffDelimiter("a,b,c")).toBe(",");
    expect(sniffDelimiter("a;b;c")).toBe(";");
    expect(sniffDelimiter("a\tb\tc")).toBe("\t");
    expect(sniffDelimiter('"a;b",c')).toBe(",");
  });
});
