-- AlterTable
ALTER TABLE "User" ADD COLUMN     "startDate" DATE;

-- AlterTable
ALTER TABLE "Flag" ADD COLUMN     "endedAt" TIMESTAMPTZ(3),
ADD COLUMN     "startedAt" TIMESTAMPTZ(3);

-- Existing flags: each review's flag is, for now, its own episode — from the
-- review's as-of to when it stopped being current (lib/flags/current-flags.ts
-- flagEndedAt: the earlier of its own and its review's supersededAt).
UPDATE "Flag" f SET
  "startedAt" = f."asOf",
  "endedAt" = CASE
    WHEN f."supersededAt" IS NULL THEN r."supersededAt"
    WHEN r."supersededAt" IS NULL THEN f."supersededAt"
    ELSE LEAST(f."supersededAt", r."supersededAt") END
FROM "Flag" f2 LEFT JOIN "Review" r ON r.id = f2."reviewId"
WHERE f2.id = f.id;
