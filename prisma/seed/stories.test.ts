// The stories the demo exists for are in the generated rows, with the
// properties that make them stories — for several "today"s (a leap day, a
// daylight-saving week) and at a larger size, and findable through
// DEMO_STORIES.
import { describe, expect, it } from "vitest";
import { DAY_MS, monthStart } from "./calendar";
import {
  bigMonthWindow,
  DEMO_DEFAULTS,
  type DemoOptions,
  defaultClosedDeals,
  generateDemoOrganisation,
} from "./generate";
import type { OpportunityRow } from "./rows";
import { DEMO_STORIES, STORY_DEAL_IDS } from "./stories";
import { currentQuotaCents, daysAgo, indexOrganisation, openAt, present, sumCents } from "./test-support";

const demoOn = (today: string, size: Partial<DemoOptions> = {}): DemoOptions => ({
  seed: DEMO_DEFAULTS.seed,
  today,
  openDeals: DEMO_DEFAULTS.openDeals,
  closedDeals: defaultClosedDeals(size.reps ?? DEMO_DEFAULTS.reps),
  activities: DEMO_DEFAULTS.activities,
  reps: DEMO_DEFAULTS.reps,
  ...size,
});

const CASES: Array<[string, DemoOptions]> = [
  ["the demo on 2026-03-10 (after the US DST change)", demoOn("2026-03-10")],
  ["the demo on a leap day, 2028-02-29", demoOn("2028-02-29")],
  [
    "a larger organisation on 2026-11-30, another seed",
    demoOn("2026-11-30", { seed: 99, reps: 90, openDeals: 2_000, activities: 150_000 }),
  ],
];

