-- What each judgement's verdict depends on of its yardsticks (lib/rules/recheck.ts,
-- YardsticksRead): the cycle and stage median it cites, or the least limit that
-- keeps it clear until its recheck instant. Null means "none", so judgements
-- stored before these columns would wrongly read as depending on nothing: their
-- context key is voided instead, and the next review judges those deals again
-- (for "context") and stores what they read.
ALTER TABLE "DealJudgement" ADD COLUMN     "ageLimitNeeded" INTEGER,
ADD COLUMN     "cycleCited" TEXT,
ADD COLUMN     "stageLimitNeeded" INTEGER,
ADD COLUMN     "stageMedianCited" TEXT;

UPDATE "DealJudgement" SET "contextKey" = 'stored before yardsticks were read';
