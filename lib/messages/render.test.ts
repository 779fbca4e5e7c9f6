import { describe, expect, it } from "vitest";
import type { DigestDeal, ManagerBrief, RepDigest } from "./content";
import { oneAction, orderDigestDeals, pipelineNudge } from "./content";
import { escapeHtml, renderManagerBrief, renderRepDigest } from "./render";

const reader = { userId: "u1", name: "Ana Rep", email: "ana@example.com", timeZone: "Europe/Berlin", locale: "de-DE" };

function deal(overrides: Partial<DigestDeal>): DigestDeal {
  return {
    id: 1,
    name: "Deal",
    accountName: null,
    stageName: "Demo",
    amountCents: 1_250_000,
    currency: "EUR",
    flagLabel: "Untouched",
    severity: "stale",
    explanation: "No activity for 120 days.",
    action: oneAction("untouched"),
    flaggedSince: new Date("2026-12-01T23:30:00Z"),
    newThisWeek: false,
    ...overrides,
  };
}

function digest(overrides: Partial<RepDigest>): RepDigest {
  return {
    kind: "rep-digest",
    recipient: reader,
    meetingDay: "2026-12-07",
    asOf: new Date("2026-12-07T06:00:00Z"),
    reviewed: true,
    deals: [],
    daysSinceLastNewDeal: 3,
    noNewPipelineDays: 7,
    openDeals: 4,
    ...overrides,
  };
}

describe("renderRepDigest", () => {
  it("writes dates and money in the reader's locale and time zone", () => {
    const rendered = renderRepDigest(digest({ deals: [deal({})] }), "https://app.example");
    expect(rendered.text).toContain("Montag, 7. Dezember 2026");
    // 23:30 UTC on Dec 1 is already Dec 2 in Berlin.
    expect(rendered.text).toContain("Untouched since 02.12.2026");
    expect(rendered.text).toMatch(/12\.500\s€/);
    expect(rendered.text).toContain("https://app.example/deals/1");
  });

  it("says the pipeline is clean only after a review", () => {
    expect(renderRepDigest(digest({}), "https://app.example").subject).toBe("Your pipeline is clean this week");
    expect(renderRepDigest(digest({ reviewed: false }), "https://app.example").subject).toBe(
      "Your deals this week: not reviewed yet",
    );
  });

  it("escapes what people typed in the HTML part", () => {
    const rendered = renderRepDigest(digest({ deals: [deal({ name: '<script>alert("x")</script>' })] }), "https://a");
    expect(rendered.html).not.toContain("<script>");
    expect(rendered.html).toContain(escapeHtml('<script>alert("x")</script>'));
  });
});

describe("digest content", () => {
  it("puts newly flagged deals first, then the worst", () => {
    const ordered = orderDigestDeals([
      deal({ id: 1, severity: "nudge" }),
      deal({ id: 2, severity: "stale" }),
      deal({ id: 3, severity: "at_risk", newThisWeek: true }),
    ]);
    expect(ordered.map((row) => row.id)).toEqual([3, 2, 1]);
  });

  it("gives one action, not the whole paragraph", () => {
    expect(oneAction("close-date-slipping")).toBe("Agree a date with the buyer and update the close date.");
    expect(oneAction("a-rule-from-the-future")).toBe("Open the deal to see why it is flagged and act on it.");
  });

  it("nudges differently for a broken streak, a live one and none", () => {
    expect(pipelineNudge(null, 7)).toContain("not opened an opportunity yet");
    expect(pipelineNudge(12, 7)).toContain("12 days ago (the aim is at least one every 7 days)");
    expect(pipelineNudge(2, 7)).toContain("Keep the streak");
  });
});

describe("renderManagerBrief", () => {
  const brief: ManagerBrief = {
    kind: "manager-brief",
    recipient: { ...reader, name: "Carla Manager", locale: "en-US", timeZone: "America/New_York" },
    teamName: "Central",
    meetingDay: "2026-12-08",
    asOf: new Date("2026-12-07T06:00:00Z"),
    reviewed: true,
    currency: "USD",
    whatChanged: null,
    reps: [
      {
        repId: "r1",
        repName: "Ana Rep",
        deals: [
          {
            id: 7,
            name: "Acme",
            stageName: "Proposal",
            amountCents: 100,
            currency: "USD",
            flagLabel: "Untouched",
            explanation: "x",
          },
        ],
        earlyGroup: { deals: 3, valueCents: 4_500_000 },
      },
    ],
    expiringWaivers: [],
    salesTrap: ["Won $900k this month while open pipeline fell 20%."],
  };

  it("leads with the sales trap and ends with meeting mode", () => {
    const rendered = renderManagerBrief(brief, "https://app.example");
    expect(rendered.subject).toBe("Central: brief for the meeting on Dec 8, 2026 — sales-trap warning");
    expect(rendered.text.indexOf("WARNING: THE SALES TRAP")).toBeLessThan(rendered.text.indexOf("DEALS TO DISCUSS"));
    expect(rendered.text).toContain("3 early-stage deals, $45,000 — anything new?");
    expect(rendered.text).toContain("Meeting mode: https://app.example/meeting");
    expect(rendered.text).not.toContain("WHAT CHANGED");
  });

  it("shows the week as a waterfall: open a week ago, what moved in and out, open now", () => {
    const rendered = renderManagerBrief(
      {
        ...brief,
        whatChanged: {
          openBefore: { deals: 10, valueCents: 10_000_000 },
          openNow: { deals: 9, valueCents: 8_000_000 },
          lines: [
            { label: "Won", deals: 2, valueCents: 3_000_000, sign: -1 },
            { label: "Opened or reopened", deals: 1, valueCents: 1_000_000, sign: 1 },
            { label: "Moved back", deals: 1, valueCents: 500_000, sign: 0 },
            { label: "Lost or removed", deals: 0, valueCents: 0, sign: -1 },
          ],
        },
      },
      "https://app.example",
    );
    expect(rendered.text).toContain(
      [
        "WHAT CHANGED SINCE LAST WEEK",
        "- A week ago: 10 open deals, $100,000",
        "- Won: 2 (−$30,000)",
        "- Opened or reopened: 1 (+$10,000)",
        "- Moved back: 1 ($5,000)",
        "- Now: 9 open deals, $80,000",
      ].join("\n"),
    );
    expect(rendered.text).not.toContain("Lost or removed");
  });
});
