// Each CRM export the import knows, read and written end to end against the
// real database: what the deals become, the history their files carry, the
// people they bring — and what the next review makes of the imported pipeline.
//
// The files tell one story in order (the people file comes after the
// Salesforce file that first named Nina Newhire), but every test stands
// alone: it starts from a fresh organisation and applies the story's earlier
// imports itself (importStoryUpTo), so any order gives the same state.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runReviewAs } from "@/lib/reviews/run";
import { resetDatabase } from "../fixtures/reset-database";
import { createSmallOrg, type SmallOrg } from "../fixtures/small-org";
import {
  apply,
  databaseState,
  dealActivities,
  dealByExternalId,
  dealHistory,
  fixture,
  mappingFixture,
  preview,
  text,
} from "./import-helpers";
import { currentFlagWhere } from "@/lib/flags/current-flags";

let org: SmallOrg;
beforeEach(async () => {
  await resetDatabase();
  org = await createSmallOrg();
});

/** The import runs on the afternoon of the small organisation's as-of day. */
const IMPORTED_AT = new Date("2026-06-15T14:00:00.000Z");
const NEEDS_ANALYSIS = { mapping: { stages: { "Needs Analysis": "Qualification" } } };
const salesforceFiles = () => [
  fixture("salesforce-opportunities.csv", NEEDS_ANALYSIS),
  fixture("salesforce-opportunity-history.csv"),
  fixture("salesforce-tasks.csv"),
];
const paulDeals = () =>
  text(
    "paul-deals.csv",
    "Deal ID,Deal name,Owner,Stage,Amount,Opened\nP-1,Paul's first deal,Paul Pike,Discovery,5000,2026-06-01\nP-2,Someone else's deal,Quentin Quinn,Discovery,7000,2026-06-02\n",
  );

/** The imports of the story, in its order; each test applies those before the step it is about. */
const STORY = {
  salesforce: () => salesforceFiles(),
  salesforceReport: () => [fixture("salesforce-report.csv")],
  hubspot: () => [fixture("hubspot-deals.csv")],
  pipedrive: () => [fixture("pipedrive-deals.csv"), fixture("pipedrive-activities.csv")],
  generic: () => [fixture("generic-deals.csv", { mapping: mappingFixture("generic-mapping.json") })],
  people: () => [paulDeals(), fixture("people.csv", { kind: "people" })],
  owners: () => [fixture("owners-teams.csv")],
};
type StoryStep = keyof typeof STORY;

/** Applies the story's imports up to `last` (included), as the earlier tests of the story did. */
async function importStoryUpTo(last: StoryStep) {
  for (const step of Object.keys(STORY) as StoryStep[]) {
    await apply(STORY[step](), {}, { now: IMPORTED_AT });
    if (step === last) return;
  }
}

/** Applies the story's imports before `step`. */
async function importStoryBefore(step: StoryStep) {
  const steps = Object.keys(STORY) as StoryStep[];
  const previous = steps[steps.indexOf(step) - 1];
  if (previous) await importStoryUpTo(previous);
}

