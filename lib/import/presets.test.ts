import { describe, expect, it } from "vitest";
import { detectFile, normalizeHeader, presetColumns, stageEntryColumns, withoutPipeline } from "./presets";

describe("detectFile", () => {
  it.each([
    [
      ["Id", "AccountId", "Name", "StageName", "Amount", "CloseDate", "OwnerId", "CreatedDate", "IsClosed", "IsWon"],
      "salesforce",
      "deals",
    ],
    [
      [
        "Opportunity Name",
        "Account Name",
        "Stage",
        "Amount",
        "Close Date",
        "Created Date",
        "Opportunity Owner",
        "Next Step",
        "Probability (%)",
      ],
      "salesforce",
      "deals",
    ],
    [
      ["OpportunityId", "StageName", "CloseDate", "Amount", "PrevCloseDate", "PrevAmount", "CreatedDate"],
      "salesforce",
      "stage-history",
    ],
    [["Id", "WhatId", "Subject", "ActivityDate", "Status", "Type"], "salesforce", "activities"],
    [
      ["Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date", "Create Date", "Deal owner"],
      "hubspot",
      "deals",
    ],
    [["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Stage"], "pipedrive", "deals"],
    [["Activity - ID", "Activity - Subject", "Deal - ID"], "pipedrive", "activities"],
    [["Ref", "Customer", "Phase", "Deal value"], "generic", "deals"],
    // Finding 4: one column a spreadsheet may have too is no CRM's signature.
    [["deal_id", "deal_name", "deal_stage", "owner", "amount", "created"], "generic", "deals"],
    [["id", "stage_name", "owner", "amount", "opened"], "generic", "deals"],
    [["Opportunity Name", "Stage", "Owner", "Amount"], "generic", "deals"],
    [["dealname", "dealstage", "hs_object_id", "hubspot_owner_id", "createdate"], "hubspot", "deals"],
    [["Name", "Team", "Manager"], "generic", "people"],
    [["Deal", "When", "Side", "Summary"], "generic", "activities"],
  ] as const)("%j → %s %s", (headers, preset, kind) => {
    expect(detectFile(headers)).toMatchObject({ preset, kind });
  });
});

describe("headers", () => {
  it("match case- and space-insensitively", () => {
    expect(normalizeHeader("\uFEFFProbability (%)")).toBe("probability(%)");
    expect(presetColumns("salesforce", "deals", ["STAGE NAME", "close date", " Opportunity  Owner "])).toMatchObject({
      stage: ["STAGE NAME"],
      expectedCloseDate: ["close date"],
      owner: [" Opportunity  Owner "],
    });
  });

  it.each([
    ["salesforce", "LastActivityDate"],
    ["salesforce", "Last Activity"],
    ["hubspot", "Last Activity Date"],
    ["pipedrive", "Deal - Last activity date"],
    ["pipedrive", "Last activity date"],
    ["generic", "last_activity_at"],
    ["generic", "Last Activity"],
  ] as const)("recognise %s's last-activity column %j (it feeds the untouched rule)", (preset, header) => {
    expect(presetColumns(preset, "deals", ["Stage", header, "Amount"]).lastActivityAt).toEqual([header]);
  });

  it("keep fallbacks in order (first non-empty wins) for presets", () => {
    expect(presetColumns("pipedrive", "deals", ["Deal - Won time", "Deal - Close time"]).closedAt).toEqual([
      "Deal - Close time",
      "Deal - Won time",
    ]);
  });

  it("finds HubSpot's stage-entry columns and strips the pipeline", () => {
    expect(
      stageEntryColumns(['Date entered "Demo (Sales Pipeline)"', "Deal Stage", 'Date exited "Demo (Sales Pipeline)"']),
    ).toEqual([{ header: 'Date entered "Demo (Sales Pipeline)"', stage: "Demo (Sales Pipeline)" }]);
    expect(withoutPipeline("Demo (Sales Pipeline)")).toBe("Demo");
  });
});
