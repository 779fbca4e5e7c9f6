// Issue 11, finding 9: "waiting on the buyer" holds the follow-up nudge back
// for at most `maxWaitingOnBuyerDays` (default 30) from the day it was
// recorded, even when its date is further out (recorded before the cap).
import { describe, expect, it } from "vitest";
import { utcDayNumber } from "./days";
import { settingsWith } from "./test-support";
import { activeWaivers } from "./waivers";

const grantedAt = new Date("2026-01-10T14:00:00.000Z");
const halfAYearLater = new Date("2026-07-10T00:00:00.000Z");
const waiting = {
  kind: "waiting_on_buyer" as const,
  until: halfAYearLater,
  reason: "Call me next season",
  createdAt: grantedAt,
};

function activeOn(day: string, maxWaitingOnBuyerDays?: number) {
  const asOf = new Date(`${day}T12:00:00.000Z`);
  const settings = settingsWith(maxWaitingOnBuyerDays ? { maxWaitingOnBuyerDays } : {});
  return activeWaivers([waiting], settings, asOf.getTime(), utcDayNumber(asOf));
}

describe("the waiting-on-buyer cap", () => {
  it("holds through the 30th day after it was recorded, and not a day longer", () => {
    expect(activeOn("2026-02-09")).toEqual([
      {
        kind: "waiting_on_buyer",
        untilDay: utcDayNumber(new Date("2026-02-09T00:00:00.000Z")),
        reason: waiting.reason,
      },
    ]);
    expect(activeOn("2026-02-10")).toEqual([]);
    expect(activeOn("2026-06-01")).toEqual([]);
  });

  it("follows the setting", () => {
    expect(activeOn("2026-03-01", 60)).toHaveLength(1);
    expect(activeOn("2026-03-12", 60)).toEqual([]);
  });
});
