-- CreateTable
CREATE TABLE "DealJudgement" (
    "opportunityId" INTEGER NOT NULL,
    "judgedAsOf" TIMESTAMPTZ(3) NOT NULL,
    "recheckAt" TIMESTAMPTZ(3),
    "contextKey" TEXT NOT NULL,
    "factsKey" TEXT NOT NULL,
    "waivedFlags" INTEGER NOT NULL DEFAULT 0,
    "notJudged" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "DealJudgement_pkey" PRIMARY KEY ("opportunityId")
);


-- Facts a review reads that the judgement's fingerprint (factsKey) does not
-- hold: a deal's activities (counts in the one-sided window, a back-dated one
-- leaves the rollups as they were) and its waivers. Whoever writes them
-- (actions, imports, sync, scripts), these triggers mark the deal's judgement
-- changed, so the next review judges it again (lib/reviews/incremental.ts).

-- New activities: once per statement over the rows it inserted (an import adds
-- millions; a function call per row would cost seconds), and nothing at all
-- while no deal has been judged yet.
CREATE FUNCTION deal_judgement_activities_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "DealJudgement") THEN
    UPDATE "DealJudgement" SET "factsKey" = 'changed'
     WHERE "opportunityId" IN (SELECT "opportunityId" FROM added) AND "factsKey" <> 'changed';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Activity_marks_judgement_on_insert" AFTER INSERT ON "Activity"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION deal_judgement_activities_added();

-- A changed or removed activity (rare; a re-import rewrites rows it already
-- had, so the row-level WHEN skips the ones that did not move).
CREATE FUNCTION deal_judgement_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "DealJudgement" SET "factsKey" = 'changed' WHERE "opportunityId" = OLD."opportunityId";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE "DealJudgement" SET "factsKey" = 'changed' WHERE "opportunityId" = NEW."opportunityId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Activity_marks_judgement_on_update" AFTER UPDATE ON "Activity" FOR EACH ROW
  WHEN ((OLD."opportunityId", OLD.side, OLD.at) IS DISTINCT FROM (NEW."opportunityId", NEW.side, NEW.at))
  EXECUTE FUNCTION deal_judgement_row_changed();
CREATE TRIGGER "Activity_marks_judgement_on_delete" AFTER DELETE ON "Activity" FOR EACH ROW
  EXECUTE FUNCTION deal_judgement_row_changed();

-- Waivers are few: a row-level trigger for every change.
CREATE TRIGGER "Waiver_marks_judgement" AFTER INSERT OR UPDATE OR DELETE ON "Waiver" FOR EACH ROW
  EXECUTE FUNCTION deal_judgement_row_changed();

-- A judgement vouches for the deal's current flags: flags removed behind the
-- writers' back (a script emptying the table, a test) take the judgements with them.
CREATE FUNCTION deal_judgement_flags_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "DealJudgement";
  RETURN NULL;
END $$;
CREATE TRIGGER "Flag_truncate_forgets_judgements" AFTER TRUNCATE ON "Flag" FOR EACH STATEMENT
  EXECUTE FUNCTION deal_judgement_flags_truncated();

CREATE FUNCTION deal_judgement_flag_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "DealJudgement" WHERE "opportunityId" = OLD."opportunityId";
  RETURN NULL;
END $$;
CREATE TRIGGER "Flag_delete_forgets_judgement" AFTER DELETE ON "Flag" FOR EACH ROW
  WHEN (OLD."opportunityId" IS NOT NULL) EXECUTE FUNCTION deal_judgement_flag_deleted();
