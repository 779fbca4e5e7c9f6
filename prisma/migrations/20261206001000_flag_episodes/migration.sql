-- Flags become episodes (SPEC "Keeping verdicts current"): one row from the
-- review or re-evaluation that first found a verdict until the one that
-- cleared it, instead of one row per review. Until now every review wrote
-- every flag again and marked the earlier ones superseded; this migration
-- folds each run of such rows into one episode and drops the supersession
-- columns ("current" is now just "endedAt" IS NULL).

-- 1. Consolidate. Two rows of the same subject and rule are one episode when
--    the later one was written by the very run that ended the earlier one:
--    its "createdAt" (the run's clock) equals the earlier row's "endedAt"
--    (backfilled from that run's supersession time by the previous
--    migration). Anything else — a gap, a run that did not find it again —
--    starts a new episode. The episode keeps its last row (latest severity,
--    explanation and metrics, and its end) with the first row's start and
--    review.
CREATE TEMP TABLE flag_chain ON COMMIT DROP AS
SELECT id, subject, rule, "startedAt", "reviewId", "createdAt",
       sum(CASE WHEN previous_end IS NOT NULL AND previous_end = "createdAt" THEN 0 ELSE 1 END)
         OVER (PARTITION BY subject, rule ORDER BY "createdAt", id) AS episode
  FROM (SELECT f.id, f.rule, f."startedAt", f."reviewId", f."createdAt",
               coalesce('deal:' || f."opportunityId", 'rep:' || f."userId", 'team:' || f."teamId") AS subject,
               lag(f."endedAt") OVER (
                 PARTITION BY coalesce('deal:' || f."opportunityId", 'rep:' || f."userId", 'team:' || f."teamId"), f.rule
                 ORDER BY f."createdAt", f.id) AS previous_end
          FROM "Flag" f) ordered;

CREATE TEMP TABLE flag_episode ON COMMIT DROP AS
SELECT (array_agg(id ORDER BY "createdAt" DESC, id DESC))[1] AS keep_id,
       (array_agg("startedAt" ORDER BY "createdAt", id))[1] AS started_at,
       (array_agg("reviewId" ORDER BY "createdAt", id))[1] AS review_id
  FROM flag_chain
 GROUP BY subject, rule, episode;

UPDATE "Flag" f SET "startedAt" = e.started_at, "reviewId" = e.review_id
  FROM flag_episode e WHERE f.id = e.keep_id;
DELETE FROM "Flag" f WHERE NOT EXISTS (SELECT 1 FROM flag_episode e WHERE e.keep_id = f.id);

-- 2. At most one current episode per subject and rule (two reviews racing
--    before the flag writers' lock existed could leave two): the older ends
--    where the newer started.
UPDATE "Flag" f SET "endedAt" = greatest(f."startedAt", newer."startedAt")
  FROM "Flag" newer
 WHERE f."endedAt" IS NULL AND newer."endedAt" IS NULL AND newer.id > f.id AND newer.rule = f.rule
   AND coalesce('deal:' || newer."opportunityId", 'rep:' || newer."userId", 'team:' || newer."teamId")
     = coalesce('deal:' || f."opportunityId", 'rep:' || f."userId", 'team:' || f."teamId");

-- 3. The supersession machinery goes (its indexes go with the columns).
DROP INDEX IF EXISTS "Flag_reevaluated_current_idx";
ALTER TABLE "Review" DROP COLUMN "flagsAfterId",
DROP COLUMN "supersededAt";
ALTER TABLE "Flag" DROP COLUMN "supersededAt",
ALTER COLUMN "startedAt" SET NOT NULL;

-- 4. Current episodes, one per subject and rule: unique partial indexes
--    (written by hand, Prisma cannot express them) that a review's diff and
--    every read of current flags use. History rows are not in them.
CREATE UNIQUE INDEX "Flag_current_deal_key" ON "Flag"("opportunityId", rule)
  WHERE "endedAt" IS NULL AND "opportunityId" IS NOT NULL;
CREATE UNIQUE INDEX "Flag_current_rep_key" ON "Flag"("userId", rule)
  WHERE "endedAt" IS NULL AND "userId" IS NOT NULL;
CREATE UNIQUE INDEX "Flag_current_team_key" ON "Flag"("teamId", rule)
  WHERE "endedAt" IS NULL AND "teamId" IS NOT NULL;
