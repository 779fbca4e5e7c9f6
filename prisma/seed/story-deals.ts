// The deals that tell a specific story (see stories.ts), scripted day by day
// instead of drawn at random, so each one shows exactly what the product is
// for — and keeps showing it for every seed and size. Days are relative to
// today (UTC day numbers); the rest of their history is ordinary.
import { dayToDate, dayToIso, instantOn, sameDateYearsBefore } from "./calendar";
import type { DealPlanInput, PinnedActivity, StageVisit } from "./deal-plans";
import type { NamedAccount } from "./accounts";
import type { RepProfile } from "./people";
import type { AuditEventRow, DecisionRow, WaiverRow } from "./rows";
import { DEMO_STORIES } from "./stories";

export interface StoryDeal {
  externalId: string;
  name: string;
  account: NamedAccount;
  plan: DealPlanInput;
  nextStep: string;
}

export const STORY_ACCOUNTS: NamedAccount[] = [
  { name: "Brightwater Logistics", sector: "Transportation & Logistics" },
  { name: "Keystone Health Partners", sector: "Healthcare" },
  { name: "Meridian Capital", sector: "Financial Services" },
  { name: "Harbor Biotech", sector: "Life Sciences" },
  { name: "Tidewater Freight", sector: "Transportation & Logistics" },
  { name: "Oakmont Foods Group", sector: "Food & Beverage" },
  { name: "Vantage Robotics", sector: "Manufacturing" },
];

const account = (name: string): NamedAccount => {
  const found = STORY_ACCOUNTS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`Unknown story account ${name}`);
  return found;
};

type RepByEmail = (email: string) => RepProfile;

