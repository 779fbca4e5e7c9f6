-- Marks instead of a fingerprint (lib/reviews/incremental.ts). Every review
-- used to hash the deal, its owner and its stage for every open deal to find
-- the few whose facts moved. Now triggers mark a judgement when any of those
-- columns changes, whoever writes them (actions, imports, sync, scripts), as
-- the activities' and waivers' triggers already did, and the judgement keeps
-- the deal's team and stage so the context check needs no join.

ALTER TABLE "DealJudgement" ADD COLUMN "factsChanged" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "stageId" INTEGER,
ADD COLUMN "teamId" TEXT;

-- Judgements stored before: marked when their fingerprint no longer matches
-- the rows (the old test, once), so deploying re-judges only what moved.
UPDATE "DealJudgement" j
   SET "teamId" = u."teamId", "stageId" = o."stageId",
       "factsChanged" = j."factsKey" IS DISTINCT FROM hash_record_extended(ROW(o.status, o.name, o."ownerId",
         u."teamId", o."stageId", st.name, st."order", st."maxDaysInStage", o.amount, o.currency, o."openedAt",
         o."expectedCloseDate", o."lastActivityAt", o."lastBuyerActivityAt", o."lastSellerActivityAt",
         o."stageEnteredAt", o."lastForwardMoveAt", o."closeDatePushCount"), 0)::text
  FROM "Opportunity" o
  JOIN "User" u ON u.id = o."ownerId"
  JOIN "Stage" st ON st.id = o."stageId"
 WHERE o.id = j."opportunityId";
-- A judgement whose deal is gone: nothing to compare, forgotten.
DELETE FROM "DealJudgement" WHERE "stageId" IS NULL;

ALTER TABLE "DealJudgement" DROP COLUMN "factsKey",
ALTER COLUMN "stageId" SET NOT NULL;

-- The activities' and waivers' triggers (migration *_deal_judgement) mark the new column.
CREATE OR REPLACE FUNCTION deal_judgement_activities_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "DealJudgement") THEN
    UPDATE "DealJudgement" SET "factsChanged" = true
     WHERE "opportunityId" IN (SELECT "opportunityId" FROM added) AND NOT "factsChanged";
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION deal_judgement_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "DealJudgement" SET "factsChanged" = true WHERE "opportunityId" = OLD."opportunityId";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE "DealJudgement" SET "factsChanged" = true WHERE "opportunityId" = NEW."opportunityId";
  END IF;
  RETURN NULL;
END $$;

-- The deal: every column the review reads of it (lib/reviews/facts.ts, a
-- review of now). Once per statement over its transition tables — an import
-- updates 100,000 deals in one statement, and a call per row would cost
-- seconds — and nothing at all while no deal has been judged. A column added
-- to what the review reads must be added here (tests/integration/judgement-marks.test.ts
-- changes each one).
CREATE FUNCTION deal_judgement_deals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "DealJudgement") THEN
    UPDATE "DealJudgement" j SET "factsChanged" = true
      FROM before_rows b JOIN after_rows a ON a.id = b.id
     WHERE j."opportunityId" = b.id AND NOT j."factsChanged"
       AND (b.status, b.name, b."ownerId", b."stageId", b.amount, b.currency, b."openedAt",
            b."expectedCloseDate", b."lastActivityAt", b."lastBuyerActivityAt", b."lastSellerActivityAt",
            b."stageEnteredAt", b."lastForwardMoveAt", b."closeDatePushCount")
           IS DISTINCT FROM
           (a.status, a.name, a."ownerId", a."stageId", a.amount, a.currency, a."openedAt",
            a."expectedCloseDate", a."lastActivityAt", a."lastBuyerActivityAt", a."lastSellerActivityAt",
            a."stageEnteredAt", a."lastForwardMoveAt", a."closeDatePushCount");
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "Opportunity_marks_judgement_on_update" AFTER UPDATE ON "Opportunity"
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION deal_judgement_deals_changed();

-- An owner moving team: the judgements of all their deals (the review reads
-- the owner's team, and the judgement keeps it for the context check).
CREATE FUNCTION deal_judgement_owners_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "DealJudgement") THEN
    UPDATE "DealJudgement" j SET "factsChanged" = true
      FROM before_rows b JOIN after_rows a ON a.id = b.id
      JOIN "Opportunity" o ON o."ownerId" = b.id
     WHERE j."opportunityId" = o.id AND NOT j."factsChanged"
       AND b."teamId" IS DISTINCT FROM a."teamId";
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "User_marks_judgement_on_update" AFTER UPDATE ON "User"
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION deal_judgement_owners_moved();

-- A stage renamed, reordered or given another limit: the judgements of its
-- deals, found by the stage each judgement keeps (current while unmarked:
-- moving a deal to another stage marks it above).
CREATE FUNCTION deal_judgement_stages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "DealJudgement") THEN
    UPDATE "DealJudgement" j SET "factsChanged" = true
      FROM before_rows b JOIN after_rows a ON a.id = b.id
     WHERE j."stageId" = b.id AND NOT j."factsChanged"
       AND (b.name, b."order", b."maxDaysInStage") IS DISTINCT FROM (a.name, a."order", a."maxDaysInStage");
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "Stage_marks_judgement_on_update" AFTER UPDATE ON "Stage"
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION deal_judgement_stages_changed();

-- The plan's one read over deals: the open deals with no judgement yet. The
-- ids of open deals in order, with their opening date, against the
-- judgements' primary key: two narrow index-only scans, not the deals' rows.
-- (Partial, so not in schema.prisma.)
CREATE INDEX "Opportunity_open_id_idx" ON "Opportunity" (id) INCLUDE ("openedAt") WHERE status = 'open';
