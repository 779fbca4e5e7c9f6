// SPEC "The rules", no-new-pipeline (rep level, nudge): the rep opened no new
// opportunity in 7 days. A rep's start is the earliest of their first opened
// deal and a start date given for them — never when a record was created; a
// rep who had not started by asOf is not judged. Expected verdicts by hand.
import { describe, expect, it } from "vitest";
import { noNewPipeline, type RepFacts } from "../rep-rules";
import { AS_OF, daysBefore, settingsWith, utcDate } from "../test-support";

const settings = settingsWith();
const rep = (more: Partial<RepFacts>): RepFacts => ({
  id: "u-ana",
  name: "Ana Ruiz",
  teamId: "t-central",
  lastOpenedAt: null,
  firstOpenedAt: null,
  startDate: null,
  ...more,
});
const flagged = (facts: RepFacts, asOf = AS_OF) => noNewPipeline(facts, settings, asOf) !== null;

describe("no-new-pipeline: 7 days since the rep last opened an opportunity", () => {
  it.each<[string, RepFacts, boolean]>([
    ["last opened 6 days ago", rep({ lastOpenedAt: daysBefore(6), firstOpenedAt: daysBefore(300) }), false],
    ["exactly 7 days ago", rep({ lastOpenedAt: daysBefore(7), firstOpenedAt: daysBefore(300) }), false],
    ["8 days ago", rep({ lastOpenedAt: daysBefore(8), firstOpenedAt: daysBefore(300) }), true],
    [
      "last opened at 00:10 UTC 7 days before asOf's day (calendar days)",
      rep({ lastOpenedAt: new Date("2024-06-07T00:10:00Z"), firstOpenedAt: daysBefore(300) }),
      false,
    ],
    [
      "last opened at 23:50 UTC 8 days before asOf's day",
      rep({ lastOpenedAt: new Date("2024-06-06T23:50:00Z"), firstOpenedAt: daysBefore(300) }),
      true,
    ],
  ])("%s → flagged: %s", (_case, facts, expected) => {
    expect(flagged(facts)).toBe(expected);
  });
});

describe("no-new-pipeline: the rep's start when they opened nothing by asOf", () => {
  it.each<[string, RepFacts, boolean]>([
    ["start date 7 days before (Jun 7)", rep({ startDate: utcDate("2024-06-07") }), false],
    ["start date 8 days before (Jun 6)", rep({ startDate: utcDate("2024-06-06") }), true],
    ["start date on asOf's day", rep({ startDate: utcDate("2024-06-14") }), false],
    ["start date the day after asOf: had not started", rep({ startDate: utcDate("2024-06-15") }), false],
    ["no start date, first deal after asOf: had not started", rep({ firstOpenedAt: daysBefore(-3) }), false],
    [
      "start date 30 days before, first deal after asOf: counted from the start date",
      rep({ startDate: utcDate("2024-05-15"), firstOpenedAt: daysBefore(-3) }),
      true,
    ],
    ["neither a start date nor a deal: nothing to count from", rep({}), false],
  ])("%s → flagged: %s", (_case, facts, expected) => {
    expect(flagged(facts)).toBe(expected);
  });

  it("a historical as-of date: a rep imported today whose first deal was 100 days before asOf is judged", () => {
    // The record's creation (today, long after asOf) plays no part: only deals and the start date.
    const facts = rep({ firstOpenedAt: daysBefore(100), lastOpenedAt: daysBefore(20) });
    const flag = noNewPipeline(facts, settings, AS_OF);
    expect(flag?.metrics).toMatchObject({ lastOpenedOn: "2024-05-25", startedOn: "2024-03-06", limitDays: 7 });
    expect(flag?.explanation).toContain("has opened no new opportunity for 20 days");
  });
});
