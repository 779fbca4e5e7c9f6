-- No planner statistics for columns that are only ever displayed or summed,
-- never filtered, joined, grouped or sorted on, so ANALYZE (the table
-- maintenance after a review, lib/db/maintenance.ts) stops computing them for
-- no plan: Flag's metrics JSON alone was ~30% of ANALYZE "Flag" on the bench
-- organisation (its explanation ~3%); RepFigures' day arrays and
-- PipelineSnapshot's figures likewise. (Most of ANALYZE's remaining cost is
-- reading its sample, whatever the columns: see maintenance.ts.) Checked
-- against every query that reads them (maintenance.test.ts lists them):
--   Flag.metrics is compared only as an expression (flag-episodes.ts, whether
--   an episode's figures moved), which no column statistics estimate;
--   RepFigures' arrays are read by index inside the select list
--   (lib/figures/data.ts); PipelineSnapshot's figures are summed
--   (snapshot-trend.ts, week-totals.ts), rows found by user and week.
-- A database analyzed before keeps the statistics it had for them (ANALYZE
-- leaves a column it skips alone); a new one has none, and the planner guesses
-- their width. The re-import of 100,000 deals cost the same CPU time either
-- way (measured on the bench organisation, issue 13).
ALTER TABLE "Flag"
  ALTER COLUMN "explanation" SET STATISTICS 0,
  ALTER COLUMN "metrics" SET STATISTICS 0;

ALTER TABLE "RepFigures"
  ALTER COLUMN "openDays" SET STATISTICS 0,
  ALTER COLUMN "openDealsUpTo" SET STATISTICS 0,
  ALTER COLUMN "openCentsUpTo" SET STATISTICS 0,
  ALTER COLUMN "recentDays" SET STATISTICS 0,
  ALTER COLUMN "recentDealsUpTo" SET STATISTICS 0,
  ALTER COLUMN "recentCentsUpTo" SET STATISTICS 0;

ALTER TABLE "PipelineSnapshot"
  ALTER COLUMN "openCount" SET STATISTICS 0,
  ALTER COLUMN "openValue" SET STATISTICS 0,
  ALTER COLUMN "weightedValue" SET STATISTICS 0,
  ALTER COLUMN "staleCount" SET STATISTICS 0,
  ALTER COLUMN "staleValue" SET STATISTICS 0,
  ALTER COLUMN "newPipelineValue" SET STATISTICS 0,
  ALTER COLUMN "wonValue" SET STATISTICS 0;
