// Meeting mode at any size, against a real database: an admin's meeting is
// one team's; the agenda loads the first reps' deals and only counts the
// others', whose rows come later one rep at a time (getMeetingRepDeals) —
// exactly the rows a full load gives. Rows go longest flagged first, and
// "decided so far" counts decisions taken on a deal's page during the
// meeting's period, by whoever took them.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { moveDealBack } from "@/lib/deals/mutations";
import type { Severity } from "@/lib/generated/prisma/enums";
import { getMeetingAgenda, getMeetingDecisions, getMeetingRepDeals, listMeetingTeams } from "@/lib/meeting/data";
import { buildMeetingScreens } from "@/lib/meeting/screens";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

const DAY = 86_400_000;
/** Central gets this many more reps, so a meeting loading 2 reps ahead leaves most to load later. */
const EXTRA_CENTRAL_REPS = 4;

let org: SmallOrg;
let reviewId: number;
let reviewAt: Date;
let ids: Record<"longFlagged" | "recentStale" | "lateHealthy" | "earlyStale" | "earlyQuiet" | "westDeal", number>;
/** Ben's deals, decided on in the decisions test only (each move back keeps them open and late-stage). */
let benIds: Record<"inMeeting" | "onDealPage" | "beforeReview", number>;

async function flag(dealId: number, severity: Severity, startedDaysAgo: number, rule = "past-its-time") {
  await db.flag.create({
    data: {
      reviewId,
      opportunityId: dealId,
      rule,
      severity,
      explanation: `${rule} explanation`,
      metrics: {},
      asOf: AS_OF,
      startedAt: new Date(AS_OF.getTime() - startedDaysAgo * DAY),
    },
  });
}

beforeAll(async () => {
  org = await createSmallOrg();
  const { ana, wes } = org.people;
  const { discovery, demo, proposal, negotiation } = org.stages;
  const deal = (input: Parameters<typeof createDeal>[1]) => createDeal(org, input).then((row) => row.id);
  ids = {
    longFlagged: await deal({ owner: ana, amount: 5_000, openedDaysAgo: 200, stageId: demo, name: "Long flagged" }),
    recentStale: await deal({ owner: ana, amount: 90_000, openedDaysAgo: 300, stageId: proposal, name: "Recent" }),
    lateHealthy: await deal({ owner: ana, amount: 70_000, openedDaysAgo: 20, stageId: negotiation, name: "Healthy" }),
    earlyStale: await deal({ owner: ana, amount: 3_000, openedDaysAgo: 400, stageId: discovery, name: "Early stale" }),
    earlyQuiet: await deal({ owner: ana, amount: 1_000, openedDaysAgo: 10, stageId: discovery, name: "Quiet" }),
    westDeal: await deal({ owner: wes, amount: 9_000, openedDaysAgo: 15, stageId: negotiation, name: "West" }),
  };
  const { ben } = org.people;
  benIds = {
    inMeeting: await deal({ owner: ben, amount: 11_000, openedDaysAgo: 50, stageId: proposal, name: "Ben in meeting" }),
    onDealPage: await deal({ owner: ben, amount: 12_000, openedDaysAgo: 50, stageId: proposal, name: "Ben on page" }),
    beforeReview: await deal({
      owner: ben,
      amount: 13_000,
      openedDaysAgo: 50,
      stageId: negotiation,
      name: "Ben early",
    }),
  };
  // More Central reps, each with late-stage deals: their rows load later.
  for (let index = 0; index < EXTRA_CENTRAL_REPS; index++) {
    const user = await db.user.create({
      data: { name: `Zed ${index}`, email: `zed${index}@test.example`, role: "rep", teamId: org.teams.central },
    });
    const owner = { userId: user.id, name: user.name, role: user.role, teamId: user.teamId };
    for (let n = 0; n <= index * 7; n++) {
      await deal({ owner, amount: 1_000 + n, openedDaysAgo: 30, stageId: demo, name: `Zed ${index} deal ${n}` });
    }
  }
  reviewAt = new Date(AS_OF.getTime() + 60_000);
  const review = await db.review.create({
    data: { at: reviewAt, asOf: AS_OF, byId: org.people.admin.userId, settings: {}, totals: {} },
  });
  reviewId = review.id;
  // Flagged 5 weeks at risk vs. flagged 3 days stale: the longer flag goes first.
  await flag(ids.longFlagged, "at_risk", 35, "stuck-in-stage");
  await flag(ids.recentStale, "stale", 3);
  await flag(ids.earlyStale, "stale", 10);
});

describe("an admin's meeting is one team's", () => {
  it("lists the teams to choose from with their size", async () => {
    const { teams, repsWithoutTeam } = await listMeetingTeams(org.people.admin);
    expect(teams.map((team) => [team.name, team.managerName, team.reps, team.openDeals])).toEqual([
      ["Central", "Carla Manager", 2 + EXTRA_CENTRAL_REPS, 5 + 3 + 1 + 8 + 15 + 22],
      ["West", "Walt Manager", 1, 1],
    ]);
    expect(repsWithoutTeam).toBe(0);
    // Only admins choose: a manager's meeting is their own team's.
    expect((await listMeetingTeams(org.people.centralManager)).teams).toEqual([]);
  });

  it("puts only the chosen team's reps and deals on the agenda", async () => {
    const west = await getMeetingAgenda(org.people.admin, AS_OF, undefined, { teamId: org.teams.west });
    expect(west.reps.map((rep) => rep.repName)).toEqual(["Wes Rep"]);
    expect(west.reps[0]?.deals.map((deal) => deal.id)).toEqual([ids.westDeal]);
    expect(west.summary.openValue.toFixed(0)).toBe("9000");
    // A manager cannot widen their scope by naming another team.
    const outside = await getMeetingAgenda(org.people.centralManager, AS_OF, undefined, { teamId: org.teams.west });
    expect(outside.reps).toEqual([]);
  });
});