/** The story deals, oldest story first. `today` is a UTC day number. */
export function storyDeals(today: number, repByEmail: RepByEmail): StoryDeal[] {
  const ago = (days: number) => today - days;
  const seller = (day: number, type: PinnedActivity["type"], summary: string, hour = 15): PinnedActivity => ({
    day,
    side: "seller",
    type,
    summary,
    hour,
  });
  const buyer = (day: number, type: PinnedActivity["type"], summary: string, hour = 16): PinnedActivity => ({
    day,
    side: "buyer",
    type,
    summary,
    hour,
  });
  const visits = (...days: number[]): StageVisit[] => days.map((day, i) => ({ order: i + 1, day }));
  const plan = (
    rep: RepProfile,
    amountDollars: number,
    stageVisits: StageVisit[],
    pinned: PinnedActivity[],
    extra: number,
    closeDate: DealPlanInput["closeDate"],
  ): DealPlanInput => {
    const sellerDays = pinned.filter((a) => a.side === "seller").map((a) => a.day);
    const buyerDays = pinned.filter((a) => a.side === "buyer").map((a) => a.day);
    return {
      rep,
      amountCents: amountDollars * 100,
      amountEdits: 0,
      condition: "moving",
      visits: stageVisits,
      exit: null,
      activity: {
        pinned,
        sellerUntilDay: Math.max(...sellerDays),
        buyerUntilDay: buyerDays.length > 0 ? Math.max(...buyerDays) : null,
        buyerShare: 0.4,
        budgetWeight: 0,
        extra,
      },
      closeDate,
    };
  };
  const neverPushed = (initialDay: number): DealPlanInput["closeDate"] => ({
    initialDay,
    pushWhileBeforeDay: initialDay,
    maxPushes: 0,
    pushDays: [14, 45],
    lastEditDay: initialDay,
  });
  const pushedOnceTo = (initialDay: number, atLeastDay: number): DealPlanInput["closeDate"] => ({
    initialDay,
    pushWhileBeforeDay: atLeastDay,
    maxPushes: 1,
    pushDays: [14, 45],
    lastEditDay: today - 1,
    landAfterDay: atLeastDay,
  });

  const deals: StoryDeal[] = [];

  // Five years old today and never left Discovery: three calls and five
  // emails in its first two weeks, not one reply, nothing since.
  const birthday = sameDateYearsBefore(today, 5);
  deals.push({
    externalId: DEMO_STORIES.fiveYearDeal.externalId,
    name: "Brightwater Logistics — Fleet visibility platform",
    account: account("Brightwater Logistics"),
    nextStep: "Follow up on the overview deck",
    plan: plan(
      repByEmail(DEMO_STORIES.fiveYearDeal.ownerEmail),
      64_000,
      visits(birthday),
      [
        seller(birthday, "call", "Discovery call — no answer, left a voicemail", 14),
        seller(birthday + 1, "email", "Intro email with our overview deck"),
        seller(birthday + 3, "email", "Follow-up: any questions on the deck?"),
        seller(birthday + 4, "call", "Call — left a voicemail"),
        seller(birthday + 6, "email", "Shared a customer case study"),
        seller(birthday + 9, "call", "Call — no answer"),
        seller(birthday + 11, "email", "Checking in on timing"),
        seller(birthday + 13, "email", "Closing the loop — still interested?"),
      ],
      0,
      neverPushed(birthday + 90),
    ),
  });

  // Stuck in Negotiation for 48 days, otherwise healthy: the buyer and the
  // rep are both active and the close date is ahead.
  deals.push({
    externalId: DEMO_STORIES.stuckInStageDeals.negotiation.externalId,
    name: "Meridian Capital — Multi-year agreement",
    account: account("Meridian Capital"),
    nextStep: "Final pricing call with procurement",
    plan: plan(
      repByEmail(DEMO_STORIES.stuckInStageDeals.negotiation.ownerEmail),
      86_000,
      visits(ago(95), ago(86), ago(74), ago(62), ago(48)),
      [
        seller(ago(95), "call", "Discovery call"),
        buyer(ago(4), "email", "Their legal team returned contract redlines"),
        seller(ago(2), "email", "Sent the revised order form"),
      ],
      16,
      pushedOnceTo(ago(30), today + 3),
    ),
  });

  // Stuck in Proposal for 52 days: the buyer said it is "with their VP".
  const proposal = [ago(110), ago(96), ago(80), ago(52)];
  deals.push({
    externalId: DEMO_STORIES.stuckInStageDeals.proposal.externalId,
    name: "Harbor Biotech — Reporting suite",
    account: account("Harbor Biotech"),
    nextStep: "Get a meeting with their VP of Operations",
    plan: plan(
      repByEmail(DEMO_STORIES.stuckInStageDeals.proposal.ownerEmail),
      58_000,
      visits(...proposal),
      [
        seller(ago(110), "call", "Discovery call"),
        seller(ago(52), "email", "Sent the proposal"),
        buyer(ago(20), "email", "Buyer said the proposal is with their VP"),
        seller(ago(6), "email", "Checked in on the proposal"),
      ],
      12,
      pushedOnceTo(ago(40), today + 3),
    ),
  });

  // One-sided: a week-by-week chase with no reply since a meeting 5–6 weeks ago.
  const oneSided: Array<[string, string, number, number]> = [
    ["Tidewater Freight", "Workflow automation", 42_000, 0],
    ["Oakmont Foods Group", "Analytics add-on", 36_000, 4],
    ["Vantage Robotics", "Data integration", 67_500, -3],
  ];
  DEMO_STORIES.oneSidedDeals.forEach((story, i) => {
    const [accountName, offering, dollars, shift] = oneSided[i] as [string, string, number, number];
    deals.push({
      externalId: story.externalId,
      name: `${accountName} — ${offering}`,
      account: account(accountName),
      nextStep: "Get a reply from the buyer",
      plan: plan(
        repByEmail(story.ownerEmail),
        dollars,
        visits(ago(80 + shift), ago(66 + shift), ago(24)),
        [
          seller(ago(80 + shift), "call", "Discovery call"),
          buyer(ago(41 + shift), "meeting", "Meeting held with their IT lead"),
          seller(ago(28), "email", "Sent recap and next steps"),
          seller(ago(24), "email", "Shared the demo recording"),
          seller(ago(20), "call", "Left a voicemail"),
          seller(ago(15), "email", "Following up on the demo"),
          seller(ago(11), "call", "Left a voicemail"),
          seller(ago(7), "email", "Any update on your evaluation?"),
          seller(ago(3), "call", "Call — no answer"),
        ],
        8,
        neverPushed(today + 25 + shift),
      ),
    });
  });

  // The buyer asked for time: the rep last called 18 days ago, the CFO wrote
  // 9 days ago to wait for their budget committee.
  const waiting = waitingOnBuyerDates(today);
  deals.push({
    externalId: DEMO_STORIES.waitingOnBuyerDeal.externalId,
    name: "Keystone Health Partners — Enterprise rollout",
    account: account("Keystone Health Partners"),
    nextStep: `Call back after their budget committee (${waiting.committeeText})`,
    plan: plan(
      repByEmail(DEMO_STORIES.waitingOnBuyerDeal.ownerEmail),
      96_000,
      visits(ago(74), ago(63), ago(45), ago(19)),
      [
        seller(ago(74), "call", "Discovery call"),
        buyer(ago(60), "meeting", "Requirements workshop with their finance team"),
        seller(ago(45), "meeting", "Product demo for the finance team"),
        buyer(ago(44), "meeting", "Demo attended by the CFO and two controllers"),
        seller(ago(19), "email", "Sent the proposal"),
        seller(ago(18), "call", "Walked the CFO through the proposal"),
        buyer(ago(9), "email", `CFO asked us to wait: their budget committee meets on ${waiting.committeeText}`),
      ],
      8,
      neverPushed(today + 40),
    ),
  });

  return deals;
}

function waitingOnBuyerDates(today: number) {
  const until = today + DEMO_STORIES.waitingOnBuyerDeal.waiverDaysAhead;
  const committee = until - 2;
  const committeeText = dayToDate(committee).toLocaleDateString("en-US", {
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  });
  return { until, committeeText, recordedDay: today - 8 };
}

/** The rep's "waiting on the buyer until …" — the waiver, its decision and audit event, as the action writes them. */
export function waitingOnBuyerRecords(
  today: number,
  dealId: number,
  repId: string,
): { waiver: WaiverRow; decision: DecisionRow; auditEvent: AuditEventRow } {
  const { until, committeeText, recordedDay } = waitingOnBuyerDates(today);
  const at = instantOn(recordedDay, 15, 10);
  const reason = `Their CFO asked us to wait for the budget committee on ${committeeText}; we call back after that.`;
  const untilIso = dayToIso(until);
  return {
    waiver: {
      id: 1,
      opportunityId: dealId,
      kind: "waiting_on_buyer",
      reason,
      until: dayToDate(until),
      byId: repId,
      createdAt: at,
      endedAt: null,
    },
    decision: {
      id: 1,
      opportunityId: dealId,
      reviewId: null,
      action: "waiting_on_buyer",
      reason,
      byId: repId,
      at,
      details: { until: untilIso },
    },
    auditEvent: {
      id: 1,
      at,
      actorId: repId,
      action: "deal.waiting_on_buyer",
      entityType: "opportunity",
      entityId: String(dealId),
      before: null,
      after: { waiver: "waiting_on_buyer", until: untilIso, reason },
    },
  };
}
