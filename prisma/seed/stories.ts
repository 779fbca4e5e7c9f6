// Stable handles on the stories the demo organisation tells, so tests, the
// benchmark and the browser tests can find them without knowing ids:
// deals by (source "demo", externalId), people by email, teams by name.
// They are the same for every seed and every size (the story people are
// fixed names, not drawn from the PRNG).
import { ADMIN, EMAIL_DOMAIN, type Person, STORY_TEAMS } from "./vocabulary";

export function emailOf(person: Person): string {
  const part = (text: string) => text.toLowerCase().replace(/[^a-z]/g, "");
  return `${part(person.first)}.${part(person.last)}@${EMAIL_DOMAIN}`;
}

function storyRep(team: number, position: number): string {
  const person = STORY_TEAMS[team]?.reps[position];
  if (!person) throw new Error(`No story rep at team ${team}, position ${position}`);
  return emailOf(person);
}

function storyManager(team: number): string {
  const roster = STORY_TEAMS[team];
  if (!roster) throw new Error(`No story team ${team}`);
  return emailOf(roster.manager);
}

/** Every demo deal has source "demo"; generic deals have externalId "demo-000123". */
export const DEMO_SOURCE = "demo";

export const DEMO_STORIES = {
  source: DEMO_SOURCE,
  /** OrgSettings.name of the demo organisation. */
  organisationName: "Northwind Analytics (demo)",
  adminEmail: emailOf(ADMIN),
  /** Manager of the first team by name (Central): the one the demo suggests signing in as. */
  firstManagerEmail: storyManager(0),
  /** A rep to sign in as to see "My deals" (Central's second rep). */
  sampleRepEmail: storyRep(0, 1),
  teams: { central: "Central", east: "East", west: "West" },

  /**
   * Opened exactly five years before today, still in Discovery: three seller
   * calls and five seller emails in its first two weeks, no buyer reply ever,
   * nothing since. Owned by the 800% rep. Expected flags: past-its-time,
   * untouched, close-date-slipping.
   */
  fiveYearDeal: { externalId: "demo-five-year-deal", ownerEmail: storyRep(0, 0), stage: "Discovery" },

  /**
   * Open pipeline exactly 8× this quarter's quota, most of it stale: old
   * deals, no buyer activity for months, close dates past or pushed again and
   * again. Team Central (the first manager's team).
   */
  stuffedPipelineRep: { email: storyRep(0, 0), team: "Central", coverageOfQuarterQuota: 8 },

  /**
   * Team West closed a big month — both the last full calendar month and the
   * last 30 days won well above the trailing average — while its open pipeline
   * and new-deal creation shrank. Expected flag: sales-trap.
   */
  salesTrapTeam: { name: "West", managerEmail: storyManager(2) },

  /**
   * Stopped following up on deals that are still alive: most of his open deals
   * had buyer activity in the last 10 days and no seller activity for 3+ weeks.
   * Expected flags: follow-up-gap on those deals.
   */
  stoppedFollowingUpRep: { email: storyRep(1, 0), team: "East" },

  /**
   * The buyer asked for time: an active "waiting on buyer" waiver until 21
   * days after today (with a Decision and an AuditEvent), while the rep's last
   * activity is 18 days old. Expected: no follow-up-gap flag (suppressed).
   */
  waitingOnBuyerDeal: { externalId: "demo-waiting-on-buyer", ownerEmail: storyRep(1, 1), waiverDaysAhead: 21 },

  /**
   * Late-stage deals there too long. The Negotiation deal is otherwise healthy
   * (recent buyer and seller activity, close date ahead), so moving it back a
   * stage clears its only flag, stuck-in-stage.
   */
  stuckInStageDeals: {
    negotiation: { externalId: "demo-stuck-in-negotiation", ownerEmail: storyRep(0, 1), stage: "Negotiation" },
    proposal: { externalId: "demo-stuck-in-proposal", ownerEmail: storyRep(1, 3), stage: "Proposal" },
  },

  /** Six or more seller activities in the last 30 days and no buyer activity in 30+ days. */
  oneSidedDeals: [
    { externalId: "demo-one-sided-1", ownerEmail: storyRep(0, 2) },
    { externalId: "demo-one-sided-2", ownerEmail: storyRep(1, 2) },
    { externalId: "demo-one-sided-3", ownerEmail: storyRep(2, 1) },
  ],

  /**
   * Reps whose deals move: most open deals with buyer activity and forward
   * stage moves in recent weeks, and a new opportunity in the last week.
   */
  healthyRepEmails: [
    storyRep(0, 1),
    storyRep(0, 3),
    storyRep(0, 4),
    storyRep(0, 5),
    storyRep(1, 1),
    storyRep(1, 4),
    storyRep(1, 5),
  ],
} as const;

/** All story deals' external ids (they are never generic "demo-000123" deals). */
export const STORY_DEAL_IDS: readonly string[] = [
  DEMO_STORIES.fiveYearDeal.externalId,
  DEMO_STORIES.waitingOnBuyerDeal.externalId,
  DEMO_STORIES.stuckInStageDeals.negotiation.externalId,
  DEMO_STORIES.stuckInStageDeals.proposal.externalId,
  ...DEMO_STORIES.oneSidedDeals.map((deal) => deal.externalId),
];
