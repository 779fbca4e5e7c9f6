-- A change committed while a review runs must not be lost (PostgreSQL
-- server; PGlite runs one transaction at a time). The review reads a deal's
-- facts, then stores its judgement unmarked (lib/reviews/judgements.ts). A
-- writer committing between the two used to lose its mark: the review's write
-- cleared a mark it had not seen, and a deal not judged before had no
-- judgement to mark yet. So the triggers that mark take the flag writers' lock
-- (lib/flags/current-flags.ts, FLAG_WRITERS_LOCK) shared before anything else:
-- such a writer waits for a running review to commit, then marks the
-- judgement the review stored. A review waits for such writers in turn, so it
-- never reads a change that is not committed yet. Actions and imports took
-- the lock already to re-evaluate their deals; now they hold it from their
-- first change of what a review reads. Shared, so writers never wait for each
-- other, only for a review.
--
-- Taken before the check for any judgement at all: during an organisation's
-- first review the table is empty until the review commits. Only where
-- something the review reads changed for the people and stages (their rows
-- change for other reasons: roles, sign-ins, probabilities).

CREATE OR REPLACE FUNCTION deal_judgement_activities_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(4211306);
  IF EXISTS (SELECT 1 FROM "DealJudgement") THEN
    UPDATE "DealJudgement" SET "factsChanged" = true
     WHERE "opportunityId" IN (SELECT "opportunityId" FROM added) AND NOT "factsChanged";
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION deal_judgement_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(4211306);
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "DealJudgement" SET "factsChanged" = true WHERE "opportunityId" = OLD."opportunityId";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE "DealJudgement" SET "factsChanged" = true WHERE "opportunityId" = NEW."opportunityId";
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION deal_judgement_deals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(4211306);
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

CREATE OR REPLACE FUNCTION deal_judgement_owners_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM before_rows b JOIN after_rows a ON a.id = b.id
              WHERE b."teamId" IS DISTINCT FROM a."teamId") THEN
    PERFORM pg_advisory_xact_lock_shared(4211306);
    UPDATE "DealJudgement" j SET "factsChanged" = true
      FROM before_rows b JOIN after_rows a ON a.id = b.id
      JOIN "Opportunity" o ON o."ownerId" = b.id
     WHERE j."opportunityId" = o.id AND NOT j."factsChanged"
       AND b."teamId" IS DISTINCT FROM a."teamId";
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION deal_judgement_stages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM before_rows b JOIN after_rows a ON a.id = b.id
              WHERE (b.name, b."order", b."maxDaysInStage") IS DISTINCT FROM (a.name, a."order", a."maxDaysInStage")) THEN
    PERFORM pg_advisory_xact_lock_shared(4211306);
    UPDATE "DealJudgement" j SET "factsChanged" = true
      FROM before_rows b JOIN after_rows a ON a.id = b.id
     WHERE j."stageId" = b.id AND NOT j."factsChanged"
       AND (b.name, b."order", b."maxDaysInStage") IS DISTINCT FROM (a.name, a."order", a."maxDaysInStage");
  END IF;
  RETURN NULL;
END $$;
