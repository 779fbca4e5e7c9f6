import { describe, expect, it, test } from "vitest";
import {
  asSentence,
  formatAmountForInput,
  formatCount,
  formatOpenedDate,
  formatDayInZone,
  formatDays,
  formatMoney,
  formatMultiple,
  formatPlural,
  formatTimeOfDay,
} from "./format";

describe("formatDays", () => {
  test.each([
    [null, "—"],
    [0, "0 days"],
    [1, "1 day"],
    [212, "212 days"],
    [364, "364 days"],
    [365, "1.0 years (365 days)"],
    [1826, "5.0 years (1,826 days)"],
    [4000, "11.0 years (4,000 days)"],
  ])("%s → %s", (days, text) => {
    expect(formatDays(days)).toBe(text);
  });
});

describe("formatMultiple: coverage and age against the cycle in one form", () => {
  test.each([
    [8.94, "8.9×"],
    [0.456, "0.5×"],
    [2, "2.0×"],
    [5.5, "5.5×"],
    [12.4, "12×"],
    [1234.2, "1,234×"],
    [Number.POSITIVE_INFINITY, "—"],
  ])("%s → %s", (ratio, text) => {
    expect(formatMultiple(ratio)).toBe(text);
  });
});

test("thousands separators on counts and money", () => {
  expect(formatCount(1204)).toBe("1,204");
  expect(formatMoney("1480000.00")).toBe("$1,480,000");
});

test("formatPlural counts with separators and the right noun", () => {
  expect(formatPlural(1, "nudge")).toBe("1 nudge");
  expect(formatPlural(3, "nudge")).toBe("3 nudges");
  expect(formatPlural(0, "deal")).toBe("0 deals");
  expect(formatPlural(1204, "person", "people")).toBe("1,204 people");
});

describe("formatAmountForInput: what a person would type", () => {
  test.each([
    ["185000.00", "185000"],
    ["185000.5", "185000.50"],
    ["185000.25", "185000.25"],
    ["0", "0"],
    [null, ""],
  ])("%s → %s", (amount, text) => {
    expect(formatAmountForInput(amount)).toBe(text);
  });
});

describe("times in the viewer's zone", () => {
  const at = new Date("2026-12-05T15:10:00Z");
  test("the same instant reads in each viewer's own zone, zone named", () => {
    expect(formatTimeOfDay(at, "America/New_York")).toBe("10:10 AM EST");
    expect(formatTimeOfDay(at, "UTC")).toBe("3:10 PM UTC");
    expect(formatTimeOfDay(at, "Asia/Tokyo")).toBe("12:10 AM GMT+9");
  });
  test("the day too: late evening in New York is the next day in Tokyo", () => {
    const evening = new Date("2026-12-06T02:30:00Z");
    expect(formatDayInZone(evening, "America/New_York")).toBe("Dec 5, 2026");
    expect(formatDayInZone(evening, "Asia/Tokyo")).toBe("Dec 6, 2026");
  });
});

describe("asSentence: no doubled punctuation", () => {
  test.each([
    ["Budget frozen", "Budget frozen."],
    ["Budget frozen.", "Budget frozen."],
    ["Budget frozen..", "Budget frozen."],
    ["Back in January!", "Back in January!"],
    ["  two   spaces ", "two spaces."],
    ["“Signed by Friday.”", "“Signed by Friday.”"],
    ["", ""],
  ])("%j → %j", (text, sentence) => {
    expect(asSentence(text)).toBe(sentence);
  });
});

describe("formatOpenedDate", () => {
  it("shows a known opened date as the date, and a prospect's missing one as 'date unknown'", () => {
    expect(formatOpenedDate(new Date("2026-02-01T12:00:00.000Z"))).toBe("Feb 1, 2026");
    expect(formatOpenedDate(null)).toBe("date unknown");
  });
});
