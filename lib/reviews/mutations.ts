// The review run: every open deal in scope evaluated as of a date, stored as
// one Review, the flag episodes that started, ended or changed (evaluate.ts
// flag-episodes.ts; a team review touches only its team's) and this week's
// PipelineSnapshot per rep (snapshots.ts) — all in one transaction. Used by the "Run review" button and `npm run review` alike.
import type { SqlRunner } from "@/lib/db/sql-runner";
import { dealFlagBits, refreshRepFigures, shiftRepFiguresToCurrentFlags } from "@/lib/figures/mutations";
import { refreshWeekTotals } from "@/lib/figures/week-totals";
import { analyzeWhenGrown, FLAG_STATISTICS } from "@/lib/db/statistics";
import type { RuleName, Severity } from "@/lib/rules/types";
import type { AverageCycle } from "@/lib/rules/statistics";
import { lockFlagsForReviewSql } from "@/lib/flags/current-flags";
import {
  type Evaluation,
  evaluateScope,
  flagRows,
  loadRuleBasis,
  type NotJudgedTotals,
  tallyNotJudged,
} from "./evaluate";
import { judgedBasis, type JudgedTotals, planReview } from "./incremental";
import { forgetDealsLeftScope, forgetJudgements, writeJudgements } from "./judgements";
import { storedTotals } from "./stored-totals";
import { countRepAndTeamFlags, emptyTally, type Tally, tallyOf } from "./tally";
import { writeFlagEpisodes } from "./flag-episodes";
import { snapshotWeek, writeSnapshots } from "./snapshots";
import { pgArray, type Query } from "@/lib/db/bulk-sql";
import { type PhaseListener, phaseTimer } from "./phases";

export { snapshotWeek } from "./snapshots";

export interface ReviewInput {
  actorId: string | null;
  /** Null: the whole organisation. */
  teamId: string | null;
  asOf: Date;
  now: Date;
  /** True when asOf is a fixed date in the past: facts come from history up to it. */
  fromHistory: boolean;
  /** "full": judge every deal even when an incremental review would do (tests and the bench compare the two). */
  mode?: "full";
  /** Told how long each step took (the bench's breakdown). */
  onPhase?: PhaseListener;
}

export interface ReviewTotals {
  openDeals: number;
  openValueCents: number;
  flaggedDeals: number;
  flaggedValueCents: number;
  /** Deals with at least one (unwaived) stale flag. */
  staleDeals: number;
  staleValueCents: number;
  waivedFlags: number;
  /** Flagged deals by their worst severity: the parts add up to flaggedDeals. */
  bySeverity: Record<Severity, Tally>;
  byRule: Partial<Record<RuleName, Tally>>;
  byTeam: Record<
    string,
    {
      name: string;
      openDeals: number;
      openValueCents: number;
      staleValueCents: number;
      cycle: AverageCycle;
      byRule: Partial<Record<RuleName, Tally>>;
    }
  >;
  organisationCycle: AverageCycle;
  /** Deals a rule could not judge (no activities imported, no stage history, …), per rule and reason. */
  notJudged: NotJudgedTotals;
  /** How the review judged (every deal, or only those whose verdict may have moved) and why: stored reviews only. */
  judged?: JudgedTotals;
}

const SEVERITY_ORDER: Severity[] = ["stale", "at_risk", "nudge", "warning"];

/** The worst of a deal's severities (stale before at risk before nudge). */
export function worstSeverity(severities: Severity[]): Severity {
  return SEVERITY_ORDER.find((severity) => severities.includes(severity)) ?? "warning";
}

