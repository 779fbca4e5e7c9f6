-- A prospect whose source gave no opened date is stored with none ("date
-- unknown", SPEC: a date the source does not give is never invented). Open,
-- won and lost deals always have one: the rules count their age and cycle
-- from it.
ALTER TABLE "Opportunity" ALTER COLUMN "openedAt" DROP NOT NULL;

ALTER TABLE "Opportunity" ADD CONSTRAINT "Opportunity_openedAt_unless_prospect"
  CHECK ("openedAt" IS NOT NULL OR status = 'prospect');
