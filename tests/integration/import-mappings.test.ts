// Saved import mappings against a real database: an admin saves, replaces and
// renames them (each audited), names are unique regardless of case, managers
// and signed-out callers are refused with nothing written, and a saved
// mapping downloaded as JSON is exactly what the importer (and so
// `npm run import -- --mapping`) accepts — and reads the file it was made for.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { renameImportMappingAction, saveImportMappingAction } from "@/lib/import/actions";
import { mappingFileText } from "@/lib/import/mappings";
import { listImportMappings } from "@/lib/import/mappings-data";
import { getImportPageData } from "@/lib/import/page-data";
import { mappingSchema } from "@/lib/import/schema";
import { resetDatabase } from "../fixtures/reset-database";
import { signInAs, signOut } from "../fixtures/sign-in";
import { createSmallOrg, type SmallOrg } from "../fixtures/small-org";
import { revalidatedPaths } from "../setup/next-cache";
import { FIXTURES, fixture, preview } from "./import-helpers";

let org: SmallOrg;
const GENERIC = JSON.parse(readFileSync(path.join(FIXTURES, "generic-mapping.json"), "utf8"));

// Every case starts from a fresh organisation with no saved mapping and saves
// what it needs itself (the helpers below), so each stands alone in any order.
beforeEach(async () => {
  await resetDatabase();
  org = await createSmallOrg();
});

const OTHER_DATE_ORDER = GENERIC.dateOrder === "us" ? "eu" : "us";

/** "Acme CRM deals": the generic fixture's mapping, saved by the admin. */
async function saveAcme() {
  await signInAs(org.people.admin);
  expect(await saveImportMappingAction({ name: "Acme CRM deals", mapping: GENERIC })).toMatchObject({ ok: true });
}

/** Acme's mapping replaced with the other date order, as "Acme CRM deals (US dates)". */
async function saveAcmeReplaced() {
  await saveAcme();
  const [saved] = await listImportMappings();
  const result = await saveImportMappingAction({
    name: "Acme CRM deals (US dates)",
    mapping: { ...GENERIC, dateOrder: OTHER_DATE_ORDER, stages: { ...GENERIC.stages, Someday: "lost" } },
    replaceId: String(saved?.id),
  });
  expect(result).toMatchObject({ ok: true });
}

/** Then a HubSpot mapping saved and Acme's renamed "Acme deals". */
async function saveAcmeAndHubSpot() {
  await saveAcmeReplaced();
  await saveImportMappingAction({ name: "HubSpot deals", mapping: { kind: "deals", preset: "hubspot" } });
  const acme = (await listImportMappings()).find((mapping) => mapping.name.startsWith("Acme"));
  expect(await renameImportMappingAction(null, { id: acme?.id, name: "Acme deals" })).toMatchObject({ ok: true });
}

const mappingAudits = () =>
  db.auditEvent.findMany({ where: { action: { startsWith: "settings.import_mapping." } }, orderBy: { id: "asc" } });

describe("saving a mapping", () => {
  it("saves a new mapping for an admin, lists it with who saved it, and audits it", async () => {
    await signInAs(org.people.admin);
    const result = await saveImportMappingAction({ name: "Acme CRM deals", mapping: GENERIC });
    expect(result).toMatchObject({ ok: true, data: { name: "Acme CRM deals", replaced: false } });
    expect(result.ok && result.message).toContain("Saved as “Acme CRM deals”");
    expect(revalidatedPaths).toContain("/import");

    const [saved] = await listImportMappings();
    expect(saved).toMatchObject({
      name: "Acme CRM deals",
      kind: "deals",
      preset: "generic",
      createdBy: "Ada Admin",
      problem: null,
    });
    expect(saved?.mapping).toEqual(mappingSchema.parse(GENERIC));

    const [audit] = await mappingAudits();
    expect(audit).toMatchObject({
      actorId: org.people.admin.userId,
      action: "settings.import_mapping.create",
      entityType: "settings",
      entityId: `import-mapping:${saved?.id}`,
    });
    expect(audit?.after).toMatchObject({ name: "Acme CRM deals", mapping: { source: "acme-crm" } });
  });

  it("refuses a second mapping with the same name in other letters, on the name field", async () => {
    await saveAcme();
    const result = await saveImportMappingAction({ name: "  acme crm DEALS ", mapping: GENERIC });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors?.name?.[0]).toContain("A saved mapping is already called “Acme CRM deals”");
    expect(await db.importMapping.count()).toBe(1);
  });

  it("refuses a mapping the importer would not accept, saying which field", async () => {
    await saveAcme();
    const bad = await saveImportMappingAction({
      name: "Broken",
      mapping: { ...GENERIC, currency: "pounds", kind: undefined },
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.fieldErrors ?? {})).toEqual(expect.arrayContaining(["mapping.currency", "mapping.kind"]));
    expect(bad.fieldErrors?.["mapping.currency"]).toEqual(["Use a three-letter currency code such as USD."]);
    const noName = await saveImportMappingAction({ name: "   ", mapping: GENERIC });
    expect(!noName.ok && noName.fieldErrors?.name?.[0]).toContain("Name the mapping");
    expect(await db.importMapping.count()).toBe(1);
  });

  it("replaces a mapping's content (and name), keeping who first saved it; before → after in the audit trail", async () => {
    await saveAcme();
    const [saved] = await listImportMappings();
    const otherOrder = GENERIC.dateOrder === "us" ? "eu" : "us";
    const changed = { ...GENERIC, dateOrder: otherOrder, stages: { ...GENERIC.stages, Someday: "lost" } };
    const result = await saveImportMappingAction({
      name: "Acme CRM deals (US dates)",
      mapping: changed,
      replaceId: String(saved?.id),
    });
    expect(result).toMatchObject({ ok: true, data: { id: saved?.id, replaced: true } });
    const after = await listImportMappings();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ name: "Acme CRM deals (US dates)", createdBy: "Ada Admin" });
    expect(after[0]?.mapping?.dateOrder).toBe(otherOrder);
    expect(after[0]?.mapping?.stages?.Someday).toBe("lost");

    const audit = (await mappingAudits()).at(-1);
    expect(audit?.action).toBe("settings.import_mapping.replace");
    expect(audit?.before).toMatchObject({ name: "Acme CRM deals", mapping: { dateOrder: GENERIC.dateOrder } });
    expect(audit?.after).toMatchObject({ name: "Acme CRM deals (US dates)", mapping: { dateOrder: otherOrder } });
  });

  it("refuses to replace a mapping that does not exist", async () => {
    await saveAcme();
    const result = await saveImportMappingAction({ name: "Ghost", mapping: GENERIC, replaceId: 9999 });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("no longer exists") });
    expect(await db.importMapping.count()).toBe(1);
  });
});