export function summarise(evaluation: Evaluation, teamNames: Map<string, string>): ReviewTotals {
  const amountById = new Map(evaluation.deals.map((deal) => [deal.id, deal]));
  const totals: ReviewTotals = {
    openDeals: evaluation.deals.length,
    openValueCents: 0,
    flaggedDeals: 0,
    flaggedValueCents: 0,
    staleDeals: 0,
    staleValueCents: 0,
    waivedFlags: 0,
    bySeverity: { stale: emptyTally(), at_risk: emptyTally(), nudge: emptyTally(), warning: emptyTally() },
    byRule: {},
    byTeam: {},
    organisationCycle: evaluation.context.cycles.organisation,
    notJudged: tallyNotJudged(evaluation.dealVerdicts),
  };
  const teamEntry = (teamId: string | null) => {
    const key = teamId ?? "none";
    totals.byTeam[key] ??= {
      name: teamId ? (teamNames.get(teamId) ?? teamId) : "No team",
      openDeals: 0,
      openValueCents: 0,
      staleValueCents: 0,
      cycle: (teamId && evaluation.context.cycles.byTeam.get(teamId)) || evaluation.context.cycles.organisation,
      byRule: {},
    };
    return totals.byTeam[key];
  };
  for (const deal of evaluation.deals) {
    totals.openValueCents += deal.amountCents;
    const team = teamEntry(deal.teamId);
    team.openDeals += 1;
    team.openValueCents += deal.amountCents;
  }
  for (const verdict of evaluation.dealVerdicts) {
    const deal = amountById.get(verdict.dealId);
    if (!deal) continue;
    totals.waivedFlags += verdict.suppressed.length;
    if (verdict.flags.length === 0) continue;
    totals.flaggedDeals += 1;
    totals.flaggedValueCents += deal.amountCents;
    const team = teamEntry(deal.teamId);
    for (const flag of verdict.flags) {
      const byRule = tallyOf(totals.byRule, flag.rule);
      byRule.count += 1;
      byRule.valueCents += deal.amountCents;
      const teamRule = tallyOf(team.byRule, flag.rule);
      teamRule.count += 1;
      teamRule.valueCents += deal.amountCents;
    }
    // A breakdown of the flagged deals: each counts once, at its worst severity.
    const worst = worstSeverity(verdict.flags.map((flag) => flag.severity));
    totals.bySeverity[worst].count += 1;
    totals.bySeverity[worst].valueCents += deal.amountCents;
    if (verdict.flags.some((flag) => flag.severity === "stale")) {
      totals.staleDeals += 1;
      totals.staleValueCents += deal.amountCents;
      team.staleValueCents += deal.amountCents;
    }
  }
  // Rep and team flags count for the team they are about, too.
  countRepAndTeamFlags(evaluation, totals.byRule, (teamId) => teamEntry(teamId).byRule);
  return totals;
}

