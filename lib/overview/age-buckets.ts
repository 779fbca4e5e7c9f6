// The deal age distribution of the team overview: open deals grouped by age as
// a multiple of their team's average cycle. The bucket edges are fractions of
// the past-its-time multiple (2× by default), so the line the rule draws always
// falls between two buckets and every bar is either inside or past it.
//
// Pure: takes (age, cycle, count, value) groups and returns the buckets. The
// overview totals each rep's open deals kept in RepFigures up to the opening
// days that split the buckets (ageBucketOpeningDays, bucketsFromOpenedUpTo)
// and, for reps whose stored row does not hold as of the date, lets the
// database put each deal in its bucket (ageBucketSql); all three make the same
// comparison as bucketIndex, and feed tallyAgeBuckets.

export interface AgeGroup {
  /** Whole days open (daysBetween(openedAt, asOf)). */
  ageDays: number;
  /** The average cycle the deal is measured against, in days (at least 1). */
  cycleDays: number;
  count: number;
  valueCents: number;
}

export interface AgeBucket {
  /** "0.5–1×", "over 5×". */
  label: string;
  /** "46–90 days" when every deal shares one cycle; null otherwise. */
  daysLabel: string | null;
  /** Exclusive lower edge as a multiple of the cycle (the first bucket includes 0). */
  fromMultiple: number;
  /** Inclusive upper edge; null for the last, open-ended bucket. */
  toMultiple: number | null;
  count: number;
  valueCents: number;
  /** True for buckets past the line (age > line × cycle). */
  pastLine: boolean;
}

export interface AgeDistribution {
  buckets: AgeBucket[];
  /** The past-its-time multiple the line is drawn at. */
  lineMultiple: number;
  /** The one cycle every deal shares, or null when teams differ (or there are no deals). */
  sharedCycleDays: number | null;
  pastLine: { count: number; valueCents: number };
  total: { count: number; valueCents: number };
}

/** Bucket edges as fractions of the line: ¼, ½, ¾, the line, 1½ and 2½ times it. */
const EDGE_FRACTIONS = [0.25, 0.5, 0.75, 1, 1.5, 2.5] as const;

export function formatMultipleLabel(multiple: number): string {
  return `${Number(multiple.toFixed(2))}×`;
}

/** Deals already put in their bucket (an index into the distribution's buckets). */
export interface BucketedAgeGroup {
  bucket: number;
  cycleDays: number;
  count: number;
  valueCents: number;
}

/** Upper edges of the buckets as multiples of the cycle (the last bucket has none). */
export function ageBucketEdges(lineMultiple: number): number[] {
  return EDGE_FRACTIONS.map((fraction) => fraction * lineMultiple);
}

export function bucketDealAges(groups: readonly AgeGroup[], lineMultiple: number): AgeDistribution {
  const edges = ageBucketEdges(lineMultiple);
  return tallyAgeBuckets(
    groups.map((group) => ({
      bucket: bucketIndex(group.ageDays, group.cycleDays, edges),
      cycleDays: group.cycleDays,
      count: group.count,
      valueCents: group.valueCents,
    })),
    lineMultiple,
  );
}

/**
 * The opening days that split open deals into the age buckets for one cycle,
 * as of a day: the as-of day itself, then for each bucket's upper edge the
 * last opening day older than it. With the open deals opened on or before each
 * of these days (running totals kept per rep, lib/figures), bucket k holds the
 * k-th total minus the next, the last bucket the last total
 * (bucketsFromOpenedUpTo). The same comparison as bucketIndex: a whole-day age
 * is at most edge × cycle exactly when it is at most its floor.
 */
export function ageBucketOpeningDays(asOfDay: number, cycleDays: number, lineMultiple: number): number[] {
  return [asOfDay, ...ageBucketEdges(lineMultiple).map((edge) => asOfDay - Math.floor(edge * cycleDays) - 1)];
}

