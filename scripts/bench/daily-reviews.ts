// The bench's daily reviews: what a review costs the day after the last one,
// and how many flag rows a month of daily reviews leaves.
//
// Starting from no flags at all, it reviews the organisation as of `firstAsOf`,
// then once a day for `days − 1`
// more days, each day after changing a random `share` of the open deals the
// way a sales team does — a third get a new buyer or seller activity, a third
// move forward a stage, a third have their amount edited — dated six hours
// before that day's review. Each day's review is timed (the repeat review).
//
// The bench organisation is generated and disposable: the sequence starts by
// emptying the Flag table, and ends by taking its changes back out (the
// activities, stage moves and amount edits it added, the deals' stage and
// amount restored, their rollups recomputed) and removing its own reviews,
// their snapshots and flags, so the next bench run starts from the same data.
import { getConnection } from "@/lib/db";
import { maintainTables } from "@/lib/db/maintenance";
import { db } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { refreshFiguresOfDeals, refreshRepFigures } from "@/lib/figures/mutations";
import { refreshWeekTotals } from "@/lib/figures/week-totals";
import type { JudgedTotals } from "@/lib/reviews/incremental";
import { runReview } from "@/lib/reviews/mutations";
import { type PhaseTime, phaseTimer } from "@/lib/reviews/phases";
import { mulberry32 } from "@/lib/seeded-random";

const DAY_MS = 86_400_000;

export interface DailyReviews {
  /** Milliseconds of each review after the first (one per day). */
  repeatMs: number[];
  /** CPU milliseconds of this process in each repeat review (on PGlite the database works in this process
   *  too): a measure a busy machine inflates far less than the wall clock. */
  repeatCpuMs: number[];
  /** The same for the first review of the sequence (every episode started), to compare within one run. */
  firstCpuMs: number;
  /** Open deals changed before each repeat review. */
  changedPerDay: number;
  /** Flags the last review found (its current episodes): one review's flags. */
  flagsOfOneReview: number;
  /** Flags the first review found. */
  flagsOfFirstReview: number;
  /** Flag rows after the last review: episodes, current and ended. */
  flagRowsAfter: number;
  /** What the repeat reviews wrote, summed over the days. */
  episodes: { started: number; ended: number; changed: number };
}

interface Undo {
  activityIds: number[];
  stageChangeIds: number[];
  amountChangeIds: number[];
  /** Each changed deal's stage and amount before the sequence's first change to it. */
  before: Map<number, { stageId: number; amount: string }>;
  reviewIds: number[];
}

export async function measureDailyReviews(options: {
  firstAsOf: Date;
  days: number;
  share: number;
  seed?: number;
  log?: (line: string) => void;
}): Promise<DailyReviews> {
  const sql = getConnection().sql;
  const log = options.log ?? (() => undefined);
  const random = mulberry32(options.seed ?? 13);
  await sql.transaction(async (tx) => {
    await tx.exec(`TRUNCATE "Flag"`);
    // The rep figures count current flags: recounted without them, as before an organisation's first review.
    await refreshRepFigures((text, params) => tx.query(text, params), "everyone");
  });
  // Untimed setup: every table vacuumed and analyzed, so days 1…N start from
  // the same tables with table maintenance on or off (PIPELINE_TABLE_MAINTENANCE).
  await maintainTables(getConnection(), { force: true });

  const openIds = (
    await sql.query<{ id: number }>(`SELECT id FROM "Opportunity" WHERE status = 'open' ORDER BY id`)
  ).map((row) => Number(row.id));
  const stages = await sql.query<{ id: number; order: number }>(
    `SELECT id, "order" FROM "Stage" WHERE active ORDER BY "order"`,
  );
  const nextStage = new Map(stages.slice(0, -1).map((stage, index) => [stage.id, stages[index + 1]?.id as number]));
  const changedPerDay = Math.max(1, Math.round(openIds.length * options.share));
  const undo: Undo = { activityIds: [], stageChangeIds: [], amountChangeIds: [], before: new Map(), reviewIds: [] };

  let phases: PhaseTime[] = [];
  const review = async (asOf: Date) => {
    phases = [];
    const result = await runReview(sql, {
      actorId: null,
      teamId: null,
      asOf,
      now: new Date(),
      fromHistory: false,
      onPhase: (time) => phases.push(time),
    });
    // As runReviewAs does after the review commits (lib/db/maintenance.ts), timed with it.
    await phaseTimer((time) => phases.push(time))("table maintenance", () => maintainTables());
    undo.reviewIds.push(result.reviewId);
    return result;
  };

  const repeatMs: number[] = [];
  const repeatCpuMs: number[] = [];
  const episodes = { started: 0, ended: 0, changed: 0 };
  try {
    const firstCpu = process.cpuUsage();
    const first = await review(options.firstAsOf);
    const firstCpuMs = cpuMsSince(firstCpu);
    log(`  first review day 1/${options.days}: CPU ${firstCpuMs.toFixed(0)} ms; ${judgedLine(first.totals.judged)}`);
    const flagsOfFirstReview = await countFlags();
    for (let day = 1; day < options.days; day++) {
      const asOf = new Date(options.firstAsOf.getTime() + day * DAY_MS);
      const picked = pickDistinct(openIds, changedPerDay, random);
      await changeDeals(picked, new Date(asOf.getTime() - 6 * 3_600_000), nextStage, random, undo);
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await review(asOf);
      repeatMs.push(performance.now() - started);
      repeatCpuMs.push(cpuMsSince(cpu));
      episodes.started += result.episodes.started;
      episodes.ended += result.episodes.ended;
      episodes.changed += result.episodes.changed;
      log(
        `  repeat review day ${day + 1}/${options.days} (${picked.length} deals changed): ${repeatMs.at(-1)?.toFixed(0)} ms — ` +
          `started ${result.episodes.started}, ended ${result.episodes.ended}, changed ${result.episodes.changed}; ` +
          `CPU ${repeatCpuMs.at(-1)?.toFixed(0)} ms; ${judgedLine(result.totals.judged)}`,
      );
      log(`    where the time went: ${phasesLine(phases)}`);
    }
    // Measured against the last review's flags, not the first's: the bench
    // organisation ages a day at a time with few new activities, so more of
    // its deals are flagged each day; what matters is how many rows the
    // history adds on top of what one review finds (every flag written again
    // by every review would be `days`×).
    return {
      repeatMs,
      repeatCpuMs,
      firstCpuMs,
      changedPerDay,
      flagsOfOneReview: await countFlags(true),
      flagsOfFirstReview,
      flagRowsAfter: await countFlags(),
      episodes,
    };
  } finally {
    await takeBack(undo);
    // The undo rewrites deals and empties flags: leave the tables as a real organisation's would be.
    await maintainTables();
  }
}

