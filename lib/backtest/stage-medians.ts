// The median days won deals spent in each stage, for every day of a range —
// lib/rules/statistics.ts medianDaysInStage as of the end of each day — kept
// up to date as the lookback window slides instead of recomputed from every
// stint each day (the replay needs it for hundreds of days in a row; from
// scratch that was most of the back-test's time). stage-medians.test.ts
// checks it gives medianDaysInStage's answer on every day.
import { utcDayNumber } from "@/lib/rules/days";
import type { RuleSettings } from "@/lib/rules/settings";
import type { StageMedian, WonStageStint } from "@/lib/rules/statistics";
import { SortedNumbers } from "./sorted-numbers";

/**
 * Stage medians as of the end of each day from `firstDay` to `lastDay`
 * (UTC day numbers), in one pass over the stints.
 */
export function stageMediansByDay(
  stints: readonly WonStageStint[],
  settings: RuleSettings,
  firstDay: number,
  lastDay: number,
): (day: number) => ReadonlyMap<number, StageMedian> {
  // A stint counts from the day both the deal was won and the stint ended
  // (as of the end of that day), until its deal's win leaves the lookback.
  const arrivals = stints
    .map((stint) => ({
      stint,
      days: utcDayNumber(stint.leftAt) - utcDayNumber(stint.enteredAt),
      from: Math.max(utcDayNumber(stint.closedAt), utcDayNumber(stint.leftAt)),
      until: utcDayNumber(stint.closedAt) + settings.lookbackDays,
    }))
    .filter((arrival) => arrival.days >= 0 && arrival.from <= arrival.until && arrival.until >= firstDay)
    .sort((a, b) => a.from - b.from);
  const departures = [...arrivals].sort((a, b) => a.until - b.until);

  // Per stage: each deal's total days there (and how many of its stints are
  // in), and the totals sorted for the median.
  const totals = new Map<number, Map<number, { days: number; stints: number }>>();
  const sorted = new Map<number, SortedNumbers>();
  const add = (stint: WonStageStint, days: number) => {
    let byDeal = totals.get(stint.stageId);
    let list = sorted.get(stint.stageId);
    if (!byDeal || !list) {
      byDeal = new Map();
      list = new SortedNumbers();
      totals.set(stint.stageId, byDeal);
      sorted.set(stint.stageId, list);
    }
    const total = byDeal.get(stint.dealId);
    if (total) {
      list.remove(total.days);
      total.days += days;
      total.stints++;
      list.insert(total.days);
    } else {
      byDeal.set(stint.dealId, { days, stints: 1 });
      list.insert(days);
    }
  };
  const remove = (stint: WonStageStint, days: number) => {
    const list = sorted.get(stint.stageId);
    const byDeal = totals.get(stint.stageId);
    const total = byDeal?.get(stint.dealId);
    if (!list || !byDeal || !total) return;
    list.remove(total.days);
    total.days -= days;
    total.stints--;
    if (total.stints === 0) byDeal.delete(stint.dealId);
    else list.insert(total.days);
  };

  const byDay: ReadonlyMap<number, StageMedian>[] = [];
  let nextArrival = 0;
  let nextDeparture = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    while (nextArrival < arrivals.length && (arrivals[nextArrival] as (typeof arrivals)[number]).from <= day) {
      const { stint, days } = arrivals[nextArrival++] as (typeof arrivals)[number];
      add(stint, days);
    }
    while (nextDeparture < departures.length && (departures[nextDeparture] as (typeof arrivals)[number]).until < day) {
      // A stint leaves after it arrived: from ≤ until < day.
      const { stint, days } = departures[nextDeparture++] as (typeof arrivals)[number];
      remove(stint, days);
    }
    const medians = new Map<number, StageMedian>();
    for (const [stageId, list] of sorted) {
      if (list.values.length === 0) continue;
      // At least 1 day, as medianDaysInStage: a zero-day yardstick would make every deal stuck.
      medians.set(stageId, { stageId, days: Math.max(1, list.median()), sampleSize: list.values.length });
    }
    byDay.push(medians);
  }
  return (day) => {
    const medians = byDay[day - firstDay];
    if (!medians) throw new Error(`stage medians asked for day ${day}, outside ${firstDay}–${lastDay}`);
    return medians;
  };
}
