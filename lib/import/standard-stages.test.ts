import { describe, expect, it } from "vitest";
import { closedStatusOf, newStageName, standardPosition } from "./standard-stages";

describe("the CRMs' default pipelines", () => {
  it("orders Salesforce's standard stages however they are written", () => {
    const positions = [
      "Prospecting",
      "needs analysis",
      "Id. Decision Makers",
      "Proposal/Price Quote",
      "NEGOTIATION/REVIEW",
    ].map((stage) => standardPosition("salesforce", stage));
    expect(positions).toEqual([0, 2, 4, 6, 7]);
    expect(standardPosition("salesforce", "Pondering")).toBeNull();
  });

  it("gives HubSpot's internal names and labels the same place, and names new stages by label", () => {
    expect(standardPosition("hubspot", "qualifiedtobuy")).toBe(1);
    expect(standardPosition("hubspot", "Qualified To Buy")).toBe(1);
    expect(standardPosition("hubspot", "contractsent")).toBe(4);
    expect(newStageName("decisionmakerboughtin")).toBe("Decision Maker Bought-In");
    expect(newStageName("Demo")).toBe("Demo");
  });

  it("orders Pipedrive's default pipeline; a generic file has none", () => {
    expect(standardPosition("pipedrive", "Demo Scheduled")).toBe(2);
    expect(standardPosition("generic", "Qualification")).toBeNull();
  });

  it.each([
    ["Closed Won", "won"],
    ["closedwon", "won"],
    ["Won", "won"],
    ["Closed - Lost", "lost"],
    ["closedlost", "lost"],
    ["LOST", "lost"],
    ["Negotiation", null],
  ] as const)("%s means %s", (stage, status) => {
    expect(closedStatusOf(stage)).toBe(status);
  });
});