/** How the review judged: every deal (and why), or only the deals whose verdict may have moved, by why. */
function judgedLine(judged: JudgedTotals | undefined): string {
  if (!judged) return "judged: not said";
  if (judged.mode === "full") return `full review of ${judged.deals} deals (${judged.reason})`;
  const because = Object.entries(judged.because ?? {})
    .map(([reason, count]) => `${reason} ${count}`)
    .join(", ");
  return `incremental: ${judged.deals} deals judged again (${because || "none"})`;
}

/** Each step of the review: wall ms / CPU ms. */
function phasesLine(phases: PhaseTime[]): string {
  return phases.map((time) => `${time.phase} ${time.ms.toFixed(0)}/${time.cpuMs.toFixed(0)}`).join(", ");
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function countFlags(currentOnly = false): Promise<number> {
  const [row] = await getConnection().sql.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM "Flag"${currentOnly ? ` WHERE "endedAt" IS NULL` : ""}`,
  );
  return Number(row?.count ?? 0);
}

function pickDistinct(ids: readonly number[], count: number, random: () => number): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, ids.length)) picked.add(ids[Math.floor(random() * ids.length)] as number);
  return [...picked];
}

/** A third of the deals get an activity, a third move forward (or, in the last stage, an activity), a third a new amount. */
async function changeDeals(
  ids: number[],
  at: Date,
  nextStage: Map<number, number>,
  random: () => number,
  undo: Undo,
): Promise<void> {
  const sql = getConnection().sql;
  const current = await sql.query<{ id: number; stage_id: number; amount: string }>(
    `SELECT o.id, o."stageId" AS stage_id, o.amount::text AS amount
       FROM "Opportunity" o JOIN unnest($1::text::int[]) AS d(id) ON d.id = o.id`,
    [`{${ids.join(",")}}`],
  );
  const activities: { id: number; side: string }[] = [];
  const moves: { id: number; from: number; to: number }[] = [];
  const amounts: { id: number; from: string; to: string }[] = [];
  current.forEach((deal, index) => {
    if (!undo.before.has(deal.id)) undo.before.set(deal.id, { stageId: deal.stage_id, amount: deal.amount });
    const to = nextStage.get(deal.stage_id);
    if (index % 3 === 1 && to !== undefined) moves.push({ id: deal.id, from: deal.stage_id, to });
    else if (index % 3 === 2) {
      const factor = 0.7 + random() * 0.6;
      amounts.push({ id: deal.id, from: deal.amount, to: (Number(deal.amount) * factor).toFixed(2) });
    } else activities.push({ id: deal.id, side: random() < 0.5 ? "buyer" : "seller" });
  });
  await sql.transaction(async (tx) => {
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO "Activity" ("opportunityId", type, side, at, summary, source)
       SELECT d.id, 'email', d.side::"ActivitySide", $3, 'bench: daily change', 'bench'
         FROM unnest($1::text::int[], $2::text::text[]) AS d(id, side) RETURNING id`,
      [`{${activities.map((a) => a.id).join(",")}}`, `{${activities.map((a) => a.side).join(",")}}`, at],
    );
    undo.activityIds.push(...inserted.map((row) => Number(row.id)));
    const moved = await tx.query<{ id: number }>(
      `INSERT INTO "StageChange" ("opportunityId", "fromStageId", "toStageId", "fromStatus", "toStatus", direction, at, reason)
       SELECT d.id, d.from_stage, d.to_stage, 'open', 'open', 'forward', $4, 'bench: daily change'
         FROM unnest($1::text::int[], $2::text::int[], $3::text::int[]) AS d(id, from_stage, to_stage) RETURNING id`,
      [
        `{${moves.map((m) => m.id).join(",")}}`,
        `{${moves.map((m) => m.from).join(",")}}`,
        `{${moves.map((m) => m.to).join(",")}}`,
        at,
      ],
    );
    undo.stageChangeIds.push(...moved.map((row) => Number(row.id)));
    await tx.query(
      `UPDATE "Opportunity" o SET "stageId" = d.to_stage
         FROM unnest($1::text::int[], $2::text::int[]) AS d(id, to_stage) WHERE o.id = d.id`,
      [`{${moves.map((m) => m.id).join(",")}}`, `{${moves.map((m) => m.to).join(",")}}`],
    );
    const edited = await tx.query<{ id: number }>(
      `INSERT INTO "AmountChange" ("opportunityId", "fromAmount", "toAmount", at)
       SELECT d.id, d.from_amount, d.to_amount, $4
         FROM unnest($1::text::int[], $2::text::numeric[], $3::text::numeric[]) AS d(id, from_amount, to_amount)
       RETURNING id`,
      [
        `{${amounts.map((a) => a.id).join(",")}}`,
        `{${amounts.map((a) => a.from).join(",")}}`,
        `{${amounts.map((a) => a.to).join(",")}}`,
        at,
      ],
    );
    undo.amountChangeIds.push(...edited.map((row) => Number(row.id)));
    await tx.query(
      `UPDATE "Opportunity" o SET amount = d.to_amount
         FROM unnest($1::text::int[], $2::text::numeric[]) AS d(id, to_amount) WHERE o.id = d.id`,
      [`{${amounts.map((a) => a.id).join(",")}}`, `{${amounts.map((a) => a.to).join(",")}}`],
    );
  });
  await refreshRollups(db, ids);
  await refreshFiguresOfDeals(db, ids); // as the actions and imports these edits stand for do (reviews read the figures)
}

