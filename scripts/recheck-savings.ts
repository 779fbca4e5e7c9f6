// npx tsx --conditions=react-server scripts/recheck-savings.ts [--as-of 2026-12-06T09:00:00Z]
//
// What lib/rules/recheck.ts saves a daily incremental review, on the bench
// organisation (./data/bench, or DATABASE_URL): loads the open deals' facts as
// the review does (lib/reviews/evaluate.ts) as of D, D+1 and D+6, and counts
// the deals whose verdict may change by time alone — recheckAt due — by the
// next day's review; and how many of those did change (the same facts loaded
// a day later, judged again). Also the CPU time of recheckAt + contextKey over
// every deal, and with the oldest seller activity of the one-sided window
// loaded (as the incremental review is to load it) or not.
import { parseArgs } from "node:util";
import { closeDb, getConnection } from "@/lib/db";
import { activityWindowStart, MS_PER_DAY } from "@/lib/rules/days";
import type { Query } from "@/lib/db/bulk-sql";
import { pgArray } from "@/lib/db/bulk-sql";
import { loadTeamOverrides, teamThresholds } from "@/lib/org/team-thresholds";
import { evaluateScope } from "@/lib/reviews/evaluate";
import { evaluateDeal, evaluateDeals } from "@/lib/rules/deal-rules";
import { contextKey, recheckAt } from "@/lib/rules/recheck";
import { storedVerdict } from "@/lib/rules/stored-verdict";
import type { DealFacts } from "@/lib/rules/types";

const { values } = parseArgs({ options: { "as-of": { type: "string" }, runs: { type: "string", default: "5" } } });
const usingPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");
if (!usingPostgres) process.env.PGLITE_DIR ??= "data/bench";

const sql = getConnection().sql;
const query: Query = (text, params) => sql.query(text, params);

async function load(asOf: Date) {
  const evaluation = await evaluateScope(query, { teamId: null, dealIds: null }, asOf, { fromHistory: false });
  const thresholds = teamThresholds(evaluation.settings, await loadTeamOverrides(query));
  return { ...evaluation, thresholds, asOf };
}
type Loaded = Awaited<ReturnType<typeof load>>;

/**
 * Sets each deal's oldest seller activity in its one-sided window where the
 * window is counted (what the review is to load); `loadIt` false: undefined
 * everywhere ("not loaded"). In place, on every deal: one object shape, as a
 * loader's object literal with the field would give (a second shape made the
 * functions measurably slower).
 */
async function setOldestSeller(loaded: Loaded, loadIt: boolean): Promise<void> {
  if (!loadIt) {
    for (const deal of loaded.deals) deal.oldestSellerActivityInWindowAt = undefined;
    return;
  }
  const counted = loaded.deals.filter((deal) => deal.sellerActivitiesInWindow > 0);
  const windowStart = (deal: DealFacts) =>
    activityWindowStart(
      loaded.asOf,
      (loaded.thresholds(deal.teamId)?.values ?? loaded.settings).oneSidedWindowDays,
    ).toISOString();
  const rows = await query<{ id: number; oldest: number | null }>(
    `SELECT d.id, round(date_part('epoch', o.oldest) * 1000)::float8 AS oldest
       FROM unnest($1::text::int[], $2::text::timestamptz[]) AS d(id, window_start)
       CROSS JOIN LATERAL (
         SELECT min(a.at) AS oldest FROM "Activity" a
          WHERE a."opportunityId" = d.id AND a.side = 'seller' AND a.at >= d.window_start AND a.at <= $3
       ) o`,
    [pgArray(counted.map((deal) => deal.id)), pgArray(counted.map(windowStart)), loaded.asOf],
  );
  const oldest = new Map(rows.map((row) => [row.id, row.oldest === null ? null : new Date(Number(row.oldest))]));
  for (const deal of loaded.deals) deal.oldestSellerActivityInWindowAt = oldest.get(deal.id);
}

function recheckAll(loaded: Loaded, deals: DealFacts[]) {
  // A fresh context object: contextKey's memo starts empty, as in a review.
  const context = { ...loaded.context };
  const due = new Float64Array(deals.length);
  const keys: string[] = new Array(deals.length);
  const started = process.cpuUsage();
  const wallStarted = performance.now();
  for (let index = 0; index < deals.length; index++) {
    const deal = deals[index] as DealFacts;
    due[index] = recheckAt(deal, context, loaded.settings, loaded.asOf, loaded.thresholds)?.getTime() ?? Number.NaN;
    keys[index] = contextKey(deal, context, loaded.settings, loaded.thresholds);
  }
  const used = process.cpuUsage(started);
  const wallMs = performance.now() - wallStarted;
  const at = new Map(
    deals.map((deal, index) => [deal.id, Number.isNaN(due[index]) ? null : new Date(due[index] as number)]),
  );
  return { at, settingsKeys: new Set(keys).size, cpuMs: (used.user + used.system) / 1000, wallMs };
}

