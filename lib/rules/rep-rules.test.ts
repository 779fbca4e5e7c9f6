import { describe, expect, it } from "vitest";
import { evaluateRep, evaluateReps, noNewPipeline, type RepFacts } from "./rep-rules";
import { DEFAULT_RULE_SETTINGS } from "./settings";
import { AS_OF, daysBefore, settingsWith } from "./test-support";

const rep = (more: Partial<RepFacts>): RepFacts => ({
  id: "u-ana",
  name: "Ana Ruiz",
  teamId: "t-central",
  lastOpenedAt: daysBefore(1),
  joinedAt: daysBefore(400),
  ...more,
});

describe("no-new-pipeline (no opportunity opened for more than 7 days)", () => {
  it.each([
    { case: "opened one yesterday", rep: rep({}), flagged: false },
    { case: "last opened 7 days ago", rep: rep({ lastOpenedAt: daysBefore(7) }), flagged: false },
    { case: "last opened 8 days ago", rep: rep({ lastOpenedAt: daysBefore(8) }), flagged: true },
    {
      case: "never opened one, joined 7 days ago",
      rep: rep({ lastOpenedAt: null, joinedAt: daysBefore(7) }),
      flagged: false,
    },
    {
      case: "never opened one, joined 8 days ago",
      rep: rep({ lastOpenedAt: null, joinedAt: daysBefore(8) }),
      flagged: true,
    },
    {
      case: "the latest opening is after asOf; counted from joining 30 days ago",
      rep: rep({ lastOpenedAt: daysBefore(-2), joinedAt: daysBefore(30) }),
      flagged: true,
    },
    { case: "joined after asOf", rep: rep({ lastOpenedAt: null, joinedAt: daysBefore(-5) }), flagged: false },
    { case: "nothing to count from", rep: rep({ lastOpenedAt: null, joinedAt: null }), flagged: false },
  ])("$case → flagged: $flagged", ({ rep: facts, flagged }) => {
    expect(noNewPipeline(facts, DEFAULT_RULE_SETTINGS, AS_OF) !== null).toBe(flagged);
  });

  it("explains with the gap and the last opening", () => {
    expect(noNewPipeline(rep({ lastOpenedAt: daysBefore(9) }), DEFAULT_RULE_SETTINGS, AS_OF)).toEqual({
      rule: "no-new-pipeline",
      severity: "nudge",
      explanation: "Ana Ruiz has opened no new opportunity for 9 days (last on Jun 5, 2024).",
      metrics: { daysSinceLastOpened: 9, gapDays: 9, limitDays: 7 },
    });
    expect(
      noNewPipeline(rep({ lastOpenedAt: null, joinedAt: daysBefore(12) }), DEFAULT_RULE_SETTINGS, AS_OF)?.explanation,
    ).toBe("Ana Ruiz has opened no opportunity since joining 12 days ago.");
  });

  it("follows the setting", () => {
    const settings = settingsWith({ noNewPipelineDays: 1 });
    expect(noNewPipeline(rep({ lastOpenedAt: daysBefore(2) }), settings, AS_OF)?.metrics.gapDays).toBe(2);
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
