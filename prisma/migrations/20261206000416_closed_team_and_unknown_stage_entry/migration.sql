-- Issue 17: won deals count for the team that won them, and a stage entry no
-- history gives is unknown (null), never the deal's openedAt.

-- AlterTable
ALTER TABLE "Opportunity" ADD COLUMN     "closedTeamId" TEXT,
ALTER COLUMN "stageEnteredAt" DROP NOT NULL;

-- Deals closed before this migration: the owner's team now is the best
-- record there is of the team that closed them.
UPDATE "Opportunity" o SET "closedTeamId" = u."teamId"
  FROM "User" u
 WHERE u.id = o."ownerId" AND o.status IN ('won', 'lost');

-- Open deals whose stage entry no stage change records were given openedAt
-- by the import and the rollups: that date was invented.
UPDATE "Opportunity" o SET "stageEnteredAt" = NULL
 WHERE o.status = 'open'
   AND NOT EXISTS (SELECT 1 FROM "StageChange" s
                    WHERE s."opportunityId" = o.id AND s."toStageId" = o."stageId"
                      AND s."toStatus" = o.status AND s.at >= o."openedAt");

-- The team that closed a deal is recorded when it closes, by whichever writer
-- closes it (the actions, the CSV import, a CRM sync, the demo generator), so
-- no writer can forget it. Reopening clears it. A writer that sets the column
-- itself on the closing write is trusted.
CREATE FUNCTION "opportunity_closed_team"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status NOT IN ('won', 'lost') THEN
    NEW."closedTeamId" := NULL;
  ELSIF TG_OP = 'INSERT' THEN
    IF NEW."closedTeamId" IS NULL THEN
      SELECT u."teamId" INTO NEW."closedTeamId" FROM "User" u WHERE u.id = NEW."ownerId";
    END IF;
  ELSIF OLD.status NOT IN ('won', 'lost')
        AND NEW."closedTeamId" IS NOT DISTINCT FROM OLD."closedTeamId" THEN
    SELECT u."teamId" INTO NEW."closedTeamId" FROM "User" u WHERE u.id = NEW."ownerId";
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "opportunity_closed_team"
  BEFORE INSERT OR UPDATE OF status, "closedTeamId" ON "Opportunity"
  FOR EACH ROW EXECUTE FUNCTION "opportunity_closed_team"();
