-- A review replaces the review before it as a whole (Review."supersededAt")
-- instead of setting "supersededAt" on each of its flags: that UPDATE took
-- 2.6 s for 100,000 flags on PGlite and rewrote every row. Flags are still
-- superseded one by one when a single deal is re-evaluated or a team review
-- covers part of an organisation review (see model Flag and
-- lib/flags/current-flags.ts).
ALTER TABLE "Review" ADD COLUMN "supersededAt" TIMESTAMPTZ(3);

-- Flags that stay in the table as history would slow every read of a deal's
-- current flags as reviews accumulate (a year of weekly reviews: 52 per
-- deal). An organisation review supersedes everything before it, so its
-- current flags are all newer than the flags it found: the review records
-- the Flag id sequence before writing ("flagsAfterId"), and reads look only
-- above it in the (opportunityId, id) index.
ALTER TABLE "Review" ADD COLUMN "flagsAfterId" INTEGER;
UPDATE "Review" r SET "flagsAfterId" = (SELECT min(f.id) - 1 FROM "Flag" f WHERE f."reviewId" = r.id);
DROP INDEX "Flag_opportunityId_supersededAt_idx";
CREATE INDEX "Flag_opportunityId_id_idx" ON "Flag"("opportunityId", "id");

-- Reviews whose flags were all superseded already (the old way) are
-- superseded as a whole, at the time their last flag was. A review that still
-- has a current flag stays current; its superseded flags keep their own time.
UPDATE "Review" r
   SET "supersededAt" = (SELECT max(f."supersededAt") FROM "Flag" f WHERE f."reviewId" = r.id)
 WHERE EXISTS (SELECT 1 FROM "Flag" f WHERE f."reviewId" = r.id)
   AND NOT EXISTS (SELECT 1 FROM "Flag" f WHERE f."reviewId" = r.id AND f."supersededAt" IS NULL);

-- Flags written by re-evaluations (no review) that are still current: an
-- organisation review supersedes these one by one, and they are few. The
-- review index leaves out flags without a review, so that PostgreSQL cannot
-- answer "reviewId IS NULL" from it by walking every re-evaluation flag ever
-- written (PGlite has no autovacuum, so it often plans without statistics).
CREATE INDEX "Flag_reevaluated_current_idx" ON "Flag"("opportunityId")
  WHERE "reviewId" IS NULL AND "supersededAt" IS NULL;
DROP INDEX "Flag_reviewId_idx";
CREATE INDEX "Flag_reviewId_idx" ON "Flag"("reviewId") WHERE "reviewId" IS NOT NULL;

-- The foreign-key checks on every inserted flag cost ~4 s of a 100,000-flag
-- review on PGlite (a look-up and a row lock on the deal and on the review
-- per flag). Flags are written only by the rules engine, from ids it read in
-- the same transaction, and deals and reviews are never deleted.
ALTER TABLE "Flag" DROP CONSTRAINT "Flag_opportunityId_fkey";
ALTER TABLE "Flag" DROP CONSTRAINT "Flag_reviewId_fkey";