describe.each(CASES)("%s", (_name, options) => {
  const ix = indexOrganisation(generateDemoOrganisation(options));
  const { org } = ix;
  const openDealsOf = (email: string) => (ix.dealsOf.get(ix.user(email).id) ?? []).filter((d) => d.status === "open");
  const activities = (deal: OpportunityRow) => ix.activitiesOf.get(deal.id) ?? [];

  it("has every story handle: people by email, deals by (source, externalId), teams by name", () => {
    for (const externalId of STORY_DEAL_IDS)
      expect(ix.deal(externalId)).toMatchObject({ source: DEMO_STORIES.source, status: "open" });
    for (const email of [
      DEMO_STORIES.adminEmail,
      DEMO_STORIES.firstManagerEmail,
      DEMO_STORIES.stuffedPipelineRep.email,
      DEMO_STORIES.stoppedFollowingUpRep.email,
      ...DEMO_STORIES.healthyRepEmails,
    ]) {
      expect(ix.user(email).active).toBe(true);
    }
    expect(ix.user(DEMO_STORIES.adminEmail).role).toBe("admin");
    const firstTeam = present([...org.teams].sort((a, b) => a.name.localeCompare(b.name))[0]);
    expect(firstTeam.managerId).toBe(ix.user(DEMO_STORIES.firstManagerEmail).id);
    expect(org.teams.map((t) => t.name)).toEqual(expect.arrayContaining(Object.values(DEMO_STORIES.teams)));
    expect(org.orgSettings).toMatchObject({
      id: 1,
      name: DEMO_STORIES.organisationName,
      currency: "USD",
      rules: {},
      demoData: true,
    });
  });

  it("has a deal on its fifth birthday that never left Discovery: 3 calls and 5 emails, no reply, nothing since", () => {
    const deal = ix.deal(DEMO_STORIES.fiveYearDeal.externalId);
    const today = new Date(ix.todayMs);
    const birthday = new Date(Date.UTC(today.getUTCFullYear() - 5, today.getUTCMonth(), today.getUTCDate()));
    if (birthday.getUTCMonth() !== today.getUTCMonth()) birthday.setUTCDate(0); // 29 Feb → 28 Feb
    expect(deal.openedAt.toISOString().slice(0, 10)).toBe(birthday.toISOString().slice(0, 10));
    expect(deal.ownerId).toBe(ix.user(DEMO_STORIES.fiveYearDeal.ownerEmail).id);
    expect(deal.stageId).toBe(1);
    expect(org.stages.find((s) => s.id === deal.stageId)?.name).toBe(DEMO_STORIES.fiveYearDeal.stage);
    expect(ix.stageChangesOf.get(deal.id)).toHaveLength(1);

    const acts = activities(deal);
    expect(acts.every((a) => a.side === "seller")).toBe(true);
    expect(acts.filter((a) => a.type === "call")).toHaveLength(3);
    expect(acts.filter((a) => a.type === "email")).toHaveLength(5);
    expect(acts).toHaveLength(8);
    expect(acts.every((a) => a.at.getTime() - deal.openedAt.getTime() < 14 * DAY_MS)).toBe(true);
    expect(deal.lastBuyerActivityAt).toBeNull();
    expect(deal.lastForwardMoveAt).toBeNull();
    expect(deal.closeDatePushCount).toBe(0);
    expect(ix.closeDateChangesOf.get(deal.id)).toBeUndefined();
    expect(present(deal.expectedCloseDate).getTime()).toBeLessThan(ix.todayMs - 4 * 365 * DAY_MS);
  });

  it("has a rep whose open pipeline is 8× this quarter's quota, mostly stale", () => {
    const rep = ix.user(DEMO_STORIES.stuffedPipelineRep.email);
    const open = openDealsOf(rep.email);
    expect(sumCents(open) / currentQuotaCents(ix, rep.id)).toBe(8);
    expect(open.some((d) => d.externalId === DEMO_STORIES.fiveYearDeal.externalId)).toBe(true);

    // Stale by value: no buyer activity for two months (or never).
    const noBuyer = open.filter((d) => (daysAgo(ix, d.lastBuyerActivityAt) ?? Infinity) > 60);
    expect(sumCents(noBuyer) / sumCents(open)).toBeGreaterThan(0.6);
    // Close dates in the past or pushed again and again.
    const slipping = open.filter(
      (d) => present(d.expectedCloseDate).getTime() < ix.todayMs || d.closeDatePushCount >= 2,
    );
    expect(slipping.length / open.length).toBeGreaterThan(0.6);
    expect(open.filter((d) => d.closeDatePushCount >= 3).length).toBeGreaterThan(2);
    // Old deals: most of them opened more than half a year ago.
    const old = open.filter((d) => (daysAgo(ix, d.openedAt) as number) > 180);
    expect(old.length / open.length).toBeGreaterThan(0.5);
    // The rest of the team carries a normal 2–5× coverage; nobody else comes near 8×.
    const others = org.users.filter((u) => u.role === "rep" && u.id !== rep.id && u.teamId === rep.teamId);
    const coverages = others
      .map((other) => sumCents(openDealsOf(other.email)) / currentQuotaCents(ix, other.id))
      .sort((a, b) => a - b);
    expect(coverages[Math.floor(coverages.length / 2)]).toBeGreaterThan(2);
    expect(coverages[Math.floor(coverages.length / 2)]).toBeLessThan(5);
    expect(Math.max(...coverages)).toBeLessThan(7);
  });

  it("has a team that closed a big month while its open pipeline and new-deal creation shrank", () => {
    const team = present(org.teams.find((t) => t.name === DEMO_STORIES.salesTrapTeam.name));
    const teamDeals = org.opportunities.filter((d) => ix.teamOf.get(d.ownerId) === team.id);
    const won = (from: number, to: number) =>
      sumCents(
        teamDeals.filter(
          (d) => d.status === "won" && present(d.closedAt).getTime() >= from && present(d.closedAt).getTime() < to,
        ),
      );
    const created = (from: number, to: number) =>
      sumCents(teamDeals.filter((d) => d.openedAt.getTime() >= from && d.openedAt.getTime() < to));
    const openValue = (at: number) => sumCents(teamDeals.filter((d) => openAt(d, at)));

    // As the engine compares (lib/rules/team-rules.ts): the last 30 days against the three 30-day periods before.
    const period = 30 * DAY_MS;
    const end = ix.todayMs;
    const trailing = [1, 2, 3].map((k) => end - k * period);
    const average = (f: (p: number) => number) => trailing.reduce((sum, p) => sum + f(p), 0) / 3;
    expect(won(end - period, end)).toBeGreaterThan(1.3 * average((p) => won(p - period, p)));
    expect(openValue(end - 1)).toBeLessThan(average((p) => openValue(p - 1)));
    expect(created(end - period, end)).toBeLessThan(0.8 * average((p) => created(p - period, p)));

    // As a sales manager reads it: the last full calendar month against the three before it.
    const month = (offset: number) => monthStart(ix.todayDay, offset) * DAY_MS;
    const lastMonthWon = won(month(-1), month(0));
    const monthsBefore = [-2, -3, -4].map((m) => won(month(m), month(m + 1)));
    expect(lastMonthWon).toBeGreaterThan((1.5 * monthsBefore.reduce((a, b) => a + b, 0)) / 3);
    const lastMonthNew = created(month(-1), month(0));
    const newBefore = [-2, -3, -4].map((m) => created(month(m), month(m + 1)));
    expect(lastMonthNew).toBeLessThan(newBefore.reduce((a, b) => a + b, 0) / 3);
    expect(openValue(end - 1)).toBeLessThan(openValue(month(-3)));

    // The big month's wins fall in the window the generator documents.
    const window = bigMonthWindow(ix.todayDay);
    expect(won(window.firstDay * DAY_MS, (window.lastDay + 1) * DAY_MS)).toBeGreaterThan(0);
  });

  it("has a rep who stopped following up on deals that are still alive", () => {
    const open = openDealsOf(DEMO_STORIES.stoppedFollowingUpRep.email);
    const neglected = open.filter(
      (d) =>
        (daysAgo(ix, d.lastBuyerActivityAt) ?? Infinity) <= 10 &&
        (daysAgo(ix, d.lastSellerActivityAt) ?? Infinity) >= 21,
    );
    expect(open.length).toBeGreaterThan(5);
    expect(neglected.length / open.length).toBeGreaterThanOrEqual(0.6);
  });

  it("has a deal where the buyer asked for time: waiting on the buyer until three weeks out", () => {
    const deal = ix.deal(DEMO_STORIES.waitingOnBuyerDeal.externalId);
    const rep = ix.user(DEMO_STORIES.waitingOnBuyerDeal.ownerEmail);
    expect(deal.ownerId).toBe(rep.id);
    const until = ix.todayMs + DEMO_STORIES.waitingOnBuyerDeal.waiverDaysAhead * DAY_MS;

    expect(org.waivers).toEqual([
      expect.objectContaining({
        opportunityId: deal.id,
        kind: "waiting_on_buyer",
        until: new Date(until),
        byId: rep.id,
        endedAt: null,
      }),
    ]);
    const waiver = present(org.waivers[0]);
    expect(waiver.reason).toMatch(/wait/);
    expect(waiver.createdAt.getTime()).toBeLessThan(ix.todayMs);
    expect(org.decisions).toEqual([
      expect.objectContaining({
        opportunityId: deal.id,
        action: "waiting_on_buyer",
        reason: waiver.reason,
        byId: rep.id,
        at: waiver.createdAt,
      }),
    ]);
    expect(present(org.decisions[0]).details).toEqual({ until: new Date(until).toISOString().slice(0, 10) });
    expect(org.auditEvents).toEqual([
      expect.objectContaining({
        action: "deal.waiting_on_buyer",
        entityType: "opportunity",
        entityId: String(deal.id),
        actorId: rep.id,
      }),
    ]);

    // Without the waiver the rep would be nagged: no seller activity for 14+ days, the buyer wrote recently.
    expect(daysAgo(ix, deal.lastSellerActivityAt)).toBeGreaterThan(14);
    expect(daysAgo(ix, deal.lastBuyerActivityAt)).toBeLessThanOrEqual(10);
    expect(daysAgo(ix, deal.lastBuyerActivityAt)).toBeLessThan(present(daysAgo(ix, waiver.createdAt)) + 2);
  });

  it("has late-stage deals stuck in their stage; the Negotiation one otherwise healthy", () => {
    const negotiation = ix.deal(DEMO_STORIES.stuckInStageDeals.negotiation.externalId);
    expect(negotiation.stageId).toBe(5);
    expect(daysAgo(ix, negotiation.stageEnteredAt)).toBeGreaterThan(21 + 14);
    expect(daysAgo(ix, negotiation.lastBuyerActivityAt)).toBeLessThanOrEqual(7);
    expect(daysAgo(ix, negotiation.lastSellerActivityAt)).toBeLessThanOrEqual(3);
    expect(present(negotiation.expectedCloseDate).getTime()).toBeGreaterThan(ix.todayMs);
    expect(negotiation.closeDatePushCount).toBeLessThan(2);
    expect(daysAgo(ix, negotiation.openedAt)).toBeLessThan(120);

    const proposal = ix.deal(DEMO_STORIES.stuckInStageDeals.proposal.externalId);
    expect(proposal.stageId).toBe(4);
    expect(daysAgo(ix, proposal.stageEnteredAt)).toBeGreaterThan(30 + 14);
  });

  it("has one-sided deals: 5+ seller activities in the last 30 days, nothing from the buyer in them", () => {
    for (const story of DEMO_STORIES.oneSidedDeals) {
      const deal = ix.deal(story.externalId);
      expect(deal.ownerId).toBe(ix.user(story.ownerEmail).id);
      const recent = activities(deal).filter((a) => (daysAgo(ix, a.at) as number) <= 30);
      expect(recent.filter((a) => a.side === "seller").length).toBeGreaterThanOrEqual(5);
      expect(recent.filter((a) => a.side === "buyer")).toHaveLength(0);
      expect(daysAgo(ix, deal.lastBuyerActivityAt)).toBeGreaterThan(30);
    }
  });

  it("has healthy reps whose deals move and who add new deals every week", () => {
    for (const email of DEMO_STORIES.healthyRepEmails) {
      const open = openDealsOf(email);
      const buyerRecent = open.filter((d) => (daysAgo(ix, d.lastBuyerActivityAt) ?? Infinity) <= 21);
      const movedRecently = open.filter((d) => (daysAgo(ix, d.lastForwardMoveAt) ?? Infinity) <= 30);
      // Moving, as the past-its-time exception reads it: the buyer acted in 21 days and the deal progressed in 45.
      const moving = buyerRecent.filter(
        (d) => ((daysAgo(ix, d.lastForwardMoveAt) ?? daysAgo(ix, d.openedAt)) as number) <= 45,
      );
      expect(buyerRecent.length / open.length).toBeGreaterThanOrEqual(0.55);
      expect(moving.length / open.length).toBeGreaterThanOrEqual(0.55);
      expect(movedRecently.length / open.length).toBeGreaterThanOrEqual(0.25);
      const lastOpened = Math.min(
        ...(ix.dealsOf.get(ix.user(email).id) ?? []).map((d) => daysAgo(ix, d.openedAt) as number),
      );
      expect(lastOpened).toBeLessThan(7);
    }
  });
});
