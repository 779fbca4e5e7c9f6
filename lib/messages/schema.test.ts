import { describe, expect, it } from "vitest";
import { preferenceSchema, teamMessagingSchema } from "./schema";

describe("preferenceSchema", () => {
  it("reads a form's checkboxes and leaves empty zone and locale to the organisation", () => {
    expect(preferenceSchema.parse({ repDigest: "on", timeZone: " ", locale: "" })).toEqual({
      repDigest: true,
      managerBrief: false,
      cleanNote: false,
      timeZone: null,
      locale: null,
    });
  });

  it("refuses a time zone or locale that does not exist, saying what to enter", () => {
    const result = preferenceSchema.safeParse({ timeZone: "Mars/Olympus", locale: "not a locale!" });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) ?? [];
    expect(messages).toEqual([
      expect.stringMatching(/^timeZone: Pick a time zone from the list/),
      expect.stringMatching(/^locale: Use a language tag such as en-US/),
    ]);
  });
});

describe("teamMessagingSchema", () => {
  it("keeps the stored webhook when the field is left empty, replaces it when given, removes it when asked", () => {
    const base = { teamId: "t1", meetingWeekday: "2", webhookKind: "teams" };
    expect(teamMessagingSchema.parse({ ...base, webhookUrl: "" }).webhook).toBeUndefined();
    expect(teamMessagingSchema.parse({ ...base, webhookUrl: "https://example.webhook.office.com/x" }).webhook).toEqual({
      kind: "teams",
      url: "https://example.webhook.office.com/x",
    });
    expect(teamMessagingSchema.parse({ ...base, webhookUrl: "", removeWebhook: "on" }).webhook).toBeNull();
  });

  it("refuses a webhook that is not a web address and a day that is not a weekday", () => {
    const result = teamMessagingSchema.safeParse({ teamId: "t1", meetingWeekday: "9", webhookUrl: "hooks.slack.com" });
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["meetingWeekday", "webhookUrl"]);
  });
});
