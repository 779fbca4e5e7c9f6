import { describe, expect, it } from "vitest";
import { decideDateOrder, emptyEvidence, noteDateEvidence, resolveDate } from "./dates";

const iso = (text: string, as: "day" | "instant" = "instant", order: "us" | "eu" | null = null) => {
  const result = resolveDate(text, as, order);
  return result.ok ? result.date.toISOString() : `error: ${result.reason}`;
};

describe("resolveDate", () => {
  it.each([
    ["2026-03-31", "day", null, "2026-03-31T00:00:00.000Z"],
    ["2026-03-31", "instant", null, "2026-03-31T12:00:00.000Z"],
    ["2026-03-31 14:05", "instant", null, "2026-03-31T14:05:00.000Z"],
    ["2026-02-03T14:22:10.000+0000", "instant", null, "2026-02-03T14:22:10.000Z"],
    ["2026-02-03T14:22:10-05:00", "instant", null, "2026-02-03T19:22:10.000Z"],
    ["2026-02-03T14:22:10Z", "day", null, "2026-02-03T00:00:00.000Z"],
    ["3/31/2026", "day", null, "2026-03-31T00:00:00.000Z"],
    ["31/3/2026", "day", null, "2026-03-31T00:00:00.000Z"],
    ["3/4/2026", "day", "us", "2026-03-04T00:00:00.000Z"],
    ["3/4/2026", "day", "eu", "2026-04-03T00:00:00.000Z"],
    ["5/5/2026", "day", null, "2026-05-05T00:00:00.000Z"],
    ["1/15/2026 10:30 PM", "instant", "us", "2026-01-15T22:30:00.000Z"],
    ["12/1/2026 12:05 AM", "instant", "us", "2026-12-01T00:05:00.000Z"],
    ["31.03.2026", "day", null, "2026-03-31T00:00:00.000Z"],
    ["05.02.2026 10:12", "instant", null, "2026-02-05T10:12:00.000Z"],
  ] as const)("%s as %s (%s) → %s", (text, as, order, expected) => {
    expect(iso(text, as, order)).toBe(expected);
  });

  it("names the accepted formats when it cannot read a date", () => {
    expect(iso("31/31/2026")).toMatch(/not a date we can read\. Use 2026-03-31 \(ISO/);
    expect(iso("next Tuesday")).toMatch(/3\/31\/2026 \(US month\/day\/year\)/);
    expect(iso("2026-02-30")).toMatch(/not a real calendar date/);
  });

  it("refuses an ambiguous date when the file's order is not decided", () => {
    expect(iso("3/4/2026")).toMatch(/could be month\/day or day\/month/);
  });

  it("rejects a date that does not fit the order chosen for the file", () => {
    expect(iso("25/3/2026", "day", "us")).toMatch(/not a real date when read as month\/day\/year/);
  });
});

describe("decideDateOrder", () => {
  const evidence = (...dates: string[]) => {
    const collected = emptyEvidence();
    for (const [index, date] of dates.entries()) noteDateEvidence(collected, date, index + 2);
    return collected;
  };

  it("needs no order without slash dates", () => {
    expect(decideDateOrder(evidence("2026-01-02", "02.01.2026"), undefined)).toMatchObject({
      status: "decided",
      order: null,
    });
  });

  it("reads the order from a date that only fits one way, and says which", () => {
    const decision = decideDateOrder(evidence("3/4/2026", "3/25/2026"), undefined);
    expect(decision).toMatchObject({ status: "decided", order: "us" });
    expect(decision.status === "decided" && decision.explanation).toContain("“3/25/2026” on line 3");
    expect(decideDateOrder(evidence("3/4/2026", "25/3/2026"), undefined)).toMatchObject({ order: "eu" });
  });

  it("asks when every slash date is ambiguous — never guesses", () => {
    const decision = decideDateOrder(evidence("3/4/2026", "1/2/2026"), undefined);
    expect(decision.status).toBe("question");
    expect(decision.status === "question" && decision.question).toContain("“3/4/2026” (line 2)");
  });

  it("asks when the file writes dates both ways", () => {
    const decision = decideDateOrder(evidence("3/25/2026", "25/3/2026"), undefined);
    expect(decision.status === "question" && decision.question).toMatch(/both ways/);
  });

  it("uses the person's choice", () => {
    expect(decideDateOrder(evidence("3/4/2026"), "eu")).toMatchObject({ status: "decided", order: "eu", chosen: true });
  });
});
