import { describe, expect, it } from "vitest";
import { evaluateRep, evaluateReps, noNewPipeline, type RepFacts, repStart } from "./rep-rules";
import { DEFAULT_RULE_SETTINGS } from "./settings";
import { AS_OF, daysBefore, settingsWith, utcDate } from "./test-support";

const rep = (more: Partial<RepFacts>): RepFacts => ({
  id: "u-ana",
  name: "Ana Ruiz",
  teamId: "t-central",
  lastOpenedAt: daysBefore(1),
  firstOpenedAt: daysBefore(400),
  startDate: null,
  ...more,
});

describe("a rep's start (SPEC: the earliest of their first opened deal and their start date)", () => {
  it.each([
    { first: "2024-03-01T12:00:00Z", start: "2024-04-01", expected: "2024-03-01T12:00:00.000Z" },
    { first: "2024-05-01T12:00:00Z", start: "2024-04-01", expected: "2024-04-01T00:00:00.000Z" },
    { first: null, start: "2024-04-01", expected: "2024-04-01T00:00:00.000Z" },
    { first: "2024-05-01T12:00:00Z", start: null, expected: "2024-05-01T12:00:00.000Z" },
    { first: null, start: null, expected: null },
  ])("first deal $first, start date $start → $expected", ({ first, start, expected }) => {
    const started = repStart({
      firstOpenedAt: first ? new Date(first) : null,
      startDate: start ? utcDate(start) : null,
    });
    expect(started?.toISOString() ?? null).toBe(expected);
  });
});

describe("no-new-pipeline (no opportunity opened for more than 7 days)", () => {
  it.each([
    { case: "opened one yesterday", rep: rep({}), flagged: false },
    { case: "last opened 7 days ago", rep: rep({ lastOpenedAt: daysBefore(7) }), flagged: false },
    { case: "last opened 8 days ago", rep: rep({ lastOpenedAt: daysBefore(8) }), flagged: true },
    {
      case: "no deal yet, start date 7 days ago",
      rep: rep({ lastOpenedAt: null, firstOpenedAt: null, startDate: utcDate("2024-06-07") }),
      flagged: false,
    },
    {
      case: "no deal yet, start date 8 days ago",
      rep: rep({ lastOpenedAt: null, firstOpenedAt: null, startDate: utcDate("2024-06-06") }),
      flagged: true,
    },
    {
      case: "first deal after asOf, start date 30 days ago: counted from the start date",
      rep: rep({ lastOpenedAt: null, firstOpenedAt: daysBefore(-2), startDate: utcDate("2024-05-15") }),
      flagged: true,
    },
    {
      case: "first deal after asOf and no start date: had not started as of asOf",
      rep: rep({ lastOpenedAt: null, firstOpenedAt: daysBefore(-2), startDate: null }),
      flagged: false,
    },
    {
      case: "start date after asOf and no deal by then",
      rep: rep({ lastOpenedAt: null, firstOpenedAt: null, startDate: utcDate("2024-06-19") }),
      flagged: false,
    },
    {
      case: "nothing to count from",
      rep: rep({ lastOpenedAt: null, firstOpenedAt: null, startDate: null }),
      flagged: false,
    },
  ])("$case → flagged: $flagged", ({ rep: facts, flagged }) => {
    expect(noNewPipeline(facts, DEFAULT_RULE_SETTINGS, AS_OF) !== null).toBe(flagged);
  });

  it("explains with the gap and the last opening", () => {
    expect(noNewPipeline(rep({ lastOpenedAt: daysBefore(9) }), DEFAULT_RULE_SETTINGS, AS_OF)).toEqual({
      rule: "no-new-pipeline",
      severity: "nudge",
      explanation:
        "Ana Ruiz has opened no new opportunity for 9 days (last on Jun 5, 2024; limit 7 days, organisation default).",
      metrics: expect.objectContaining({
        repName: "Ana Ruiz",
        lastOpenedOn: "2024-06-05",
        limitDays: 7,
        limitSetBy: null,
      }),
    });
    expect(
      noNewPipeline(
        rep({ lastOpenedAt: null, firstOpenedAt: null, startDate: utcDate("2024-06-02") }),
        DEFAULT_RULE_SETTINGS,
        AS_OF,
      )?.explanation,
    ).toBe(
      "Ana Ruiz has opened no opportunity since starting on Jun 2, 2024, 12 days ago (limit 7 days, organisation default).",
    );
  });

  it("follows the setting", () => {
    const settings = settingsWith({ noNewPipelineDays: 1 });
    expect(noNewPipeline(rep({ lastOpenedAt: daysBefore(2) }), settings, AS_OF)?.explanation).toBe(
      "Ana Ruiz has opened no new opportunity for 2 days (last on Jun 12, 2024; limit 1 day, organisation default).",
    );
  });

  it("evaluates every rep, flagged or not", () => {
    const verdicts = evaluateReps(
      [rep({}), rep({ id: "u-bo", name: "Bo", lastOpenedAt: daysBefore(20) })],
      DEFAULT_RULE_SETTINGS,
      AS_OF,
    );
    expect(verdicts.map((v) => [v.userId, v.flags.length])).toEqual([
      ["u-ana", 0],
      ["u-bo", 1],
    ]);
    expect(evaluateRep(rep({}), DEFAULT_RULE_SETTINGS, AS_OF)).toEqual({ userId: "u-ana", flags: [] });
  });
});
