-- CreateTable
CREATE TABLE "RepFigures" (
    "repId" TEXT NOT NULL,
    "openDeals" INTEGER NOT NULL DEFAULT 0,
    "openCents" BIGINT NOT NULL DEFAULT 0,
    "weightedCents" BIGINT NOT NULL DEFAULT 0,
    "staleDeals" INTEGER NOT NULL DEFAULT 0,
    "staleCents" BIGINT NOT NULL DEFAULT 0,
    "atRiskDeals" INTEGER NOT NULL DEFAULT 0,
    "atRiskCents" BIGINT NOT NULL DEFAULT 0,
    "nudgeDeals" INTEGER NOT NULL DEFAULT 0,
    "nudgeCents" BIGINT NOT NULL DEFAULT 0,
    "atRiskWorstDeals" INTEGER NOT NULL DEFAULT 0,
    "atRiskWorstCents" BIGINT NOT NULL DEFAULT 0,
    "nudgeWorstDeals" INTEGER NOT NULL DEFAULT 0,
    "flaggedDeals" INTEGER NOT NULL DEFAULT 0,
    "flaggedCents" BIGINT NOT NULL DEFAULT 0,
    "oldestOpenedAt" TIMESTAMPTZ(3),
    "newestOpenedAt" TIMESTAMPTZ(3),
    "lastActivityAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RepFigures_pkey" PRIMARY KEY ("repId")
);

-- AddForeignKey
ALTER TABLE "RepFigures" ADD CONSTRAINT "RepFigures_repId_fkey" FOREIGN KEY ("repId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Backfill: every person's figures from the open deals and current flags as they are now
-- (the same statement as lib/figures/mutations.ts refreshRepFigures(…, "everyone")).
WITH reps AS (SELECT u.id FROM "User" u),
     deals AS (
       SELECT o."ownerId" AS rep_id, o.amount, st.probability, o."openedAt", o."lastActivityAt",
              coalesce(fl.stale, false) AS stale, coalesce(fl.at_risk, false) AS at_risk,
              coalesce(fl.nudge, false) AS nudge, fl.flagged IS NOT NULL AS flagged
         FROM reps r
         JOIN "Opportunity" o ON o."ownerId" = r.id AND o.status = 'open'
         JOIN "Stage" st ON st.id = o."stageId"
         LEFT JOIN LATERAL (
           SELECT bool_or(f.severity = 'stale') AS stale, bool_or(f.severity = 'at_risk') AS at_risk,
                  bool_or(f.severity = 'nudge') AS nudge, true AS flagged
             FROM "Flag" f
            WHERE f."opportunityId" = o.id AND (f."endedAt" IS NULL)
           HAVING count(*) > 0
         ) fl ON true
     ),
     sums AS (
       SELECT rep_id,
              count(*)::int AS open_deals,
              round(sum(amount) * 100)::int8 AS open_cents,
              round(sum(amount * probability))::int8 AS weighted_cents,
              count(*) FILTER (WHERE stale)::int AS stale_deals,
              coalesce(round(sum(amount) FILTER (WHERE stale) * 100), 0)::int8 AS stale_cents,
              count(*) FILTER (WHERE at_risk)::int AS at_risk_deals,
              coalesce(round(sum(amount) FILTER (WHERE at_risk) * 100), 0)::int8 AS at_risk_cents,
              count(*) FILTER (WHERE nudge)::int AS nudge_deals,
              coalesce(round(sum(amount) FILTER (WHERE nudge) * 100), 0)::int8 AS nudge_cents,
              count(*) FILTER (WHERE at_risk AND NOT stale)::int AS at_risk_worst_deals,
              coalesce(round(sum(amount) FILTER (WHERE at_risk AND NOT stale) * 100), 0)::int8 AS at_risk_worst_cents,
              count(*) FILTER (WHERE nudge AND NOT stale AND NOT at_risk)::int AS nudge_worst_deals,
              count(*) FILTER (WHERE flagged)::int AS flagged_deals,
              coalesce(round(sum(amount) FILTER (WHERE flagged) * 100), 0)::int8 AS flagged_cents,
              min("openedAt") AS oldest_opened_at,
              max("openedAt") AS newest_opened_at,
              max("lastActivityAt") AS last_activity_at
         FROM deals
        GROUP BY rep_id
     )
     INSERT INTO "RepFigures" ("repId", "openDeals", "openCents", "weightedCents", "staleDeals", "staleCents",
            "atRiskDeals", "atRiskCents", "nudgeDeals", "nudgeCents", "atRiskWorstDeals", "atRiskWorstCents",
            "nudgeWorstDeals", "flaggedDeals", "flaggedCents", "oldestOpenedAt", "newestOpenedAt", "lastActivityAt",
            "updatedAt")
     SELECT r.id, coalesce(s.open_deals, 0), coalesce(s.open_cents, 0), coalesce(s.weighted_cents, 0),
            coalesce(s.stale_deals, 0), coalesce(s.stale_cents, 0), coalesce(s.at_risk_deals, 0),
            coalesce(s.at_risk_cents, 0), coalesce(s.nudge_deals, 0), coalesce(s.nudge_cents, 0),
            coalesce(s.at_risk_worst_deals, 0), coalesce(s.at_risk_worst_cents, 0), coalesce(s.nudge_worst_deals, 0),
            coalesce(s.flagged_deals, 0), coalesce(s.flagged_cents, 0),
            s.oldest_opened_at, s.newest_opened_at, s.last_activity_at, now()
       FROM reps r LEFT JOIN sums s ON s.rep_id = r.id
     ON CONFLICT ("repId") DO UPDATE SET
            "openDeals" = EXCLUDED."openDeals", "openCents" = EXCLUDED."openCents",
            "weightedCents" = EXCLUDED."weightedCents", "staleDeals" = EXCLUDED."staleDeals",
            "staleCents" = EXCLUDED."staleCents", "atRiskDeals" = EXCLUDED."atRiskDeals",
            "atRiskCents" = EXCLUDED."atRiskCents", "nudgeDeals" = EXCLUDED."nudgeDeals",
            "nudgeCents" = EXCLUDED."nudgeCents", "atRiskWorstDeals" = EXCLUDED."atRiskWorstDeals",
            "atRiskWorstCents" = EXCLUDED."atRiskWorstCents", "nudgeWorstDeals" = EXCLUDED."nudgeWorstDeals",
            "flaggedDeals" = EXCLUDED."flaggedDeals", "flaggedCents" = EXCLUDED."flaggedCents",
            "oldestOpenedAt" = EXCLUDED."oldestOpenedAt", "newestOpenedAt" = EXCLUDED."newestOpenedAt",
            "lastActivityAt" = EXCLUDED."lastActivityAt", "updatedAt" = EXCLUDED."updatedAt";
