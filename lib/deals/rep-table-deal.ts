// One open deal as the rep page's table (/reps/[id]) shows it. The table is a
// client component, so each deal travels twice: in the HTML and again as data
// in React's payload. This is the payload's half, kept to what the table, its
// details row and its bulk actions read: no import ids or owner (the page is
// one rep's), no flag start dates (the row shows the oldest), and dates
// already written out as the table shows them (formatDate is a fixed UTC
// format, so server and browser agree) instead of full timestamps.
import type { DealFlagView, DealRowView, WaiverView } from "./deal-row-view";
import { formatDate } from "@/lib/format";

export interface RepTableDeal {
  id: number;
  name: string;
  /** Optimistic concurrency: sent back with every bulk action. */
  version: number;
  accountName: string | null;
  stageId: number;
  stageName: string;
  stageOrder: number;
  early: boolean;
  amountCents: number;
  currency: string;
  ageDays: number;
  ageMultiple: number;
  daysInStage: number | null;
  daysSinceActivity: number | null;
  /** "Dec 19, 2021"; null when there was none. */
  lastActivityOn: string | null;
  daysSinceBuyerActivity: number | null;
  lastBuyerActivityOn: string | null;
  /** "Mar 6, 2022", or "—" without one. */
  expectedCloseOn: string;
  closeDatePushCount: number;
  nextStep: string | null;
  /** Current flags, worst first, without their start dates. */
  flags: Omit<DealFlagView, "since">[];
  flaggedDays: number | null;
  /** "Dec 6, 2026": when the oldest current flag began; null when not flagged. */
  flaggedSinceOn: string | null;
  flaggedFor: string | null;
  waivers: WaiverView[];
}

export function repTableDeal(deal: DealRowView): RepTableDeal {
  return {
    id: deal.id,
    name: deal.name,
    version: deal.version,
    accountName: deal.accountName,
    stageId: deal.stageId,
    stageName: deal.stageName,
    stageOrder: deal.stageOrder,
    early: deal.early,
    amountCents: deal.amountCents,
    currency: deal.currency,
    ageDays: deal.ageDays,
    ageMultiple: deal.ageMultiple,
    daysInStage: deal.daysInStage,
    daysSinceActivity: deal.daysSinceActivity,
    lastActivityOn: deal.lastActivityAt ? formatDate(deal.lastActivityAt) : null,
    daysSinceBuyerActivity: deal.daysSinceBuyerActivity,
    lastBuyerActivityOn: deal.lastBuyerActivityAt ? formatDate(deal.lastBuyerActivityAt) : null,
    expectedCloseOn: formatDate(deal.expectedCloseDate),
    closeDatePushCount: deal.closeDatePushCount,
    nextStep: deal.nextStep,
    flags: deal.flags.map(({ rule, label, severity, explanation }) => ({ rule, label, severity, explanation })),
    flaggedDays: deal.flaggedDays,
    flaggedSinceOn: deal.flaggedSince ? formatDate(deal.flaggedSince) : null,
    flaggedFor: deal.flaggedFor,
    waivers: deal.waivers,
  };
}
