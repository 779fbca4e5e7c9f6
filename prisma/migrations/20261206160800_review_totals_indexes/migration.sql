-- Two small partial indexes for what a review stores after it has judged
-- (lib/reviews/stored-totals.ts, lib/reviews/snapshots.ts), so neither reads
-- every row of its table: the deals with a current stale flag (the snapshots'
-- stale deals; ~14% of current deal flags), and the judgement state rows that
-- hold waived flags or not-judged reasons (most rows hold neither).
-- Written by hand: Prisma cannot express partial indexes (see schema.prisma).
CREATE INDEX "Flag_current_stale_deal_idx" ON "Flag"("opportunityId")
  WHERE "endedAt" IS NULL AND severity = 'stale' AND "opportunityId" IS NOT NULL;
CREATE INDEX "DealJudgement_waived_or_not_judged_idx" ON "DealJudgement"("opportunityId")
  WHERE "waivedFlags" <> 0 OR "notJudged" <> '[]'::jsonb;