describe("Salesforce export by API names, with its opportunity history and tasks", () => {
  it("recognises the three files and refuses the unknown stage until it is mapped, writing nothing", async () => {
    const before = await databaseState();
    const result = await preview([
      fixture("salesforce-opportunities.csv"),
      fixture("salesforce-opportunity-history.csv"),
      fixture("salesforce-tasks.csv"),
    ]);
    expect(result.files.map((file) => [file.fileName, file.preset, file.kind])).toEqual([
      ["salesforce-opportunities.csv", "salesforce", "deals"],
      ["salesforce-opportunity-history.csv", "salesforce", "stage-history"],
      ["salesforce-tasks.csv", "salesforce", "activities"],
    ]);
    expect(result.files[0]?.rejected).toEqual([
      {
        line: 4,
        id: "006Dn000004GlobxA",
        reason: expect.stringMatching(/^Stage “Needs Analysis” is not one of your stages and has no mapping/),
      },
    ]);
    expect(result.blockers).toEqual([expect.stringMatching(/^1 row is rejected/)]);
    expect(await databaseState()).toEqual(before);
  });

  it("imports the deals with their stage, status, amount, dates, account and owner", async () => {
    const result = await apply(salesforceFiles(), {}, { now: IMPORTED_AT });
    // The tasks file is in the same run, so nothing is said about the ignored LastActivityDate column.
    expect(result.files[0]?.notes).toEqual([]);
    expect(result.files.map((file) => file.counts)).toEqual([
      { new: 5, updated: 0, unchanged: 0, rejected: 0, skipped: 0 },
      { new: 6, updated: 0, unchanged: 0, rejected: 0, skipped: 0 },
      { new: 3, updated: 0, unchanged: 0, rejected: 0, skipped: 1 },
    ]);

    const acme = await dealByExternalId("salesforce", "006Dn000004AcmeAA");
    expect(acme).toMatchObject({
      name: "Acme, Inc. — Platform renewal",
      status: "open",
      currency: "USD",
      nextStep: "Send revised quote,\nthen call the CFO",
      stage: { name: "Proposal" },
      owner: { name: "Ana Rep" },
      account: { name: "Acme, Inc." },
    });
    expect(acme.amount.toFixed(2)).toBe("48000.00");
    expect(acme.openedAt?.toISOString()).toBe("2026-02-03T14:22:10.000Z");
    expect(acme.expectedCloseDate?.toISOString()).toBe("2026-07-31T00:00:00.000Z");

    const globex = await dealByExternalId("salesforce", "006Dn000004GlobxA");
    expect(globex).toMatchObject({ status: "open", stage: { name: "Qualification" } });
    expect(globex.amount.toFixed(2)).toBe("120500.00");

    const umbrella = await dealByExternalId("salesforce", "006Dn000004UmbrAA");
    expect(umbrella).toMatchObject({ name: 'Umbrella "Phase 2"', status: "lost" });
    // Closed without a closed-date column: the expected close date stands in (noon UTC).
    expect(umbrella.closedAt?.toISOString()).toBe("2026-03-01T12:00:00.000Z");
  });

  it("adds an owner it does not know as a rep", async () => {
    await importStoryUpTo("salesforce");
    const hooli = await dealByExternalId("salesforce", "006Dn000004HooliA");
    expect(hooli.owner).toMatchObject({ name: "Nina Newhire", role: "rep", teamId: null, active: true });
    expect(hooli.owner.email).toBe("nina.newhire@imported.invalid");
  });

  it("turns the opportunity history into stage moves, close-date pushes and amount changes", async () => {
    await importStoryUpTo("salesforce");
    const acme = await dealByExternalId("salesforce", "006Dn000004AcmeAA");
    const history = await dealHistory(acme.id);
    expect(history.moves).toEqual([
      {
        from: null,
        to: "Discovery",
        toStatus: "open",
        direction: "created",
        at: "2026-02-03T14:22:10.000Z",
        byImport: true,
      },
      {
        from: "Discovery",
        to: "Qualification",
        toStatus: "open",
        direction: "forward",
        at: "2026-02-20T10:00:00.000Z",
        byImport: true,
      },
      {
        from: "Qualification",
        to: "Demo",
        toStatus: "open",
        direction: "forward",
        at: "2026-03-18T15:30:00.000Z",
        byImport: true,
      },
      {
        from: "Demo",
        to: "Proposal",
        toStatus: "open",
        direction: "forward",
        at: "2026-04-22T11:05:00.000Z",
        byImport: true,
      },
    ]);
    // The first row is the deal's creation: its close date and amount are where they started, not changes.
    expect(history.closeDates).toEqual([
      { from: "2026-05-31", to: "2026-06-30", isPush: true, at: "2026-03-18T15:30:00.000Z" },
      { from: "2026-06-30", to: "2026-07-31", isPush: true, at: "2026-04-22T11:05:00.000Z" },
    ]);
    expect(history.amounts).toEqual([{ from: "40000.00", to: "48000.00", at: "2026-04-22T11:05:00.000Z" }]);
    expect(acme).toMatchObject({
      closeDatePushCount: 2,
      stageEnteredAt: new Date("2026-04-22T11:05:00.000Z"),
      lastForwardMoveAt: new Date("2026-04-22T11:05:00.000Z"),
    });
  });

  it("keeps a won deal in the last stage its history reached", async () => {
    await importStoryUpTo("salesforce");
    const initech = await dealByExternalId("salesforce", "006Dn000004InitAA");
    expect(initech).toMatchObject({ status: "won", stage: { name: "Discovery" } });
    expect(initech.closedAt?.toISOString()).toBe("2026-04-15T12:00:00.000Z");
    const history = await dealHistory(initech.id);
    expect(history.moves.map((move) => [move.from, move.to, move.toStatus, move.direction])).toEqual([
      [null, "Discovery", "open", "created"],
      ["Discovery", "Discovery", "won", "won"],
    ]);
  });

  it("imports done tasks as activities on the buyer's or the seller's side, and skips planned ones", async () => {
    await importStoryUpTo("salesforce");
    const acme = await dealByExternalId("salesforce", "006Dn000004AcmeAA");
    expect(await dealActivities(acme.id)).toEqual([
      // An inbound call is the buyer reaching out.
      { type: "call", side: "buyer", at: "2026-06-01T12:00:00.000Z", summary: "Call with CFO" },
      { type: "email", side: "seller", at: "2026-06-03T12:00:00.000Z", summary: "Sent revised quote" },
    ]);
    expect(acme.lastActivityAt?.toISOString()).toBe("2026-06-03T12:00:00.000Z");
    expect(acme.lastBuyerActivityAt?.toISOString()).toBe("2026-06-01T12:00:00.000Z");

    const hooli = await dealByExternalId("salesforce", "006Dn000004HooliA");
    // The meeting counts as buyer effort; the follow-up call not started yet is not imported.
    expect(await dealActivities(hooli.id)).toEqual([
      { type: "meeting", side: "buyer", at: "2026-06-10T12:00:00.000Z", summary: "Contract review meeting" },
    ]);
  });
});

