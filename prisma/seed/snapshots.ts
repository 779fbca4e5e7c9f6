// Weekly pipeline snapshots for the weeks before the demo starts, so the
// trend chart has a history on the first day (a review only writes the
// current week's snapshot). One row per rep per completed ISO week, as of the
// end of that week (Sunday 23:59:59.999 UTC), computed from the generated
// history:
// - open count / value: deals open at the week's end, at their amount then;
// - weighted value: each at the probability of the stage it was in then;
// - stale count / value: an approximation of the engine's stale rules with
//   default settings — open longer than 2× the team's average won cycle
//   (unless the buyer acted in the last 21 days and the deal moved forward in
//   the last 45), or no activity for 90 days. The real review computes the
//   current week with every rule; older weeks are history, close enough;
// - new pipeline: value of deals opened during the week (all outcomes);
// - won value: deals won during the week.
// Money is summed in integer cents.
import { DAY_MS, instantOn, mondayOf } from "./calendar";
import type { DealTimeline } from "./history";
import { centsToDecimal, type PipelineSnapshotRow } from "./rows";
import { stageByOrder } from "./stages";

export const SNAPSHOT_WEEKS = 26;

interface WeekTotals {
  openCount: number;
  openCents: number;
  weightedCents: number;
  staleCount: number;
  staleCents: number;
  newCents: number;
  wonCents: number;
}

export class WeeklySnapshots {
  /** Monday (UTC day) of each week, oldest first. */
  readonly weekStarts: number[];
  private readonly totals = new Map<string, WeekTotals[]>();

  constructor(
    todayDay: number,
    /** Average won cycle per team id, in days (stale approximation). */
    private readonly cycleDaysByTeam: Map<string, number>,
    weeks = SNAPSHOT_WEEKS,
  ) {
    const thisWeek = mondayOf(todayDay);
    this.weekStarts = [];
    for (let back = weeks; back >= 1; back--) this.weekStarts.push(thisWeek - 7 * back);
  }

  /** Start of the first week: deals that left the pipeline before it count nowhere. */
  get firstWeekMs(): number {
    return (this.weekStarts[0] as number) * DAY_MS;
  }

  add(deal: DealTimeline): void {
    if (deal.leftMs !== null && deal.leftMs < this.firstWeekMs) return;
    const weeks = this.weekTotals(deal.ownerId);
    const cycleDays = this.cycleDaysByTeam.get(deal.teamId) ?? 90;
    for (let w = 0; w < this.weekStarts.length; w++) {
      const startMs = (this.weekStarts[w] as number) * DAY_MS;
      const endMs = startMs + 7 * DAY_MS; // exclusive
      const asOfMs = endMs - 1;
      const week = weeks[w] as WeekTotals;
      if (deal.openedMs >= startMs && deal.openedMs < endMs) week.newCents += valueAt(deal.amountSteps, deal.openedMs);
      if (deal.wonMs !== null && deal.wonMs >= startMs && deal.wonMs < endMs)
        week.wonCents += valueAt(deal.amountSteps, deal.wonMs);
      const open = deal.openedMs <= asOfMs && (deal.leftMs === null || deal.leftMs > asOfMs);
      if (!open) continue;
      const cents = valueAt(deal.amountSteps, asOfMs);
      week.openCount++;
      week.openCents += cents;
      week.weightedCents += Math.round((cents * stageByOrder(valueAt(deal.stageSteps, asOfMs)).probability) / 100);
      if (isStaleAt(deal, asOfMs, cycleDays)) {
        week.staleCount++;
        week.staleCents += cents;
      }
    }
  }

  rows(repIds: readonly string[]): PipelineSnapshotRow[] {
    const rows: PipelineSnapshotRow[] = [];
    for (const userId of repIds) {
      const weeks = this.weekTotals(userId);
      this.weekStarts.forEach((weekStart, w) => {
        const week = weeks[w] as WeekTotals;
        rows.push({
          id: rows.length + 1,
          userId,
          weekStart: new Date(weekStart * DAY_MS),
          reviewId: null,
          openCount: week.openCount,
          openValue: centsToDecimal(week.openCents),
          weightedValue: centsToDecimal(week.weightedCents),
          staleCount: week.staleCount,
          staleValue: centsToDecimal(week.staleCents),
          newPipelineValue: centsToDecimal(week.newCents),
          wonValue: centsToDecimal(week.wonCents),
          updatedAt: instantOn(weekStart + 7, 0),
        });
      });
    }
    return rows;
  }

  private weekTotals(userId: string): WeekTotals[] {
    let weeks = this.totals.get(userId);
    if (!weeks) {
      weeks = this.weekStarts.map(() => ({
        openCount: 0,
        openCents: 0,
        weightedCents: 0,
        staleCount: 0,
        staleCents: 0,
        newCents: 0,
        wonCents: 0,
      }));
      this.totals.set(userId, weeks);
    }
    return weeks;
  }
}

/** The value of a step function [from, value][] at an instant (the first step if before all). */
function valueAt(steps: ReadonlyArray<readonly [number, number]>, ms: number): number {
  let value = (steps[0] as readonly [number, number])[1];
  for (const [from, stepValue] of steps) {
    if (from > ms) break;
    value = stepValue;
  }
  return value;
}

/** Latest instant in a sorted list at or before ms, or null. */
function latestAtOrBefore(sorted: readonly number[], ms: number): number | null {
  let lo = 0;
  let hi = sorted.length - 1;
  let found: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = sorted[mid] as number;
    if (value <= ms) {
      found = value;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function daysBetween(earlierMs: number, laterMs: number): number {
  return Math.floor(laterMs / DAY_MS) - Math.floor(earlierMs / DAY_MS);
}

function isStaleAt(deal: DealTimeline, asOfMs: number, cycleDays: number): boolean {
  const ageDays = daysBetween(deal.openedMs, asOfMs);
  const lastActivity = latestAtOrBefore(deal.activityMs, asOfMs);
  const quietDays = lastActivity === null ? ageDays : daysBetween(lastActivity, asOfMs);
  if (quietDays > 90) return true;
  if (ageDays <= 2 * cycleDays) return false;
  const lastBuyer = latestAtOrBefore(deal.buyerMs, asOfMs);
  const lastForward = latestAtOrBefore(deal.forwardMs, asOfMs);
  const buyerRecent = lastBuyer !== null && daysBetween(lastBuyer, asOfMs) <= 21;
  const progressRecent = lastForward !== null && daysBetween(lastForward, asOfMs) <= 45;
  return !(buyerRecent && progressRecent);
}
