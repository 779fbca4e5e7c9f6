import { describe, expect, it } from "vitest";
import { readCsv, sniffDelimiter } from "./csv";

async function records(text: string, chunkSize = 3) {
  const bytes = Buffer.from(text);
  async function* chunks() {
    for (let index = 0; index < bytes.length; index += chunkSize) yield bytes.subarray(index, index + chunkSize);
  }
  const out: string[] = [];
  for await (const record of readCsv(chunks())) out.push(`${record.line}:${record.values.join("|")}`);
  return out;
}

describe("readCsv", () => {
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