describe("Salesforce report exported with its column labels", () => {
  it("reads the labels, the USD amounts and the US dates the file itself settles", async () => {
    await importStoryBefore("salesforceReport");
    const result = await apply([fixture("salesforce-report.csv")], {}, { now: IMPORTED_AT });
    const [file] = result.files;
    expect(file).toMatchObject({ preset: "salesforce", kind: "deals", counts: { new: 2, rejected: 0 } });
    expect(file?.dateOrder).toMatchObject({ status: "decided", order: "us" });

    const wayne = await dealByExternalId("salesforce", "006Dn000004WayneA");
    expect(wayne).toMatchObject({
      name: "Wayne Enterprises - Security",
      currency: "USD",
      nextStep: "Discovery call with CISO",
      stage: { name: "Qualification" },
      owner: { name: "Wes Rep" },
      account: { name: "Wayne Enterprises" },
    });
    expect(wayne.amount.toFixed(2)).toBe("32000.00");
    expect(wayne.openedAt?.toISOString()).toBe("2026-03-15T12:00:00.000Z");
    expect(wayne.expectedCloseDate?.toISOString()).toBe("2026-08-31T00:00:00.000Z");
    const stark = await dealByExternalId("salesforce", "006Dn000004StarkA");
    expect(stark).toMatchObject({ stage: { name: "Demo" }, nextStep: null });
    expect(stark.openedAt?.toISOString()).toBe("2026-01-28T12:00:00.000Z");
  });
});

