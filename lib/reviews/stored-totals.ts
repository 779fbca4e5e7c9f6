// A review's totals from what is stored, not from an in-memory verdict of
// every deal: an incremental review judges a few deals, so
// - the open deals and their amounts, and the flagged ones per rule and at
//   their worst severity, come from RepFigures (kept current by every writer
//   of deals and flags, and brought up to date by the review itself before
//   this runs) summed per team, for each owner the figures answer for
//   exactly: they have a figures row and no open deal opened after the as-of
//   instant (the figures count every open deal; an open deal's openedAt is
//   never null, a CHECK constraint says so). Anyone else is counted from their
//   deals and those deals' current Flag rows;
// - the waived flags and not-judged reasons from the judgement state
//   (judgements.ts), read through a partial index on the few rows that hold any.
// The same figures as summarise() over a full evaluation — the
// incremental-review test compares the two after every step, and
// snapshots-totals.test.ts compares them with the whole-organisation statement
// this replaced.
import type { Query } from "@/lib/db/bulk-sql";
import { FIGURES_RULES_SQL } from "@/lib/figures/rule-order";
import type { RuleName, Severity } from "@/lib/rules/types";
import type { Evaluation, NotJudgedTotals } from "./evaluate";
import { openInScopeSql } from "./judgements";
import { countRepAndTeamFlags, emptyTally, tallyOf } from "./tally";
import type { ReviewTotals } from "./mutations";

interface Row {
  part: "open" | "rule" | "worst" | "waived" | "not_judged";
  team_id: string | null;
  label: string | null;
  reason: string | null;
  count: number | string;
  cents: number | string | null;
}

