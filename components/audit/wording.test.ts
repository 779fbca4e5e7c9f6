import { describe, expect, it } from "vitest";
import { actionLabel, auditDiff, describeEntity, formatAuditValue } from "./wording";

const context = { currency: "USD", teamNames: { t1: "Central" } };

describe("actionLabel", () => {
  it.each([
    ["deal.move_back", "Moved back a stage"],
    ["review.run", "Ran a review"],
    ["settings.update", "Changed the settings"],
    ["user.create", "Added a person"],
    ["import.apply", "Imported CSV files"],
    ["settings.import_mapping.create", "Saved an import mapping"],
    ["import.run", "Imported data (run)"],
    ["import.deals.upsert", "Imported data (deals upsert)"],
    ["deal.reassign", "Changed a deal (reassign)"],
    ["something_new", "Something new"],
  ])("%s → %s", (action, label) => {
    expect(actionLabel(action)).toBe(label);
  });
});

describe("auditDiff", () => {
  it("shows changed keys as old → new, and leaves unchanged keys out", () => {
    const lines = auditDiff(
      { name: "Proposal", order: 4, probability: 60 },
      { name: "Proposal", order: 3, probability: 50 },
      context,
    );
    expect(lines).toEqual([
      { key: "order", label: "Place in the pipeline", before: "4", after: "3" },
      { key: "probability", label: "Win probability", before: "60%", after: "50%" },
    ]);
  });

  it("shows keys only on one side as additions or removals", () => {
    const lines = auditDiff({ stage: "Proposal" }, { stage: "Demo", reason: "No budget" }, context);
    expect(lines).toEqual([
      { key: "stage", label: "Stage", before: "Proposal", after: "Demo" },
      { key: "reason", label: "Reason", before: null, after: "No budget" },
    ]);
  });

  it("reads a creation (no before) and money, dates and words", () => {
    const lines = auditDiff(
      null,
      { amount: "125000.00", expectedCloseDate: "2026-12-31", status: "prospect", side: "buyer" },
      context,
    );
    expect(lines.map((line) => [line.label, line.before, line.after])).toEqual([
      ["Amount", null, "$125,000"],
      ["Expected close date", null, "Dec 31, 2026"],
      ["Status", null, "Prospecting"],
      ["Whose effort", null, "The buyer's"],
    ]);
  });

  it("uses the rule settings' own labels and units", () => {
    const [line] = auditDiff({ pastItsTimeMultiple: 2 }, { pastItsTimeMultiple: 1.5 }, context);
    expect(line?.label).toBe("Past its time after");
    expect(line?.before).toBe("2×");
    expect(line?.after).toBe("1.5×");
  });

  it("names teams instead of showing their ids; no team is the whole organisation", () => {
    expect(formatAuditValue("teamId", "t1", context)).toBe("Central");
    expect(formatAuditValue("teamId", null, context)).toBe("the whole organisation");
    expect(formatAuditValue("teamId", "t9", context)).toBe("another team");
  });

  it("says what deactivation means", () => {
    expect(auditDiff({ active: true }, { active: false }, context)).toEqual([
      { key: "active", label: "Can sign in", before: "yes (active)", after: "no (deactivated)" },
    ]);
  });
});

describe("describeEntity", () => {
  const base = { entityId: "7", deal: null, subject: null, before: null, after: null };

  it("links a deal to its page", () => {
    expect(
      describeEntity({ ...base, entityType: "opportunity", deal: { id: 7, name: "Acme" } }, { canManagePeople: false }),
    ).toEqual({
      label: "Acme",
      href: "/deals/7",
    });
  });

  it("links a person to the people page only for admins", () => {
    const entry = { ...base, entityType: "user", entityId: "u1", subject: { id: "u1", name: "Ana" } };
    expect(describeEntity(entry, { canManagePeople: true })).toEqual({ label: "Ana", href: "/users/u1" });
    expect(describeEntity(entry, { canManagePeople: false })).toEqual({ label: "Ana" });
  });

  it("names a stage or a quota from the recorded values", () => {
    expect(
      describeEntity({ ...base, entityType: "stage", after: { name: "Demo" } }, { canManagePeople: false }).label,
    ).toBe("Stage “Demo”");
    expect(
      describeEntity({ ...base, entityType: "quota", before: { rep: "Ben" } }, { canManagePeople: false }).label,
    ).toBe("Quota of Ben");
  });

  it("names a saved import mapping and links to the import page, not the settings", () => {
    const entry = { ...base, entityType: "settings", entityId: "import-mapping:3", after: { name: "HubSpot deals" } };
    expect(describeEntity(entry, { canManagePeople: false })).toEqual({
      label: "Import mapping “HubSpot deals”",
      href: "/import",
    });
    expect(describeEntity({ ...base, entityType: "settings", entityId: "1" }, { canManagePeople: false }).href).toBe(
      "/settings",
    );
  });
});
