import { describe, expect, it } from "vitest";
import {
  initialState,
  mappingFileName,
  mappingFileText,
  mappingFromState,
  stateFromMapping,
  suggestedColumns,
} from "./mappings";
import { mappingSchema, NO_COLUMN } from "./schema";

const HEADERS = ["Ref No", "Company", "Deal name", "Sales rep", "Stage", "Value", "Opened", "Expected close"];

describe("mappingFromState", () => {
  it("names every mapped column, and the columns the person took off that the preset would fill in", () => {
    const state = initialState("deals", "generic", HEADERS);
    // The generic suggestions: no deal id (Ref No is not a known alias), the rest by name.
    expect(state.columns.externalId).toBeUndefined();
    expect(state.columns.owner).toEqual(["Sales rep"]);
    state.columns.externalId = ["Ref No"];
    state.columns.expectedCloseDate = [];
    state.stages = { Evaluating: "Qualification", "": "won" };
    state.source = " acme-crm ";
    state.currency = "gbp";
    const mapping = mappingFromState(state);
    expect(mapping).toEqual({
      kind: "deals",
      preset: "generic",
      source: "acme-crm",
      columns: {
        externalId: "Ref No",
        name: "Deal name",
        account: "Company",
        owner: "Sales rep",
        stage: "Stage",
        amount: "Value",
        openedAt: "Opened",
        expectedCloseDate: NO_COLUMN,
      },
      stages: { Evaluating: "Qualification" },
      currency: "GBP",
    });
    expect(mappingSchema.safeParse(mapping).success).toBe(true);
  });

  it("keeps a preset's fallback columns as a list", () => {
    const headers = ["Id", "Name", "Account.Name", "AccountId", "StageName", "Owner.Name", "CreatedDate"];
    const mapping = mappingFromState(initialState("deals", "salesforce", headers));
    expect(mapping.columns?.account).toEqual(["Account.Name", "AccountId"]);
  });
});

describe("stateFromMapping", () => {
  it("finds a saved mapping's columns in a new export regardless of case and spaces, and lists those it lacks", () => {
    const { state, missingColumns } = stateFromMapping(
      {
        kind: "deals",
        preset: "generic",
        columns: { externalId: "REF NO", owner: "Sales rep", nextStep: "Next step", expectedCloseDate: NO_COLUMN },
        stages: { Evaluating: "Qualification" },
        dateOrder: "eu",
      },
      HEADERS,
      { kind: "activities", preset: "hubspot" },
    );
    expect(state.kind).toBe("deals");
    expect(state.columns.externalId).toEqual(["Ref No"]);
    expect(state.columns.nextStep).toBeUndefined();
    expect(state.columns.expectedCloseDate).toBeUndefined();
    // Fields the mapping does not name keep the preset's suggestion.
    expect(state.columns.amount).toEqual(suggestedColumns("generic", "deals", HEADERS).amount);
    expect(state.stages).toEqual({ Evaluating: "Qualification" });
    expect(state.dateOrder).toBe("eu");
    expect(missingColumns).toEqual(["Next step"]);
  });

  it("round-trips: the mapping of the form a mapping gives is that mapping", () => {
    const state = initialState("deals", "generic", HEADERS);
    state.columns.externalId = ["Ref No"];
    const mapping = mappingFromState(state);
    expect(mappingFromState(stateFromMapping(mapping, HEADERS, { kind: "people", preset: "generic" }).state)).toEqual(
      mapping,
    );
  });
});

describe("the JSON file", () => {
  it("is exactly what mappingSchema accepts, with a file name from the mapping's name", () => {
    const mapping = mappingFromState(initialState("deals", "generic", HEADERS));
    const text = mappingFileText(mapping);
    expect(mappingSchema.parse(JSON.parse(text))).toEqual(JSON.parse(text));
    expect(JSON.parse(text)).toEqual(mapping);
    expect(mappingFileName("Salesforce opportunities (EU) — Zoë")).toBe("salesforce-opportunities-eu-zoe.json");
    expect(mappingFileName("!!!")).toBe("mapping.json");
  });
});