export async function storedTotals(
  query: Query,
  evaluation: Evaluation,
  input: { asOf: Date; teamId: string | null },
  teamNames: Map<string, string>,
): Promise<ReviewTotals> {
  const rows = await query<Row>(
    storedTotalsSql(input.teamId ? "$2" : null),
    input.teamId ? [input.asOf, input.teamId] : [input.asOf],
  );

  const totals: ReviewTotals = {
    openDeals: 0,
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
    notJudged: {},
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
  const SEVERITIES: Severity[] = ["stale", "at_risk", "nudge", "warning"];
  const notJudged: NotJudgedTotals = totals.notJudged;
  for (const row of rows) {
    const count = Number(row.count);
    const cents = Number(row.cents ?? 0);
    switch (row.part) {
      case "open": {
        totals.openDeals += count;
        totals.openValueCents += cents;
        const team = teamEntry(row.team_id);
        team.openDeals += count;
        team.openValueCents += cents;
        break;
      }
      case "rule": {
        const rule = row.label as RuleName;
        const byRule = tallyOf(totals.byRule, rule);
        byRule.count += count;
        byRule.valueCents += cents;
        const teamRule = tallyOf(teamEntry(row.team_id).byRule, rule);
        teamRule.count += count;
        teamRule.valueCents += cents;
        break;
      }
      case "worst": {
        const severity = SEVERITIES[Number(row.label)] ?? "warning";
        totals.flaggedDeals += count;
        totals.flaggedValueCents += cents;
        totals.bySeverity[severity].count += count;
        totals.bySeverity[severity].valueCents += cents;
        if (severity === "stale") {
          totals.staleDeals += count;
          totals.staleValueCents += cents;
          teamEntry(row.team_id).staleValueCents += cents;
        }
        break;
      }
      case "waived":
        totals.waivedFlags += count;
        break;
      case "not_judged": {
        const rule = row.label as keyof NotJudgedTotals;
        const entry = notJudged[rule] ?? { count: 0, reasons: {} };
        entry.count += count;
        entry.reasons[row.reason ?? ""] = (entry.reasons[row.reason ?? ""] ?? 0) + count;
        notJudged[rule] = entry;
        break;
      }
    }
  }
  // Rep and team rules ran in full: their flags counted from the verdicts, as summarise() does.
  countRepAndTeamFlags(evaluation, totals.byRule, (teamId) => teamEntry(teamId).byRule);
  return totals;
}

/**
 * The totals' rows: $1 the as-of instant, `teamParam` the team (null: the
 * organisation). Flagged deals count once, at their worst severity (stale
 * before at risk before nudge).
 */
function storedTotalsSql(teamParam: string | null): string {
  const inTeam = teamParam ? `u."teamId" = ${teamParam}` : "true";
  return `WITH opened_after AS (
       -- Owners with an open deal the figures count and the totals (opened on or before the as-of instant) do not.
       SELECT DISTINCT o."ownerId" AS id FROM "Opportunity" o WHERE o.status = 'open' AND o."openedAt" > $1
     ), owners AS MATERIALIZED (
       SELECT u.id, u."teamId" AS team_id, f."openDeals", f."openCents", f."ruleDeals", f."ruleCents", f."staleDeals",
              f."staleCents", f."atRiskWorstDeals", f."atRiskWorstCents", f."nudgeWorstDeals", f."nudgeWorstCents",
              f."flaggedDeals", f."flaggedCents", f."repId" IS NOT NULL AND a.id IS NULL AS from_figures
         FROM "User" u
         LEFT JOIN "RepFigures" f ON f."repId" = u.id
         LEFT JOIN opened_after a ON a.id = u.id
        WHERE ${inTeam}
     ), figures AS MATERIALIZED (
       SELECT * FROM owners WHERE from_figures
     ), live_deals AS MATERIALIZED (
       -- Counted from the deals only for owners the figures cannot answer for.
       SELECT r.team_id, o.id, round(o.amount * 100)::int8 AS cents
         FROM owners r JOIN "Opportunity" o ON o."ownerId" = r.id AND o.status = 'open' AND o."openedAt" <= $1
        WHERE NOT r.from_figures
     ), live_flagged AS MATERIALIZED (
       -- Their deals' current flags, in the order of the partial unique index on current deal flags.
       SELECT d.team_id, d.cents, fl.rules, fl.worst
         FROM live_deals d
         JOIN LATERAL (
           SELECT array_agg(f.rule) AS rules,
                  min(CASE f.severity WHEN 'stale' THEN 0 WHEN 'at_risk' THEN 1 WHEN 'nudge' THEN 2 ELSE 3 END) AS worst
             FROM "Flag" f
            WHERE f."opportunityId" = d.id AND f."endedAt" IS NULL
           HAVING count(*) > 0
         ) fl ON true
     ), judgements AS MATERIALIZED (
       -- Most deals have neither part: the partial index DealJudgement_waived_or_not_judged_idx holds the rest.
       SELECT j."waivedFlags", j."notJudged"
         FROM "DealJudgement" j JOIN "Opportunity" o ON o.id = j."opportunityId" JOIN "User" u ON u.id = o."ownerId"
        WHERE (j."waivedFlags" <> 0 OR j."notJudged" <> '[]'::jsonb) AND ${openInScopeSql("$1", teamParam)}
     )
     SELECT 'open' AS part, team_id, NULL AS label, NULL AS reason, sum(deals)::int8 AS count, sum(cents) AS cents
       FROM (SELECT team_id, "openDeals" AS deals, "openCents" AS cents FROM figures
             UNION ALL
             SELECT team_id, 1, cents FROM live_deals) open_deals
      GROUP BY team_id HAVING sum(deals) > 0
     UNION ALL
     SELECT 'rule', team_id, rule, NULL, sum(deals)::int8, sum(cents)
       FROM (SELECT r.team_id, (${FIGURES_RULES_SQL})[x.i] AS rule, x.deals, x.cents
               FROM figures r CROSS JOIN LATERAL unnest(r."ruleDeals", r."ruleCents") WITH ORDINALITY AS x(deals, cents, i)
             UNION ALL
             SELECT team_id, rule, 1, cents FROM live_flagged CROSS JOIN LATERAL unnest(rules) AS r(rule)) by_rule
      GROUP BY team_id, rule HAVING sum(deals) > 0
     UNION ALL
     -- Each flagged deal once, at its worst severity: what is flagged and neither stale, at risk nor nudge is a warning.
     SELECT 'worst', team_id, worst::text, NULL, sum(deals)::int8, sum(cents)
       FROM (SELECT r.team_id, w.worst, w.deals, w.cents
               FROM figures r
               CROSS JOIN LATERAL (VALUES
                 (0, r."staleDeals", r."staleCents"),
                 (1, r."atRiskWorstDeals", r."atRiskWorstCents"),
                 (2, r."nudgeWorstDeals", r."nudgeWorstCents"),
                 (3, r."flaggedDeals" - r."staleDeals" - r."atRiskWorstDeals" - r."nudgeWorstDeals",
                     r."flaggedCents" - r."staleCents" - r."atRiskWorstCents" - r."nudgeWorstCents")
               ) AS w(worst, deals, cents)
             UNION ALL
             SELECT team_id, worst, 1, cents FROM live_flagged) by_worst
      GROUP BY team_id, worst HAVING sum(deals) > 0
     UNION ALL
     SELECT 'waived', NULL, NULL, NULL, coalesce(sum(j."waivedFlags"), 0), NULL FROM judgements j
     UNION ALL
     SELECT 'not_judged', NULL, n.item ->> 'rule', n.item ->> 'reason', count(*), NULL
       FROM judgements j CROSS JOIN LATERAL jsonb_array_elements(j."notJudged") AS n(item)
      GROUP BY 3, 4`;
}