export async function runReview(runner: SqlRunner, input: ReviewInput) {
  return runner.transaction(async (tx) => {
    const query: Query = (sql, params) => tx.query(sql, params);
    const timed = phaseTimer(input.onPhase);
    await timed("lock", () => query(lockFlagsForReviewSql()));
    // The yardsticks first: the plan compares them with the last review's.
    const basis = await timed("rule basis", () => loadRuleBasis(query, input.asOf));
    const plan = await timed("plan", () => planReview(query, input, basis));
    const incremental = plan.mode === "incremental";
    const evaluation = await timed("evaluate", () =>
      evaluateScope(query, { teamId: input.teamId, dealIds: incremental ? plan.dealIds : null }, input.asOf, {
        fromHistory: input.fromHistory,
        basis,
        people: true,
        timed,
      }),
    );
    const teams = await query<{ id: string; name: string }>(`SELECT id, name FROM "Team"`);
    const teamNames = new Map(teams.map((team) => [team.id, team.name]));
    const judged: JudgedTotals = {
      mode: plan.mode,
      reason: incremental ? "changes only" : plan.reason,
      deals: evaluation.deals.length,
      ...(incremental ? { because: plan.because } : {}),
      basis: judgedBasis(basis, input.fromHistory),
    };
    // A full review has every verdict in hand; an incremental one counts from
    // the stored flags once they are written (stored-totals.ts).
    let totals: ReviewTotals = await timed("summarise", async () =>
      incremental ? emptyTotals(evaluation) : summarise(evaluation, teamNames),
    );

    const [review] = await query<{ id: number }>(
      `INSERT INTO "Review" ("at", "byId", "asOf", "teamId", settings, totals)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) RETURNING id`,
      [
        input.now,
        input.actorId,
        input.asOf,
        input.teamId,
        JSON.stringify(evaluation.settings),
        JSON.stringify({ ...totals, judged }),
      ],
    );
    if (!review) throw new Error("The review could not be stored.");

    const flags = flagRows(evaluation);
    // An incremental review shifts its reps' figures by what the flags of the
    // deals it judged were and became (shiftRepFiguresToCurrentFlags): the "were",
    // read before the write.
    const figuresBefore = incremental
      ? await timed("rep figures (flags before)", async () => ({
          judged: new Set(plan.dealIds),
          bits: await dealFlagBits(query, plan.dealIds),
        }))
      : null;
    const episodes = await timed("flag episodes", () =>
      writeFlagEpisodes(
        query,
        flags,
        incremental
          ? { kind: "changed", teamId: input.teamId, dealIds: plan.dealIds, asOf: input.asOf }
          : input.teamId
            ? { kind: "team", teamId: input.teamId }
            : { kind: "organisation" },
        { reviewId: review.id, asOf: input.asOf, now: input.now },
        timed,
      ),
    );
    // The judgement state follows the flags, in this transaction. A review of
    // history read facts as they were, not the rows the fingerprint reads:
    // the next review judges its scope afresh.
    await timed("judgements", async () => {
      if (input.fromHistory) await forgetJudgements(query, "all", input.teamId);
      else {
        await writeJudgements(query, evaluation, input.asOf);
        await forgetDealsLeftScope(query, input.asOf, input.teamId);
      }
    });
    // Statistics follow rows started and ended (the columns reads filter on);
    // an update in place changes only explanation and numbers, which no plan uses.
    await timed("analyze", () =>
      analyzeWhenGrown(query, [FLAG_STATISTICS, { table: "Review" }], episodes.started + episodes.ended),
    );
    await timed("rep figures", async () => {
      if (!figuresBefore && episodes.noneBefore) {
        // No flag was current before this review (the first one): every deal's
        // flags were none, so the figures shift from nothing — the flagged
        // deals read once — instead of recounting every rep's every deal.
        await shiftRepFiguresToCurrentFlags(
          query,
          episodes.dealIds.map((id) => ({ dealId: id, before: 0 })),
        );
        await refreshRepFigures(query, await repsWhoseFiguresMoved(query, [], input.teamId));
        return;
      }
      if (!figuresBefore) {
        await refreshRepFigures(query, await repsWhoseFiguresMoved(query, episodes.dealIds, input.teamId));
        return;
      }
      // The "after" is read by the shift itself, from the flags just written.
      await shiftRepFiguresToCurrentFlags(
        query,
        episodes.dealIds
          .filter((id) => figuresBefore.judged.has(id))
          .map((id) => ({ dealId: id, before: figuresBefore.bits.get(id) ?? 0 })),
      );
      // Deals whose flags ended without being judged (no longer open in scope on
      // the as-of date; rare): no "before" was read, so their owners are recounted.
      const notJudged = episodes.dealIds.filter((id) => !figuresBefore.judged.has(id));
      await refreshRepFigures(query, await repsWhoseFiguresMoved(query, notJudged, input.teamId));
    });
    // After the figures: the totals read their flag columns.
    if (incremental) {
      totals = await timed("stored totals", () => storedTotals(query, evaluation, input, teamNames));
      await query(`UPDATE "Review" SET totals = $2::jsonb WHERE id = $1`, [
        review.id,
        JSON.stringify({ ...totals, judged }),
      ]);
    }
    await timed("snapshots", () =>
      writeSnapshots(query, incremental ? "current flags" : staleDealIds(evaluation), review.id, input),
    );
    await timed("week totals", () => refreshWeekTotals(query, { snapshotWeek: snapshotWeek(input.asOf) }));
    await query(
      `INSERT INTO "AuditEvent" ("at", "actorId", action, "entityType", "entityId", after)
       VALUES ($1, $2, 'review.run', 'review', $3, $4::jsonb)`,
      [
        input.now,
        input.actorId,
        String(review.id),
        JSON.stringify({ asOf: input.asOf.toISOString(), teamId: input.teamId, flaggedDeals: totals.flaggedDeals }),
      ],
    );
    return { reviewId: review.id, totals: { ...totals, judged }, evaluation, episodes };
  });
}

/** The totals' shape before the stored flags are counted. */
function emptyTotals(evaluation: Evaluation): ReviewTotals {
  return summarise(
    { ...evaluation, deals: [], dealVerdicts: [], reps: [], repVerdicts: [], teamVerdicts: [] },
    new Map(),
  );
}

/**
 * A rep's figures count their open deals by the severities of the deals'
 * current flags; actions and imports keep them current in their own
 * transactions. So a review recomputes only the owners of deals whose
 * episodes started, ended or changed — none on a repeat review with nothing
 * changed — and anyone in scope who has no figures row yet (the first review).
 */
async function repsWhoseFiguresMoved(query: Query, dealIds: number[], teamId: string | null): Promise<string[]> {
  const rows = await query<{ id: string }>(
    `SELECT o."ownerId" AS id FROM unnest($1::text::int[]) AS d(id) JOIN "Opportunity" o ON o.id = d.id
     UNION
     SELECT u.id FROM "User" u
      WHERE ($2::text IS NULL OR u."teamId" = $2)
        AND NOT EXISTS (SELECT 1 FROM "RepFigures" f WHERE f."repId" = u.id)`,
    [pgArray(dealIds), teamId],
  );
  return rows.map((row) => row.id);
}

function staleDealIds(evaluation: Evaluation): number[] {
  return evaluation.dealVerdicts
    .filter((verdict) => verdict.flags.some((flag) => flag.severity === "stale"))
    .map((verdict) => verdict.dealId);
}