/** The buckets of one cycle from the totals up to each of ageBucketOpeningDays' days (deals opened by the as-of day). */
export function bucketsFromOpenedUpTo(
  cycleDays: number,
  dealsUpTo: readonly number[],
  centsUpTo: readonly number[],
): BucketedAgeGroup[] {
  return dealsUpTo
    .map((deals, bucket) => ({
      bucket,
      cycleDays,
      count: deals - (dealsUpTo[bucket + 1] ?? 0),
      valueCents: (centsUpTo[bucket] ?? 0) - (centsUpTo[bucket + 1] ?? 0),
    }))
    .filter((group) => group.count > 0);
}

/**
 * SQL for bucketIndex: the first bucket whose upper edge × cycle the age does
 * not exceed, compared in float8 as JavaScript compares numbers. `edgeParams`
 * are the placeholders holding ageBucketEdges, in order.
 */
export function ageBucketSql(ageDays: string, cycleDays: string, edgeParams: readonly string[]): string {
  const whens = edgeParams.map(
    (edge, index) => `WHEN (${ageDays})::float8 <= ${edge}::float8 * (${cycleDays})::float8 THEN ${index}`,
  );
  return `CASE ${whens.join(" ")} ELSE ${edgeParams.length} END`;
}

export function tallyAgeBuckets(groups: readonly BucketedAgeGroup[], lineMultiple: number): AgeDistribution {
  const edges = ageBucketEdges(lineMultiple);
  const cycles = new Set(groups.filter((group) => group.count > 0).map((group) => group.cycleDays));
  const sharedCycleDays = cycles.size === 1 ? ([...cycles][0] ?? null) : null;

  const buckets: AgeBucket[] = [];
  for (let index = 0; index <= edges.length; index++) {
    const fromMultiple = index === 0 ? 0 : (edges[index - 1] as number);
    const toMultiple = index < edges.length ? (edges[index] as number) : null;
    buckets.push({
      label:
        toMultiple === null
          ? `over ${formatMultipleLabel(fromMultiple)}`
          : `${formatMultipleLabel(fromMultiple).replace("×", "")}–${formatMultipleLabel(toMultiple)}`,
      daysLabel: sharedCycleDays === null ? null : daysRange(fromMultiple, toMultiple, sharedCycleDays, index === 0),
      fromMultiple,
      toMultiple,
      count: 0,
      valueCents: 0,
      // The rule fires strictly above the line: a deal exactly at 2× is not past its time.
      pastLine: fromMultiple >= lineMultiple,
    });
  }

  const pastLine = { count: 0, valueCents: 0 };
  const total = { count: 0, valueCents: 0 };
  for (const group of groups) {
    if (group.count === 0) continue;
    const bucket = buckets[group.bucket] as AgeBucket;
    bucket.count += group.count;
    bucket.valueCents += group.valueCents;
    total.count += group.count;
    total.valueCents += group.valueCents;
    if (bucket.pastLine) {
      pastLine.count += group.count;
      pastLine.valueCents += group.valueCents;
    }
  }
  return { buckets, lineMultiple, sharedCycleDays, pastLine, total };
}

/** The bucket whose (from, to] range holds the age; compared in days, as the rule does (age > multiple × cycle). */
function bucketIndex(ageDays: number, cycleDays: number, edges: readonly number[]): number {
  for (let index = 0; index < edges.length; index++) {
    if (ageDays <= (edges[index] as number) * cycleDays) return index;
  }
  return edges.length;
}

/** Whole-day range of a bucket for one cycle: (from × cycle, to × cycle]. */
function daysRange(fromMultiple: number, toMultiple: number | null, cycleDays: number, first: boolean): string {
  const lowest = first ? 0 : Math.floor(fromMultiple * cycleDays) + 1;
  if (toMultiple === null) return `over ${Math.floor(fromMultiple * cycleDays)} days`;
  const highest = Math.floor(toMultiple * cycleDays);
  if (highest < lowest) return "none possible";
  return lowest === highest ? `${lowest} days` : `${lowest}–${highest} days`;
}