/** Puts the bench organisation back as it was before the sequence (see the header). */
async function takeBack(undo: Undo): Promise<void> {
  const sql = getConnection().sql;
  const list = (ids: readonly (number | string)[]) => `{${ids.join(",")}}`;
  const deals = [...undo.before.entries()];
  await sql.transaction(async (tx) => {
    await tx.query(`DELETE FROM "Activity" WHERE id = ANY($1::text::int[])`, [list(undo.activityIds)]);
    await tx.query(`DELETE FROM "StageChange" WHERE id = ANY($1::text::int[])`, [list(undo.stageChangeIds)]);
    await tx.query(`DELETE FROM "AmountChange" WHERE id = ANY($1::text::int[])`, [list(undo.amountChangeIds)]);
    await tx.query(
      `UPDATE "Opportunity" o SET "stageId" = d.stage_id, amount = d.amount
         FROM unnest($1::text::int[], $2::text::int[], $3::text::numeric[]) AS d(id, stage_id, amount)
        WHERE o.id = d.id`,
      [list(deals.map(([id]) => id)), list(deals.map(([, d]) => d.stageId)), list(deals.map(([, d]) => d.amount))],
    );
    await tx.exec(`TRUNCATE "Flag"`);
    await refreshRepFigures((text, params) => tx.query(text, params), "everyone");
    await tx.query(`DELETE FROM "PipelineSnapshot" WHERE "reviewId" = ANY($1::text::int[])`, [list(undo.reviewIds)]);
    await tx.query(`DELETE FROM "Review" WHERE id = ANY($1::text::int[])`, [list(undo.reviewIds)]);
    // The weekly team totals are kept from the snapshots: rebuilt without the removed ones.
    await refreshWeekTotals((text, params) => tx.query(text, params), "every week");
  });
  for (let start = 0; start < deals.length; start += 10_000) {
    await refreshRollups(
      db,
      deals.slice(start, start + 10_000).map(([id]) => id),
    );
  }
}
