-- Each rep's flagged deals per deal rule and at the nudge worst severity, kept
-- on write with the other flag columns (lib/figures/mutations.ts), so a repeat
-- review's totals read one row per rep instead of every current flag
-- (lib/reviews/stored-totals.ts). The rule arrays follow FIGURES_RULES'
-- append-only order (lib/figures/rule-order.ts) as it stands here.
-- AlterTable
ALTER TABLE "RepFigures" ADD COLUMN     "nudgeWorstCents" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "ruleCents" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
ADD COLUMN     "ruleDeals" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- The existing rows counted from the current flags of open deals, as refreshRepFigures does.
WITH flagged AS (
  SELECT o."ownerId" AS rep_id, o.amount,
         array_agg(array_position(ARRAY['past-its-time', 'untouched', 'stuck-in-stage', 'close-date-slipping',
                                        'one-sided', 'follow-up-gap']::text[], f.rule)) AS rule_idx,
         bool_or(f.severity = 'stale') AS stale, bool_or(f.severity = 'at_risk') AS at_risk,
         bool_or(f.severity = 'nudge') AS nudge
    FROM "Flag" f JOIN "Opportunity" o ON o.id = f."opportunityId" AND o.status = 'open'
   WHERE f."endedAt" IS NULL
   GROUP BY o.id
), per_rule AS (
  SELECT rep_id, i, count(*)::int AS deals, round(sum(amount) * 100)::int8 AS cents
    FROM flagged CROSS JOIN LATERAL unnest(rule_idx) AS x(i) GROUP BY rep_id, i
), nudge_worst AS (
  SELECT rep_id, round(sum(amount) * 100)::int8 AS cents
    FROM flagged WHERE nudge AND NOT stale AND NOT at_risk GROUP BY rep_id
)
UPDATE "RepFigures" f
   SET "ruleDeals" = ARRAY(SELECT coalesce(r.deals, 0) FROM generate_series(1, 6) g(i)
                             LEFT JOIN per_rule r ON r.rep_id = f."repId" AND r.i = g.i ORDER BY g.i),
       "ruleCents" = ARRAY(SELECT coalesce(r.cents, 0) FROM generate_series(1, 6) g(i)
                             LEFT JOIN per_rule r ON r.rep_id = f."repId" AND r.i = g.i ORDER BY g.i),
       "nudgeWorstCents" = coalesce((SELECT n.cents FROM nudge_worst n WHERE n.rep_id = f."repId"), 0);
