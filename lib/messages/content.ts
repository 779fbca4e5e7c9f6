// What goes into each weekly message, as plain data — read by data.ts, turned
// into email and chat text by render.ts. The choices a sales manager would
// make live here: which one action a flagged deal gets, which deals come
// first, and which pipeline-building nudge a rep reads.
import { WHAT_TO_DO } from "@/components/deals/wording";
import type { Severity } from "@/lib/rules/types";
import type { ReaderFormat } from "./locale";
import type { MessageKind } from "./schedule";

export interface Recipient extends ReaderFormat {
  userId: string;
  name: string;
  email: string;
}

export interface DigestDeal {
  id: number;
  name: string;
  accountName: string | null;
  stageName: string;
  amountCents: number;
  currency: string;
  /** The worst current flag: the one the digest talks about. */
  flagLabel: string;
  severity: Severity;
  explanation: string;
  /** The one action that matters most (for the worst flag). */
  action: string;
  /** When the deal's current flags started (the earliest); null before flag episodes were recorded. */
  flaggedSince: Date | null;
  /** Flagged for the first time in the week before the digest. */
  newThisWeek: boolean;
}

export interface RepDigest {
  kind: "rep-digest";
  recipient: Recipient;
  /** The meeting this digest prepares (YYYY-MM-DD). */
  meetingDay: string;
  asOf: Date;
  /** False before any review has run: the digest must not call the pipeline clean. */
  reviewed: boolean;
  deals: DigestDeal[];
  /** Days since the rep last opened a deal (null: never) and the rule's limit. */
  daysSinceLastNewDeal: number | null;
  noNewPipelineDays: number;
  openDeals: number;
}

export interface BriefDeal {
  id: number;
  name: string;
  stageName: string;
  amountCents: number;
  currency: string;
  /** Worst current flag first; null for a healthy late-stage deal on the agenda. */
  flagLabel: string | null;
  explanation: string | null;
}

export interface BriefRep {
  repId: string;
  repName: string;
  deals: BriefDeal[];
  earlyGroup: { deals: number; valueCents: number };
}

export interface ExpiringWaiver {
  dealId: number;
  dealName: string;
  repName: string;
  kind: "waiting_on_buyer" | "manager_keep";
  /** Last day it applies (UTC midnight). */
  until: Date;
  reason: string;
}

/** One line of "what changed since last week": a movement, its count and value. */
export interface ChangeLine {
  label: string;
  deals: number;
  valueCents: number;
  /** +1 adds to the open pipeline, −1 takes from it, 0 moves inside it (stage, close date, flags). */
  sign: 1 | -1 | 0;
}

/** The team's week as a waterfall: open pipeline a week ago, the movements, open pipeline now. */
export interface WhatChangedSummary {
  openBefore: { deals: number; valueCents: number };
  openNow: { deals: number; valueCents: number };
  lines: ChangeLine[];
}

export interface ManagerBrief {
  kind: "manager-brief";
  recipient: Recipient;
  teamName: string;
  meetingDay: string;
  asOf: Date;
  reviewed: boolean;
  currency: string;
  /** Since a week before the as-of instant (lib/changes); null when not read. */
  whatChanged: WhatChangedSummary | null;
  /** In the order meeting mode shows them. */
  reps: BriefRep[];
  expiringWaivers: ExpiringWaiver[];
  /** Sales-trap explanations when the rule fires for the team. */
  salesTrap: string[];
}

export type WeeklyMessage = RepDigest | ManagerBrief;

export function kindOf(message: WeeklyMessage): MessageKind {
  return message.kind;
}

const ONE_LINE_FALLBACK = "Open the deal to see why it is flagged and act on it.";

/** The first sentence of the deal screens' "what to do" for a rule: one line, not a paragraph. */
export function oneAction(rule: string): string {
  const advice = WHAT_TO_DO[rule] ?? ONE_LINE_FALLBACK;
  const rest = advice.replace(/^[^.]*\.\s*/, "");
  // The deal screens open with why ("It has sat in this stage too long."), then what to do.
  return rest.length > 0 ? rest : advice;
}

/** Newly flagged deals first (the rep has not seen them yet), then worst severity, then as data.ts ordered them. */
export function orderDigestDeals(deals: readonly DigestDeal[]): DigestDeal[] {
  const rank: Record<Severity, number> = { stale: 0, at_risk: 1, nudge: 2, warning: 3 };
  return deals
    .map((deal, index) => ({ deal, index }))
    .sort(
      (a, b) =>
        Number(b.deal.newThisWeek) - Number(a.deal.newThisWeek) ||
        rank[a.deal.severity] - rank[b.deal.severity] ||
        a.index - b.index,
    )
    .map(({ deal }) => deal);
}

/** The new-pipeline streak in one sentence, with one concrete thing to do this week. */
export function pipelineNudge(daysSinceLastNewDeal: number | null, limitDays: number): string {
  if (daysSinceLastNewDeal === null)
    return "You have not opened an opportunity yet. Pick three accounts you know well, book a discovery call with one of them this week and log it as a new opportunity.";
  if (daysSinceLastNewDeal > limitDays)
    return `Your last new opportunity was ${daysSinceLastNewDeal} days ago (the aim is at least one every ${limitDays} days). Block 30 minutes today to call back one lost or stalled account and open an opportunity if they are interested.`;
  if (daysSinceLastNewDeal === 0)
    return "You opened a new opportunity today — keep the streak: one more before the end of the week.";
  return `Your last new opportunity was ${daysSinceLastNewDeal} ${daysSinceLastNewDeal === 1 ? "day" : "days"} ago. Keep the streak: ask one happy customer this week for an introduction and open it as an opportunity.`;
}
