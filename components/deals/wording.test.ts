import { describe, expect, it } from "vitest";
import type { DealFlagView } from "@/lib/deals/deal-row-view";
import { WHAT_TO_DO, waiverText, whatToDo } from "./wording";

const flag = (rule: string, severity: DealFlagView["severity"]): DealFlagView => ({
  rule,
  label: rule,
  severity,
  explanation: "",
});

describe("whatToDo", () => {
  it("says what to do for every deal rule", () => {
    for (const rule of [
      "past-its-time",
      "untouched",
      "stuck-in-stage",
      "close-date-slipping",
      "one-sided",
      "follow-up-gap",
    ]) {
      expect(WHAT_TO_DO[rule]).toBeTruthy();
    }
  });

  it.each([
    [[flag("close-date-slipping", "at_risk")], ["update the close date", "waiver"]],
    [[flag("follow-up-gap", "nudge")], ["waiting on buyer"]],
    [
      [flag("past-its-time", "stale"), flag("untouched", "stale")],
      ["move it back a stage", "return it to prospecting", "waiver"],
    ],
  ])("%#: plain steps for the flags", (flags, phrases) => {
    const text = whatToDo(flags).join(" ");
    for (const phrase of phrases) expect(text).toContain(phrase);
  });

  it("does not suggest a manager's waiver for a nudge alone", () => {
    expect(whatToDo([flag("follow-up-gap", "nudge")]).join(" ")).not.toContain("waiver");
  });
});

describe("waiverText", () => {
  const until = new Date("2027-01-15T00:00:00Z");
  it.each(["Budget frozen until January.", "Budget frozen until January"])(
    "quotes the reason ended once, never doubled: %j",
    (reason) => {
      const text = waiverText({ kind: "manager_keep", until, reason, byName: "Avery Collins" });
      expect(text).toBe(
        "Kept by Avery Collins until Jan 15, 2027: “Budget frozen until January.” Its flags are held back until then.",
      );
      expect(text).not.toMatch(/[.!?]”\./);
    },
  );
});