describe("HubSpot deal export", () => {
  it("finds owners by email or name and turns the Date entered columns into stage history", async () => {
    await importStoryBefore("hubspot");
    const result = await apply([fixture("hubspot-deals.csv")], {}, { now: IMPORTED_AT });
    const [file] = result.files;
    expect(file).toMatchObject({ preset: "hubspot", counts: { new: 3, rejected: 0 } });
    expect(file?.ignoredHeaders).toContain('Date exited "Discovery (Sales Pipeline)"');
    // The CRM's last activity is read (untouched judges from it); who acted still needs the activities.
    expect(file?.notes).toEqual([
      "The “Last Activity Date” column gives each deal's last activity, so untouched is judged from it; it does not say who acted (buyer or seller). Import the activities export too for the one-sided, follow-up and buyer-effort rules.",
    ]);

    const northwind = await dealByExternalId("hubspot", "9001");
    expect(northwind).toMatchObject({
      name: "Northwind renewal",
      status: "open",
      stage: { name: "Proposal" },
      owner: { name: "Ana Rep" },
      account: { name: "Northwind Traders" },
      stageEnteredAt: new Date("2026-05-02T16:30:00.000Z"),
    });
    expect(northwind.amount.toFixed(2)).toBe("18500.00");
    expect((await dealHistory(northwind.id)).moves.map((move) => [move.to, move.direction, move.at])).toEqual([
      ["Discovery", "created", "2026-03-01T09:15:00.000Z"],
      ["Demo", "forward", "2026-03-20T12:00:00.000Z"],
      ["Proposal", "forward", "2026-05-02T16:30:00.000Z"],
    ]);

    const contoso = await dealByExternalId("hubspot", "9002");
    expect(contoso).toMatchObject({ status: "won", stage: { name: "Proposal" }, owner: { name: "Ben Rep" } });
    expect((await dealHistory(contoso.id)).moves.map((move) => [move.to, move.toStatus, move.direction])).toEqual([
      ["Discovery", "open", "created"],
      ["Demo", "open", "forward"],
      ["Proposal", "open", "forward"],
      ["Proposal", "won", "won"],
    ]);

    const fabrikam = await dealByExternalId("hubspot", "9003");
    // No amount in the export: the deal is worth 0 until the CRM says otherwise.
    expect(fabrikam).toMatchObject({ stage: { name: "Discovery" }, owner: { name: "Ana Rep" } });
    expect(fabrikam.amount.toFixed(2)).toBe("0.00");
  });
});

describe("Pipedrive deals and activities (European export)", () => {
  it("reads semicolons, day.month.year dates and decimal commas, and skips and counts the deleted deal", async () => {
    await importStoryBefore("pipedrive");
    const result = await apply(
      [fixture("pipedrive-deals.csv"), fixture("pipedrive-activities.csv")],
      {},
      { now: IMPORTED_AT },
    );
    const [deals, activities] = result.files;
    expect(deals).toMatchObject({
      preset: "pipedrive",
      kind: "deals",
      counts: { new: 3, rejected: 0, skipped: 1 },
      skippedReason: "deleted in the CRM",
    });
    expect(activities).toMatchObject({
      kind: "activities",
      counts: { new: 2, skipped: 1 },
      skippedReason: "planned, not done yet",
    });
    await expect(db.opportunity.findFirst({ where: { source: "pipedrive", externalId: "103" } })).resolves.toBeNull();

    const backerei = await dealByExternalId("pipedrive", "101");
    expect(backerei).toMatchObject({
      name: "Bäckerei Müller – Kassensystem",
      currency: "EUR",
      status: "open",
      stage: { name: "Demo" },
      account: { name: "Bäckerei Müller GmbH" },
      owner: { name: "Wes Rep" },
    });
    expect(backerei.amount.toFixed(2)).toBe("12500.00");
    expect(backerei.openedAt?.toISOString()).toBe("2026-02-05T10:12:00.000Z");
    expect(backerei.expectedCloseDate?.toISOString()).toBe("2026-07-30T00:00:00.000Z");
    expect(await dealActivities(backerei.id)).toEqual([
      { type: "meeting", side: "buyer", at: "2026-05-20T12:00:00.000Z", summary: "Demo vor Ort" },
      { type: "call", side: "seller", at: "2026-06-03T12:00:00.000Z", summary: "Angebot nachfassen" },
    ]);
    expect(backerei.lastBuyerActivityAt?.toISOString()).toBe("2026-05-20T12:00:00.000Z");

    const cafe = await dealByExternalId("pipedrive", "102");
    expect(cafe).toMatchObject({ status: "lost", lostReason: "Budget gestrichen" });
    expect(cafe.amount.toFixed(2)).toBe("3200.50");
    expect(cafe.closedAt?.toISOString()).toBe("2026-03-28T17:00:00.000Z");
    const brauerei = await dealByExternalId("pipedrive", "104");
    expect(brauerei).toMatchObject({ status: "won", stage: { name: "Negotiation" } });
    expect(brauerei.amount.toFixed(2)).toBe("48000.00");
    expect(brauerei.closedAt?.toISOString()).toBe("2026-05-13T11:30:00.000Z");
  });
});

