// The sync's pure parts: secrets sealed and opened, Retry-After read both
// ways, history rows carrying the deal's whole state, HubSpot engagements in
// the app's words.
import { describe, expect, it } from "vitest";
import { toActivity } from "./hubspot";
import { retryAfterMs } from "./http";
import { ConnectionKeyError, decryptSecret, encryptSecret } from "./secrets";
import { historyRows } from "./to-import";

const key = Buffer.alloc(32, 1);

describe("connection secrets", () => {
  it("decrypt what they encrypt, differently each time, and refuse another key or a changed byte", () => {
    const a = encryptSecret("pat-na1-secret", key);
    const b = encryptSecret("pat-na1-secret", key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("pat-na1-secret");
    expect(decryptSecret(a, key)).toBe("pat-na1-secret");
    expect(() => decryptSecret(a, Buffer.alloc(32, 2))).toThrow(ConnectionKeyError);
    const [v, iv, tag, data] = a.split(".");
    const flipped = `${v}.${iv}.${tag}.${(data as string).startsWith("A") ? "B" : "A"}${(data as string).slice(1)}`;
    expect(() => decryptSecret(flipped, key)).toThrow(/cannot be decrypted/);
  });
});

describe("Retry-After", () => {
  it("reads seconds and HTTP dates; null when absent or unreadable", () => {
    expect(retryAfterMs("7")).toBe(7000);
    expect(retryAfterMs("Wed, 21 Oct 2026 07:28:10 GMT", Date.parse("2026-10-21T07:28:00Z"))).toBe(10_000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
  });
});

describe("history rows", () => {
  it("carry the close date and amount forward, and start from the first value the CRM recorded", () => {
    const at = (day: number) => new Date(Date.UTC(2026, 0, day));
    const rows = historyRows([
      { dealId: "1", at: at(10), stage: "B", closeDay: "2026-04-01" },
      { dealId: "1", at: at(1), stage: "A" },
      { dealId: "1", at: at(20), stage: "B", amount: "500" },
    ]);
    expect(rows).toEqual([
      ["1", at(1).toISOString(), "A", "2026-04-01", "500"],
      ["1", at(10).toISOString(), "B", "2026-04-01", "500"],
      ["1", at(20).toISOString(), "B", "2026-04-01", "500"],
    ]);
  });
});

describe("HubSpot engagements", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  const engagement = (properties: Record<string, string>) => ({ id: "9", properties });
  it.each([
    ["emails", { hs_timestamp: "2026-05-01T10:00:00Z", hs_email_direction: "INCOMING_EMAIL" }, "email", "buyer", true],
    ["emails", { hs_timestamp: "2026-05-01T10:00:00Z", hs_email_direction: "EMAIL" }, "email", "seller", true],
    ["calls", { hs_timestamp: "2026-05-01T10:00:00Z", hs_call_direction: "INBOUND" }, "call", "buyer", true],
    ["calls", { hs_timestamp: "2026-05-01T10:00:00Z", hs_call_direction: "OUTBOUND" }, "call", "seller", true],
    [
      "meetings",
      { hs_meeting_start_time: "2026-05-01T10:00:00Z", hs_meeting_outcome: "COMPLETED" },
      "meeting",
      "buyer",
      true,
    ],
    [
      "meetings",
      { hs_meeting_start_time: "2026-05-01T10:00:00Z", hs_meeting_outcome: "NO_SHOW" },
      "meeting",
      "buyer",
      false,
    ],
    ["meetings", { hs_meeting_start_time: "2026-07-01T10:00:00Z" }, "meeting", "buyer", false],
    ["tasks", { hs_timestamp: "2026-05-01T10:00:00Z", hs_task_status: "NOT_STARTED" }, "task", "seller", false],
    ["notes", { hs_timestamp: "2026-05-01T10:00:00Z", hs_note_body: "<p>Hi</p>" }, "note", "seller", true],
  ] as const)("%s %o → %s by the %s, done %s", (type, properties, kind, side, done) => {
    expect(toActivity(type, engagement(properties), "1", now)).toMatchObject({ type: kind, side, done, dealId: "1" });
  });
});