describe("a team's deals in pages", () => {
  it("loads the first reps' deals, counts the others', and the counts match the rows loaded later", async () => {
    const scope = { teamId: org.teams.central };
    const full = await getMeetingAgenda(org.people.admin, AS_OF, undefined, scope);
    const paged = await getMeetingAgenda(org.people.admin, AS_OF, undefined, { ...scope, loadDealsOfFirstReps: 2 });
    expect(paged.reps.map((rep) => rep.dealsLoaded)).toEqual([true, true, false, false, false, false]);
    expect(paged.reps.slice(2).every((rep) => rep.deals.length === 0)).toBe(true);
    // Same figures, same early-stage line, same number of screens either way.
    expect(paged.summary).toEqual(full.summary);
    for (const [index, rep] of paged.reps.entries()) {
      const whole = full.reps[index];
      expect(rep.discussedDeals).toBe(whole?.deals.length);
      expect(rep.earlyGroup).toEqual(whole?.earlyGroup);
      // The rows the deck asks for later are the full load's rows, in the same order.
      const later = await getMeetingRepDeals(org.people.admin, rep.repId, AS_OF);
      expect(later).toEqual(whole?.deals);
    }
    const titles = (agenda: typeof full) =>
      buildMeetingScreens(agenda, [], { currency: "USD", scopeName: "Central" }).map((screen) => screen.title);
    expect(titles(paged)).toEqual(titles(full));
    expect(titles(paged)).toContain("Zed 3 (2/3)");
  });

  it("gives a rep's rows only to someone who may see them", async () => {
    expect(await getMeetingRepDeals(org.people.westManager, org.people.ana.userId, AS_OF)).toEqual([]);
    expect((await getMeetingRepDeals(org.people.centralManager, org.people.ana.userId, AS_OF)).length).toBe(4);
  });
});

describe("rows longest flagged first", () => {
  it("puts the deal flagged for 5 weeks before a worse but newer flag, and says how long", async () => {
    const deals = await getMeetingRepDeals(org.people.centralManager, org.people.ana.userId, AS_OF);
    // Early stale (flagged 10 days) is discussed one by one; the quiet early deal is in the early-stage line.
    expect(deals.map((deal) => deal.name)).toEqual(["Long flagged", "Early stale", "Recent", "Healthy"]);
    expect(deals.map((deal) => deal.flaggedFor)).toEqual([
      "flagged for 5 weeks (since May 11)",
      "flagged for 10 days (since Jun 5)",
      "flagged for 3 days (since Jun 12)",
      null,
    ]);
    expect(deals.map((deal) => deal.flaggedDays)).toEqual([35, 10, 3, null]);
  });
});

describe("decided so far: the meeting's period, wherever the decision was taken", () => {
  it("counts decisions taken on a deal's page since the review ran, by anyone, and not before it or elsewhere", async () => {
    const version = async (id: number) => (await db.opportunity.findUniqueOrThrow({ where: { id } })).version;
    const { centralManager, ben, admin, westManager } = org.people;
    const at = (minutesAfterReview: number) => new Date(reviewAt.getTime() + minutesAfterReview * 60_000);
    // In meeting mode (recorded against the review).
    const inMeeting = await version(benIds.inMeeting);
    await db.$transaction((tx) =>
      moveDealBack(
        tx,
        { actor: centralManager, now: at(5), asOf: AS_OF },
        {
          dealId: benIds.inMeeting,
          version: inMeeting,
          reviewId,
        },
      ),
    );
    // On the deal's page by the rep himself, during the meeting's period (no review named).
    const onDealPage = await version(benIds.onDealPage);
    await db.$transaction((tx) =>
      moveDealBack(
        tx,
        { actor: ben, now: at(10), asOf: AS_OF },
        {
          dealId: benIds.onDealPage,
          version: onDealPage,
          reason: "Buyer asked for a second demo",
        },
      ),
    );
    // Before the review ran: an earlier meeting's business.
    const beforeReview = await version(benIds.beforeReview);
    await db.$transaction((tx) =>
      moveDealBack(
        tx,
        { actor: admin, now: at(-60), asOf: AS_OF },
        { dealId: benIds.beforeReview, version: beforeReview },
      ),
    );
    // Another team's deal: another team's meeting.
    const westVersion = await version(ids.westDeal);
    await db.$transaction((tx) =>
      moveDealBack(
        tx,
        { actor: westManager, now: at(15), asOf: AS_OF },
        { dealId: ids.westDeal, version: westVersion },
      ),
    );

    const review = { id: reviewId, at: reviewAt };
    const central = await getMeetingDecisions(admin, review, { teamId: org.teams.central });
    expect(central.map((decision) => [decision.deal.name, decision.byName, decision.inMeeting])).toEqual([
      ["Ben in meeting", "Carla Manager", true],
      ["Ben on page", "Ben Rep", false],
    ]);
    const agenda = await getMeetingAgenda(admin, AS_OF, undefined, { teamId: org.teams.central });
    const [summary] = buildMeetingScreens(agenda, central, { currency: "USD", scopeName: "Central" });
    expect(summary?.kind === "summary" && summary.decisionsSoFar).toBe(2);
    // The manager's own meeting counts the same two.
    expect(await getMeetingDecisions(centralManager, review)).toHaveLength(2);
    expect((await getMeetingDecisions(westManager, review)).map((decision) => decision.deal.name)).toEqual(["West"]);
  });
});