describe("Generic file with a column mapping", () => {
  it("asks for the date order when the file does not settle it, and reads US dates once the mapping says so", async () => {
    await importStoryBefore("generic");
    const { dateOrder: _chosen, ...withoutOrder } = mappingFixture("generic-mapping.json");
    const asked = await preview([fixture("generic-deals.csv", { mapping: withoutOrder })]);
    expect(asked.files[0]?.dateOrder).toMatchObject({ status: "question" });
    expect(asked.blockers).toEqual(["generic-deals.csv: choose how the file writes dates."]);

    const result = await apply(
      [fixture("generic-deals.csv", { mapping: mappingFixture("generic-mapping.json") })],
      {},
      { now: IMPORTED_AT },
    );
    expect(result.files[0]).toMatchObject({
      source: "acme-crm",
      counts: { new: 4, rejected: 0 },
      dateOrder: { status: "decided", order: "us", chosen: true },
    });
    const blueSky = await dealByExternalId("acme-crm", "G-1");
    expect(blueSky).toMatchObject({
      currency: "GBP",
      stage: { name: "Qualification" },
      account: { name: "Blue Sky Ltd" },
    });
    expect(blueSky.amount.toFixed(2)).toBe("8000.00");
    expect(blueSky.openedAt?.toISOString()).toBe("2026-04-03T12:00:00.000Z");
    expect(blueSky.expectedCloseDate?.toISOString()).toBe("2026-07-08T00:00:00.000Z");
  });

  it("names a deal without a name from its account and id", async () => {
    await importStoryUpTo("generic");
    const redRock = await dealByExternalId("acme-crm", "G-2");
    expect(redRock).toMatchObject({
      name: "Red Rock plc (G-2)",
      stage: { name: "Proposal" },
      owner: { name: "Ben Rep" },
    });
    expect(redRock.amount.toFixed(2)).toBe("21500.00");
  });

  it("maps a closed stage to won and a someday stage to prospect, which needs no opened date", async () => {
    await importStoryUpTo("generic");
    const greenField = await dealByExternalId("acme-crm", "G-3");
    expect(greenField).toMatchObject({ status: "won" });
    expect(greenField.closedAt?.toISOString()).toBe("2026-05-10T12:00:00.000Z");
    const greyMist = await dealByExternalId("acme-crm", "G-4");
    expect(greyMist).toMatchObject({ status: "prospect", name: "Grey Mist idea" });
    // A prospect without an opened date keeps none ("date unknown"): never the import's time.
    expect(greyMist.openedAt).toBeNull();
  });
});