const dueBy = (at: Map<number, Date | null>, limit: Date) =>
  [...at.values()].filter((when) => when !== null && when.getTime() <= limit.getTime()).length;

/** Of the deals due, how many verdicts stored at `from` differ from the next day's (facts loaded then). */
function changedNextDay(from: Loaded, next: Loaded, due: Set<number>): number {
  const nextById = new Map(next.deals.map((deal) => [deal.id, deal]));
  let changed = 0;
  for (const deal of from.deals) {
    if (!due.has(deal.id)) continue;
    const later = nextById.get(deal.id);
    if (!later) continue;
    const before = storedVerdict(evaluateDeal(deal, from.context, from.settings, from.asOf, from.thresholds));
    const after = storedVerdict(evaluateDeal(later, from.context, from.settings, next.asOf, from.thresholds));
    if (before !== after) changed += 1;
  }
  return changed;
}

async function main() {
  const asOf = values["as-of"] ? new Date(values["as-of"]) : new Date();
  const day = (n: number) => new Date(asOf.getTime() + n * MS_PER_DAY);
  const d0 = await load(asOf);
  const deals = d0.deals.length;
  console.log(
    `${deals} open deals as of ${asOf.toISOString()}; ${d0.dealVerdicts.filter((v) => v.flags.length > 0).length} flagged`,
  );

  await setOldestSeller(d0, true);
  const runs = Math.max(1, Number(values.runs));
  // CPU time of this process over every deal, pass after pass (the first with
  // code the JIT has not optimised yet), against the rules themselves over the
  // same deals in the same run: a ratio a loaded machine distorts far less.
  // Timed on the deals as the review is to load them (one object shape, with
  // the oldest seller activity), before any other shape reaches the functions.
  const samples = Array.from({ length: runs }, () => recheckAll(d0, d0.deals));
  const engine = Array.from({ length: runs }, () => {
    const started = process.cpuUsage();
    evaluateDeals(d0.deals, d0.context, d0.settings, d0.asOf, d0.thresholds);
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  });
  const list = (values: number[]) => values.map((ms) => ms.toFixed(0)).join(", ");
  console.log(
    `recheckAt + contextKey over ${deals} deals: CPU ${list(samples.map((sample) => sample.cpuMs))} ms in turn (wall ${list(samples.map((sample) => sample.wallMs))} ms); ${samples[0]?.settingsKeys} distinct rule settings among them (contextKey: the thresholds, levels and activities-recorded flag a team's deals read alike)`,
  );
  console.log(`the rules (evaluateDeals) over the same deals: CPU ${list(engine)} ms in turn`);

  for (const [label, loadIt] of [
    ["oldest seller activity loaded", true],
    ["oldest seller activity not loaded", false],
  ] as const) {
    await setOldestSeller(d0, loadIt);
    const { at } = recheckAll(d0, d0.deals);
    const never = [...at.values()].filter((when) => when === null).length;
    console.log(`\n${label}: never by time alone ${never}`);
    for (const k of [1, 2, 7]) {
      const due = dueBy(at, day(k));
      console.log(`  due by D+${k} (since D's judgement): ${due} (${((100 * due) / deals).toFixed(2)}%)`);
    }
  }

  const [d1, d6, d7] = [await load(day(1)), await load(day(6)), await load(day(7))];
  // A daily incremental review: each day, the deals judged the day before whose recheckAt has come.
  // The same facts loaded a day later show which verdicts time changed: every one must be among those due.
  console.log("\ndaily (every deal judged the day before, oldest seller activity loaded):");
  for (const [from, next, label] of [
    [d0, d1, "D+1"],
    [d6, d7, "D+7"],
  ] as const) {
    await setOldestSeller(from, true);
    const facts = from.deals;
    const { at } = recheckAll(from, facts);
    const due = new Set(
      [...at].filter(([, when]) => when !== null && when.getTime() <= next.asOf.getTime()).map(([id]) => id),
    );
    const notDue = new Set(facts.map((deal) => deal.id).filter((id) => !due.has(id)));
    console.log(
      `  ${label}: ${due.size} due (${((100 * due.size) / facts.length).toFixed(2)}%), of which ${changedNextDay(from, next, due)} changed their stored verdict; changed among the ${notDue.size} not due: ${changedNextDay(from, next, notDue)}`,
    );
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
