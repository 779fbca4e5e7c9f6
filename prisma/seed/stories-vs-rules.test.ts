// The stories do what they are for: the stale-deal engine (lib/rules), run on
// the generated rows as a review would (rollup columns, activity counts in the
// one-sided window, waivers, won deals and their stage stints, team periods),
// flags exactly what each story is meant to show — and not the healthy reps.
// Pure: the facts are built in memory the way lib/reviews/facts.ts builds them
// from the database.
import { describe, expect, it } from "vitest";
import {
  activityWindowStart,
  buildRuleContext,
  DEFAULT_RULE_SETTINGS,
  type DealFacts,
  type DealVerdict,
  evaluateDeals,
  evaluateReps,
  evaluateTeams,
  salesTrapPeriods,
  type TeamFacts,
  type WonStageStint,
} from "../../lib/rules";
import { DAY_MS } from "./calendar";
import { DEMO_DEFAULTS, type DemoOptions, defaultClosedDeals, generateDemoOrganisation } from "./generate";
import type { OpportunityRow } from "./rows";
import { DEMO_STORIES } from "./stories";
import { cents, currentQuotaCents, indexOrganisation, openAt, present, sumCents } from "./test-support";

const settings = DEFAULT_RULE_SETTINGS;

describe.each([
  ["2026-11-22", DEMO_DEFAULTS.seed],
  ["2027-04-02", 4242],
])("the review of the demo organisation generated for %s (seed %s)", (today, seed) => {
  const options: DemoOptions = {
    seed,
    today,
    openDeals: DEMO_DEFAULTS.openDeals,
    closedDeals: defaultClosedDeals(DEMO_DEFAULTS.reps),
    activities: DEMO_DEFAULTS.activities,
    reps: DEMO_DEFAULTS.reps,
  };
  const ix = indexOrganisation(generateDemoOrganisation(options));
  const { org } = ix;
  // Reviewed in the middle of the demo's day.
  const asOf = new Date(ix.todayMs + 12 * 3_600_000);
  const stages = new Map(org.stages.map((stage) => [stage.id, stage]));

  const windowStart = activityWindowStart(asOf, settings.oneSidedWindowDays).getTime();
  const facts = (deal: OpportunityRow): DealFacts => {
    const stage = present(stages.get(deal.stageId));
    const recent = (ix.activitiesOf.get(deal.id) ?? []).filter((a) => a.at.getTime() >= windowStart && a.at <= asOf);
    return {
      id: deal.id,
      name: deal.name,
      ownerId: deal.ownerId,
      teamId: ix.teamOf.get(deal.ownerId) || null,
      stageId: deal.stageId,
      stageName: stage.name,
      stageOrder: stage.order,
      stageMaxDaysInStage: stage.maxDaysInStage,
      amountCents: cents(deal.amount),
      currency: deal.currency,
      openedAt: deal.openedAt,
      expectedCloseDate: deal.expectedCloseDate,
      lastActivityAt: deal.lastActivityAt,
      lastBuyerActivityAt: deal.lastBuyerActivityAt,
      lastSellerActivityAt: deal.lastSellerActivityAt,
      stageEnteredAt: deal.stageEnteredAt,
      lastForwardMoveAt: deal.lastForwardMoveAt,
      closeDatePushCount: deal.closeDatePushCount,
      sellerActivitiesInWindow: recent.filter((a) => a.side === "seller").length,
      buyerActivitiesInWindow: recent.filter((a) => a.side === "buyer").length,
      waivers: org.waivers
        .filter((w) => w.opportunityId === deal.id)
        .map((w) => ({ kind: w.kind, until: w.until, reason: w.reason, createdAt: w.createdAt, endedAt: w.endedAt })),
    };
  };

  const lookbackStart = asOf.getTime() - settings.lookbackDays * DAY_MS;
  const won = org.opportunities.filter((d) => d.status === "won" && present(d.closedAt).getTime() > lookbackStart);
  const stints: WonStageStint[] = [];
  for (const deal of won) {
    const changes = ix.stageChangesOf.get(deal.id) ?? [];
    changes.forEach((change, i) => {
      const next = changes[i + 1];
      if (change.toStatus === "open" && change.toStageId !== null && next) {
        stints.push({
          dealId: deal.id,
          stageId: change.toStageId,
          enteredAt: change.at,
          leftAt: next.at,
          closedAt: present(deal.closedAt),
        });
      }
    });
  }
  const context = buildRuleContext(
    {
      teams: org.teams.map((team) => ({ id: team.id, name: team.name })),
      wonDeals: won.map((d) => ({
        teamId: ix.teamOf.get(d.ownerId) || null,
        openedAt: d.openedAt,
        closedAt: present(d.closedAt),
      })),
      wonStageStints: stints,
    },
    settings,
    asOf,
  );

  const open = org.opportunities.filter((d) => d.status === "open");
  const verdicts = new Map<number, DealVerdict>(
    evaluateDeals(open.map(facts), context, settings, asOf).map((v) => [v.dealId, v]),
  );
  const rulesOf = (deal: OpportunityRow) => (verdicts.get(deal.id)?.flags ?? []).map((flag) => flag.rule).sort();
  const openDealsOf = (email: string) => open.filter((d) => d.ownerId === ix.user(email).id);

  it("measures every team's cycle on its own won deals: 60–120 days", () => {
    for (const team of org.teams) {
      const cycle = present(context.cycles.byTeam.get(team.id));
      expect(cycle.scope).toBe("team");
      expect(cycle.days).toBeGreaterThanOrEqual(60);
      expect(cycle.days).toBeLessThanOrEqual(120);
    }
    for (const stage of org.stages.filter((s) => s.maxDaysInStage === null)) {
      expect(context.stageMedians.get(stage.id)?.sampleSize).toBeGreaterThanOrEqual(settings.minSample);
    }
  });

  it("flags the five-year-old deal past its time, untouched, and slipping", () => {
    const rules = rulesOf(ix.deal(DEMO_STORIES.fiveYearDeal.externalId));
    expect(rules).toEqual(expect.arrayContaining(["past-its-time", "untouched", "close-date-slipping"]));
    const verdict = present(verdicts.get(ix.deal(DEMO_STORIES.fiveYearDeal.externalId).id));
    const pastItsTime = present(verdict.flags.find((f) => f.rule === "past-its-time"));
    const ageDays = Number(/^Open (\d+) days/.exec(pastItsTime.explanation)?.[1]);
    expect(ageDays).toBeGreaterThanOrEqual(5 * 365);
    expect(pastItsTime.explanation).toMatch(/no buyer activity recorded/);
  });

  it("finds most of the 800% rep's pipeline stale", () => {
    const deals = openDealsOf(DEMO_STORIES.stuffedPipelineRep.email);
    const stale = deals.filter((d) => present(verdicts.get(d.id)).flags.some((f) => f.severity === "stale"));
    expect(sumCents(deals) / currentQuotaCents(ix, present(deals[0]).ownerId)).toBe(8);
    expect(sumCents(stale) / sumCents(deals)).toBeGreaterThan(0.6);
  });

  it("warns about the sales trap for the West team only", () => {
    const windows = salesTrapPeriods(asOf, settings);
    const teams: TeamFacts[] = org.teams.map((team) => {
      const deals = org.opportunities.filter((d) => ix.teamOf.get(d.ownerId) === team.id);
      return {
        id: team.id,
        name: team.name,
        currency: "USD",
        periods: windows.map(({ from, until }) => {
          const through = new Date(Math.min(until.getTime() - 1, asOf.getTime()));
          const inWindow = (date: Date | null) => date !== null && date >= from && date <= through;
          return {
            wonCents: sumCents(deals.filter((d) => d.status === "won" && inWindow(d.closedAt))),
            openPipelineCents: sumCents(deals.filter((d) => openAt(d, through.getTime()))),
            newPipelineCents: sumCents(deals.filter((d) => inWindow(d.openedAt))),
          };
        }),
      };
    });
    const warned = evaluateTeams(teams, settings)
      .filter((verdict) => verdict.flags.length > 0)
      .map((verdict) => present(org.teams.find((t) => t.id === verdict.teamId)).name);
    expect(warned).toEqual([DEMO_STORIES.salesTrapTeam.name]);
  });

  it("nudges the rep who stopped following up on most of their deals", () => {
    const deals = openDealsOf(DEMO_STORIES.stoppedFollowingUpRep.email);
    const nudged = deals.filter((d) => rulesOf(d).includes("follow-up-gap"));
    expect(nudged.length / deals.length).toBeGreaterThanOrEqual(0.6);
  });

  it("does not nag about the deal whose buyer asked for time: the follow-up gap is waived", () => {
    const verdict = present(verdicts.get(ix.deal(DEMO_STORIES.waitingOnBuyerDeal.externalId).id));
    expect(verdict.flags).toEqual([]);
    expect(verdict.suppressed.map((s) => s.flag.rule)).toContain("follow-up-gap");
    expect(present(verdict.suppressed[0]).waiver.kind).toBe("waiting_on_buyer");
  });

  it("flags the stuck Negotiation deal for being stuck only, so moving it back clears it", () => {
    expect(rulesOf(ix.deal(DEMO_STORIES.stuckInStageDeals.negotiation.externalId))).toEqual(["stuck-in-stage"]);
    expect(rulesOf(ix.deal(DEMO_STORIES.stuckInStageDeals.proposal.externalId))).toContain("stuck-in-stage");
  });

  it("flags the one-sided deals as one-sided only", () => {
    for (const story of DEMO_STORIES.oneSidedDeals) expect(rulesOf(ix.deal(story.externalId))).toEqual(["one-sided"]);
  });

  it("leaves the healthy reps mostly unflagged, and none without new pipeline", () => {
    for (const email of DEMO_STORIES.healthyRepEmails) {
      const deals = openDealsOf(email);
      const flaggedStale = deals.filter((d) => present(verdicts.get(d.id)).flags.some((f) => f.severity === "stale"));
      expect(flaggedStale.length / deals.length).toBeLessThan(0.25);
    }
    const reps = org.users
      .filter((u) => u.role === "rep")
      .map((u) => ({
        id: u.id,
        name: u.name,
        teamId: u.teamId,
        startDate: null,
        firstOpenedAt: new Date(Math.min(...(ix.dealsOf.get(u.id) ?? []).map((d) => d.openedAt.getTime()))),
        lastOpenedAt: new Date(Math.max(...(ix.dealsOf.get(u.id) ?? []).map((d) => d.openedAt.getTime()))),
      }));
    const noNewPipeline = evaluateReps(reps, settings, asOf)
      .filter((verdict) => verdict.flags.length > 0)
      .map((verdict) => org.users.find((u) => u.id === verdict.userId)?.email);
    for (const email of DEMO_STORIES.healthyRepEmails) expect(noNewPipeline).not.toContain(email);
  });
});