describe("People file", () => {
  it("puts people in teams, makes the manager column the team's manager, and links deal owners to them", async () => {
    await importStoryBefore("people");
    const result = await apply(STORY.people(), {}, { now: IMPORTED_AT });
    const [deals, people] = result.files;
    // Nina was added as a rep by the Salesforce file; the people file puts her in North
    // and gives her her real email. Olga is added as North's manager.
    expect(people).toMatchObject({
      counts: { new: 1, updated: 1, unchanged: 1, rejected: 0 },
      newTeams: ["North"],
      newPeople: ["Olga Boss", "Paul Pike"],
    });
    expect(deals?.newPeople).toEqual(["Quentin Quinn"]);
    const nina = await db.user.findFirstOrThrow({ where: { name: "Nina Newhire" } });
    expect(nina.email).toBe("nina.newhire@test.example");

    const north = await db.team.findUniqueOrThrow({
      where: { name: "North" },
      include: { manager: true, members: true },
    });
    expect(north.manager).toMatchObject({ name: "Olga Boss", role: "manager", teamId: north.id });
    expect(north.members.map((person) => [person.name, person.role]).sort()).toEqual([
      ["Nina Newhire", "rep"],
      ["Olga Boss", "manager"],
      ["Paul Pike", "rep"],
    ]);
    const paul = await db.user.findUniqueOrThrow({ where: { email: "paul.pike@test.example" } });
    expect(await dealByExternalId("csv", "P-1")).toMatchObject({ ownerId: paul.id });
    // An owner nobody has heard of joins as a rep without a team.
    expect((await dealByExternalId("csv", "P-2")).owner).toMatchObject({
      name: "Quentin Quinn",
      role: "rep",
      teamId: null,
    });
    const ana = await db.user.findUniqueOrThrow({ where: { id: org.people.ana.userId } });
    expect(ana.teamId).toBe(org.teams.central);
  });

  it("reads a list of deal owners with their team and manager, moving a rep to another team", async () => {
    await importStoryBefore("owners");
    const result = await apply([fixture("owners-teams.csv")], {}, { now: IMPORTED_AT });
    expect(result.files[0]).toMatchObject({
      kind: "people",
      columns: { person: ["Owner"], team: ["Team"], manager: ["Manager"] },
      counts: { new: 0, updated: 2, rejected: 0 },
      newTeams: ["South"],
      newPeople: ["Sofia Lead"],
    });
    const south = await db.team.findUniqueOrThrow({
      where: { name: "South" },
      include: { manager: true, members: true },
    });
    expect(south.manager?.name).toBe("Sofia Lead");
    expect(south.members.map((person) => person.name).sort()).toEqual(["Ben Rep", "Quentin Quinn", "Sofia Lead"]);
    // Ben's history stays with him; his team changes, and the audit trail says from which.
    await expect(
      db.auditEvent.findFirst({ where: { action: "user.import_update", entityId: org.people.ben.userId } }),
    ).resolves.toMatchObject({ before: { team: "Central" }, after: { team: "South" } });
  });
});

describe("The review after the imports", () => {
  it("flags the imported deals that are no longer real, and spares the ones that move", async () => {
    await importStoryUpTo("owners");
    const asOf = new Date("2026-06-15T23:59:59.999Z");
    await runReviewAs(null, { asOf, now: asOf });
    const rulesOf = async (source: string, externalId: string) => {
      const deal = await dealByExternalId(source, externalId);
      const flags = await db.flag.findMany({ where: { opportunityId: deal.id, ...currentFlagWhere } });
      return flags.map((flag) => flag.rule).sort();
    };
    // Opened in January, nothing logged since: untouched for 138 days.
    expect(await rulesOf("salesforce", "006Dn000004StarkA")).toContain("untouched");
    // Open 196 days — more than twice the 90-day default cycle — and never moved forward. The file gives
    // no stage history for it, so when it entered its stage is unknown: stuck-in-stage is not judged
    // (it used to fire on the deal's whole age, from a stage entry invented as its opened date).
    const hooli = await rulesOf("salesforce", "006Dn000004HooliA");
    expect(hooli).toContain("past-its-time");
    expect(hooli).not.toContain("stuck-in-stage");
    // In Proposal since April 22 (its 30-day limit), close date pushed twice.
    expect(await rulesOf("salesforce", "006Dn000004AcmeAA")).toEqual(["close-date-slipping", "stuck-in-stage"]);
    // Opened in May and nobody has followed up since: only a nudge.
    expect(await rulesOf("salesforce", "006Dn000004GlobxA")).toEqual(["follow-up-gap"]);
    // Closed deals are not reviewed.
    expect(await rulesOf("pipedrive", "104")).toEqual([]);
  });
});
