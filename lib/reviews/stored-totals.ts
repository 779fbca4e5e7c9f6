// A review's totals from what is stored, not from an in-memory verdict of
// every deal: an incremental review judges a few deals, so the open deals and
// their amounts come from Opportunity, the flagged ones from the current Flag
// rows (which the review has just brought up to date), the waived flags and
// not-judged reasons from the judgement state (judgements.ts). The same
// figures as summarise() over a full evaluation — the incremental-review test
// compares the two after every step.
import type { Query } from "@/lib/db/bulk-sql";
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
  // Flagged deals count once, at their worst severity (stale before at risk before nudge).
  const rows = await query<Row>(
    `WITH deals AS MATERIALIZED (
       SELECT o.id, u."teamId" AS team_id, round(o.amount * 100)::int8 AS cents
         FROM "Opportunity" o JOIN "User" u ON u.id = o."ownerId"
        WHERE ${openInScopeSql("$1", input.teamId ? "$2" : null)}
     ), judgements AS MATERIALIZED (
       -- One pass over the judgement state for both of its parts; most deals have neither.
       SELECT j."waivedFlags", j."notJudged" FROM "DealJudgement" j JOIN deals d ON d.id = j."opportunityId"
        WHERE j."waivedFlags" <> 0 OR j."notJudged" <> '[]'::jsonb
     ), flags AS MATERIALIZED (
       SELECT d.id, d.team_id, d.cents, f.rule,
              CASE f.severity WHEN 'stale' THEN 0 WHEN 'at_risk' THEN 1 WHEN 'nudge' THEN 2 ELSE 3 END AS rank
         FROM "Flag" f JOIN deals d ON d.id = f."opportunityId"
        WHERE f."endedAt" IS NULL
     )
     SELECT 'open' AS part, team_id, NULL AS label, NULL AS reason, count(*) AS count, sum(cents) AS cents
       FROM deals GROUP BY team_id
     UNION ALL
     SELECT 'rule', team_id, rule, NULL, count(*), sum(cents) FROM flags GROUP BY team_id, rule
     UNION ALL
     SELECT 'worst', team_id, worst::text, NULL, count(*), sum(cents)
       FROM (SELECT id, team_id, cents, min(rank) AS worst FROM flags GROUP BY id, team_id, cents) deal
      GROUP BY team_id, worst
     UNION ALL
     SELECT 'waived', NULL, NULL, NULL, coalesce(sum(j."waivedFlags"), 0), NULL FROM judgements j
     UNION ALL
     SELECT 'not_judged', NULL, n.item ->> 'rule', n.item ->> 'reason', count(*), NULL
       FROM judgements j CROSS JOIN LATERAL jsonb_array_elements(j."notJudged") AS n(item)
      GROUP BY 3, 4`,
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
