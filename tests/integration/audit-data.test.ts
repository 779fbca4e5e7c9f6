// The audit trail's reads against a real database: what each viewer may see
// (admins everything, a manager their team's people and deals and the
// organisation's settings, reps nothing),
// the filters (deal by id or name, person, dates, kind), pages of 50, and the
// names joined in (actor, deal, person) with exact instants.
import { beforeEach, describe, expect, it } from "vitest";
import { ActionRefused } from "@/lib/action-result";
import { AUDIT_PAGE_SIZE, type AuditFilters, getAuditPage, parseAuditFilters } from "@/lib/audit/data";
import { type AuditInput, recordAudits } from "@/lib/audit/mutations";
import type { Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import { createUser } from "@/lib/users/mutations";
import { createUserSchema } from "@/lib/users/schema";
import { resetDatabase } from "../fixtures/reset-database";
import { createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
let anaDeal: number;
let wesDeal: number;
let carlaReview: string;
let newcomer: string;

const at = (iso: string) => new Date(iso);
const all: AuditFilters = { page: 1 };

// Every case reads the same fresh trail (the paging case adds 60 changes of its
// own), so each stands alone in any order.
beforeEach(async () => {
  await resetDatabase();
  org = await createSmallOrg();
  const { admin, centralManager, westManager, ana, ben, wes } = org.people;
  anaDeal = (await createDeal(org, { owner: ana, amount: 10_000, openedDaysAgo: 30, name: "Acme Rollout" })).id;
  wesDeal = (await createDeal(org, { owner: wes, amount: 20_000, openedDaysAgo: 30, name: "Westwind Pilot" })).id;
  carlaReview = "41";

  const event = (
    actor: Viewer | null,
    action: string,
    entityType: AuditInput["entityType"],
    entityId: string | number,
    iso: string,
    before: AuditInput["before"] = null,
    after: AuditInput["after"] = null,
  ): AuditInput => ({ actorId: actor?.userId ?? null, action, entityType, entityId, at: at(iso), before, after });

  await recordAudits(db, [
    // Central: Ana on her deal, the admin on Ana's deal, Carla's review, Ben changed by the admin.
    event(ana, "deal.log_activity", "opportunity", anaDeal, "2026-06-01T14:30:00.123Z", null, { side: "buyer" }),
    event(
      admin,
      "deal.move_back",
      "opportunity",
      anaDeal,
      "2026-06-02T09:00:00.000Z",
      { stage: "Demo" },
      { stage: "Qualification" },
    ),
    event(centralManager, "review.run", "review", carlaReview, "2026-06-03T23:30:00.000Z", null, { flaggedDeals: 3 }),
    event(admin, "user.update", "user", ben.userId, "2026-06-04T10:00:00.000Z", { team: "West" }, { team: "Central" }),
    // West and the organisation: none of Central's business.
    event(
      wes,
      "deal.update",
      "opportunity",
      wesDeal,
      "2026-06-01T15:00:00.000Z",
      { nextStep: null },
      { nextStep: "Call" },
    ),
    event(westManager, "deal.remove", "opportunity", wesDeal, "2026-06-05T08:00:00.000Z"),
    event(
      admin,
      "settings.rules.update",
      "settings",
      1,
      "2026-06-06T08:00:00.000Z",
      { untouchedDays: 90 },
      { untouchedDays: 60 },
    ),
    event(null, "import.run", "import", "7", "2026-05-31T12:00:00.000Z"),
  ]);
  // A real people change, through the mutation, dated now.
  newcomer = (
    await createUser(
      { actor: admin, now: new Date() },
      createUserSchema.parse({
        name: "Nina Newcomer",
        email: "nina@test.example",
        role: "rep",
        teamId: org.teams.central,
        password: "a-long-enough-password",
      }),
    )
  ).userId;
});

const actions = (page: { entries: { action: string }[] }) => page.entries.map((entry) => entry.action);

describe("who sees what", () => {
  it("an admin sees every change, newest first", async () => {
    const page = await getAuditPage(org.people.admin, all);
    expect(page.total).toBe(9);
    expect(actions(page)).toEqual([
      "user.create",
      "settings.rules.update",
      "deal.remove",
      "user.update",
      "review.run",
      "deal.move_back",
      "deal.update",
      "deal.log_activity",
      "import.run",
    ]);
    expect(page.scope).toBe("the whole organisation");
  });

  it("a manager sees changes by their team's people, about their team's deals and people, and the organisation's settings — nothing else", async () => {
    const page = await getAuditPage(org.people.centralManager, all);
    expect(actions(page)).toEqual([
      "user.create",
      "settings.rules.update",
      "user.update",
      "review.run",
      "deal.move_back",
      "deal.log_activity",
    ]);
    expect(page.scope).toBe("the Central team");
    // The person filter offers whoever made those changes, the admin included.
    expect(page.people.map((person) => person.name)).toEqual(["Ada Admin", "Ana Rep", "Carla Manager"]);
    expect(Object.values(page.teamNames)).toEqual(["Central"]);

    const west = await getAuditPage(org.people.westManager, all);
    // Organisation-wide settings affect every team, so every manager sees them (issue 11, finding 7).
    expect(actions(west)).toEqual(["settings.rules.update", "deal.remove", "deal.update"]);
  });

  it("a rep is refused", async () => {
    await expect(getAuditPage(org.people.ana, all)).rejects.toBeInstanceOf(ActionRefused);
    await expect(getAuditPage(org.people.ana, all)).rejects.toThrow(
      /Only administrators and managers can read the audit trail/,
    );
  });

  it("joins the names and keeps the exact instant", async () => {
    const page = await getAuditPage(org.people.centralManager, all);
    const logged = page.entries.find((entry) => entry.action === "deal.log_activity");
    expect(logged).toMatchObject({
      actor: { id: org.people.ana.userId, name: "Ana Rep" },
      deal: { id: anaDeal, name: "Acme Rollout" },
      subject: null,
      entityType: "opportunity",
      entityId: String(anaDeal),
      before: null,
      after: { side: "buyer" },
    });
    expect(logged?.at.toISOString()).toBe("2026-06-01T14:30:00.123Z");
    const created = page.entries.find((entry) => entry.action === "user.create");
    expect(created?.subject).toEqual({ id: newcomer, name: "Nina Newcomer" });
    expect(created?.actor?.name).toBe("Ada Admin");
    const imported = (await getAuditPage(org.people.admin, { page: 1, kind: "imports" })).entries[0];
    expect(imported?.actor).toBeNull();
  });
});

describe("filters", () => {
  it("by deal: its number, with or without #, or part of its name in any case", async () => {
    for (const deal of [String(anaDeal), `#${anaDeal}`, "acme", "ROLLOUT"]) {
      const page = await getAuditPage(org.people.admin, { page: 1, deal });
      expect(actions(page)).toEqual(["deal.move_back", "deal.log_activity"]);
    }
    expect((await getAuditPage(org.people.admin, { page: 1, deal: "nothing like it" })).total).toBe(0);
    // Wildcards in a name are plain characters.
    expect((await getAuditPage(org.people.admin, { page: 1, deal: "%" })).total).toBe(0);
  });

  it("by deal stays within the viewer's scope", async () => {
    expect((await getAuditPage(org.people.centralManager, { page: 1, deal: String(wesDeal) })).total).toBe(0);
  });

  it("by person: the changes they made", async () => {
    const page = await getAuditPage(org.people.admin, { page: 1, person: org.people.admin.userId });
    expect(actions(page)).toEqual(["user.create", "settings.rules.update", "user.update", "deal.move_back"]);
  });

  it("by date range: whole UTC days, both ends included", async () => {
    const page = await getAuditPage(org.people.admin, { page: 1, from: "2026-06-01", to: "2026-06-03" });
    expect(actions(page)).toEqual(["review.run", "deal.move_back", "deal.update", "deal.log_activity"]);
    const oneDay = await getAuditPage(org.people.admin, { page: 1, from: "2026-06-03", to: "2026-06-03" });
    expect(actions(oneDay)).toEqual(["review.run"]);
  });

  it("by kind of change", async () => {
    expect(actions(await getAuditPage(org.people.admin, { page: 1, kind: "people" }))).toEqual([
      "user.create",
      "user.update",
    ]);
    expect(actions(await getAuditPage(org.people.admin, { page: 1, kind: "settings" }))).toEqual([
      "settings.rules.update",
    ]);
  });

  it("read from the URL; nonsense is dropped and named, reversed dates are put in order", () => {
    expect(
      parseAuditFilters({
        deal: " acme ",
        person: "u1",
        from: "2026-06-30",
        to: "2026-06-01",
        kind: "deals",
        page: "3",
      }),
    ).toEqual({
      filters: { deal: "acme", person: "u1", from: "2026-06-01", to: "2026-06-30", kind: "deals", page: 3 },
      ignored: [],
    });
    expect(parseAuditFilters({ from: "2026-02-30", to: "yesterday", kind: "everything", page: "-2" })).toEqual({
      filters: { page: 1 },
      ignored: ["from", "to", "kind"],
    });
  });
});

describe("pages of 50", () => {
  it("splits a long trail into pages, newest first, and clamps a page past the end", async () => {
    const { centralManager } = org.people;
    const base = Date.parse("2026-07-01T00:00:00.000Z");
    await recordAudits(
      db,
      Array.from({ length: 60 }, (_, index) => ({
        actorId: centralManager.userId,
        action: "deal.update",
        entityType: "opportunity" as const,
        entityId: anaDeal,
        at: new Date(base + index * 60_000),
        after: { nextStep: `Step ${index}` },
      })),
    );
    const filters = { deal: String(anaDeal) };
    const first = await getAuditPage(centralManager, { ...filters, page: 1 });
    expect(first.total).toBe(62);
    expect(first.pageCount).toBe(2);
    expect(first.entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.entries[0]?.after).toEqual({ nextStep: "Step 59" });
    const second = await getAuditPage(centralManager, { ...filters, page: 2 });
    expect(second.entries).toHaveLength(12);
    expect(actions(second).slice(-2)).toEqual(["deal.move_back", "deal.log_activity"]);
    const ids = new Set([...first.entries, ...second.entries].map((entry) => entry.id));
    expect(ids.size).toBe(62);
    const past = await getAuditPage(centralManager, { ...filters, page: 9 });
    expect(past.page).toBe(2);
    expect(past.entries).toHaveLength(12);
  });
});
