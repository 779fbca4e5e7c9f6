-- Rep flags (no new pipeline) and team flags (sales trap) are few; deal flags
-- are many and have NULL userId and teamId. Index only the rows that have one:
-- every review writes a flag per finding, and full indexes of NULLs made each
-- write slower for nothing. Queries filter on "userId" = … or "teamId" = …,
-- which PostgreSQL knows implies IS NOT NULL, so they use these indexes.
-- Written by hand: Prisma's schema cannot express a partial index (see the
-- comment on model Flag).
DROP INDEX "Flag_userId_supersededAt_idx";
DROP INDEX "Flag_teamId_supersededAt_idx";
CREATE INDEX "Flag_userId_supersededAt_idx" ON "Flag"("userId", "supersededAt") WHERE "userId" IS NOT NULL;
CREATE INDEX "Flag_teamId_supersededAt_idx" ON "Flag"("teamId", "supersededAt") WHERE "teamId" IS NOT NULL;