describe("renaming a mapping", () => {
  it("renames (audited), says when nothing changed, and refuses a name another mapping has", async () => {
    await saveAcmeReplaced();
    await saveImportMappingAction({ name: "HubSpot deals", mapping: { kind: "deals", preset: "hubspot" } });
    const [acme, hubspot] = await listImportMappings();
    const form = new FormData();
    form.set("id", String(acme?.id));
    form.set("name", "Acme deals");
    expect(await renameImportMappingAction(null, form)).toMatchObject({
      ok: true,
      data: { name: "Acme deals", changed: true },
    });
    expect(await renameImportMappingAction(null, { id: acme?.id, name: "Acme deals" })).toMatchObject({
      ok: true,
      message: "Nothing changed: it already has that name.",
    });
    const taken = await renameImportMappingAction(null, { id: hubspot?.id, name: "ACME DEALS" });
    expect(!taken.ok && taken.fieldErrors?.name?.[0]).toContain("already called “Acme deals”");

    const audit = (await mappingAudits()).at(-1);
    expect(audit).toMatchObject({
      action: "settings.import_mapping.rename",
      before: { name: "Acme CRM deals (US dates)" },
      after: { name: "Acme deals" },
    });
    expect((await listImportMappings()).map((mapping) => mapping.name)).toEqual(["Acme deals", "HubSpot deals"]);
  });
});

describe("who may save", () => {
  it("refuses managers and signed-out callers before reading the input; nothing is written", async () => {
    const before = { mappings: await db.importMapping.count(), audits: await db.auditEvent.count() };
    await signInAs(org.people.centralManager);
    const manager = await saveImportMappingAction({ name: "Mine", mapping: GENERIC });
    expect(manager).toEqual({
      ok: false,
      message: "Only administrators can save import mappings. Ask your manager.",
      fieldErrors: undefined,
    });
    const rename = await renameImportMappingAction(null, { id: 1, name: "Mine" });
    expect(rename).toMatchObject({ ok: false, message: expect.stringContaining("Only administrators") });
    await expect(getImportPageData(org.people.centralManager)).rejects.toThrow(/Only administrators/);

    signOut();
    const signedOut = await saveImportMappingAction({ name: "Mine", mapping: GENERIC });
    expect(signedOut).toMatchObject({ ok: false, message: expect.stringContaining("You are signed out") });
    expect({ mappings: await db.importMapping.count(), audits: await db.auditEvent.count() }).toEqual(before);
  });
});

describe("a saved mapping as the command's JSON file", () => {
  it("is exactly what mappingSchema accepts, and reads the export it was made for", async () => {
    await saveAcmeAndHubSpot();
    const data = await getImportPageData(org.people.admin);
    const acme = data.savedMappings.find((mapping) => mapping.name === "Acme deals");
    if (!acme?.mapping) throw new Error("the saved mapping is missing");
    const json = JSON.parse(mappingFileText(acme.mapping));
    expect(mappingSchema.strict().parse(json)).toEqual(json);

    // The same mapping, through the importer the command line uses (the
    // saved one has the other date order, so put the file's back).
    json.dateOrder = GENERIC.dateOrder;
    const result = await preview([
      fixture("generic-deals.csv", { mapping: json, kind: json.kind, preset: json.preset }),
    ]);
    const [file] = result.files;
    expect(file?.missingColumns).toEqual([]);
    expect(file?.source).toBe("acme-crm");
    expect(file?.dateOrder).toMatchObject({ status: "decided", chosen: true });
    expect(file?.counts.new).toBeGreaterThan(0);
  });

  it("shows up on the import page's data with the stages and teams to map to", async () => {
    await saveAcmeAndHubSpot();
    const data = await getImportPageData(org.people.admin);
    expect(data.stages.map((stage) => stage.name)).toEqual([
      "Discovery",
      "Qualification",
      "Demo",
      "Proposal",
      "Negotiation",
    ]);
    expect(data.teams).toEqual(["Central", "West"]);
    expect(data.savedMappings.map((mapping) => mapping.name)).toEqual(["Acme deals", "HubSpot deals"]);
  });
});
