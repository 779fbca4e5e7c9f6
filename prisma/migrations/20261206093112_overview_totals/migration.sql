-- AlterTable
ALTER TABLE "RepFigures" ADD COLUMN     "openedDayCents" BIGINT[] NOT NULL DEFAULT ARRAY[]::BIGINT[],
ADD COLUMN     "openedDayDeals" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "openedDays" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[];

-- CreateTable
CREATE TABLE "TeamWeekTotals" (
    "teamKey" TEXT NOT NULL,
    "weekStart" DATE NOT NULL,
    "snapshots" INTEGER NOT NULL,
    "openCents" BIGINT NOT NULL,
    "staleCents" BIGINT NOT NULL,
    "newPipelineCents" BIGINT NOT NULL,
    "wonCents" BIGINT NOT NULL,

    CONSTRAINT "TeamWeekTotals_pkey" PRIMARY KEY ("teamKey","weekStart")
);

-- CreateIndex
CREATE INDEX "TeamWeekTotals_weekStart_idx" ON "TeamWeekTotals"("weekStart");


-- Backfill: each person's open deals per opening day (UTC day number), as
-- lib/figures/mutations.ts refreshRepFigures writes them.
UPDATE "RepFigures" f
   SET "openedDays" = d.days, "openedDayDeals" = d.deals, "openedDayCents" = d.cents
  FROM (
    SELECT rep_id, array_agg(opened_day ORDER BY opened_day) AS days, array_agg(deals ORDER BY opened_day) AS deals,
           array_agg(cents ORDER BY opened_day) AS cents
      FROM (SELECT o."ownerId" AS rep_id, floor(date_part('epoch', o."openedAt") / 86400)::int AS opened_day,
                   count(*)::int AS deals, round(sum(o.amount) * 100)::int8 AS cents
              FROM "Opportunity" o
             WHERE o.status = 'open' AND o."openedAt" IS NOT NULL
             GROUP BY 1, 2) per_day
     GROUP BY rep_id
  ) d
 WHERE d.rep_id = f."repId";

-- Backfill: every week's team totals from the stored snapshots (the statement of
-- lib/figures/week-totals.ts refreshWeekTotals(…, "every week")).
WITH weeks AS (
       SELECT DISTINCT "weekStart" AS week FROM "PipelineSnapshot"
     ),
     latest AS (
       SELECT DISTINCT ON (w.week, p."userId") w.week, p."userId", p."weekStart", p."openValue", p."staleValue",
              p."newPipelineValue", p."wonValue"
         FROM weeks w
         JOIN "PipelineSnapshot" p ON p."weekStart" <= w.week AND p."weekStart" > w.week - 56
        ORDER BY w.week, p."userId", p."weekStart" DESC
     )
     INSERT INTO "TeamWeekTotals" ("teamKey", "weekStart", snapshots, "openCents", "staleCents", "newPipelineCents",
                                   "wonCents")
     SELECT coalesce(u."teamId", ''), l.week,
            count(*) FILTER (WHERE l."weekStart" = l.week)::int,
            round(sum(l."openValue") * 100)::int8,
            round(sum(l."staleValue") * 100)::int8,
            coalesce(round(sum(l."newPipelineValue") FILTER (WHERE l."weekStart" = l.week) * 100), 0)::int8,
            coalesce(round(sum(l."wonValue") FILTER (WHERE l."weekStart" = l.week) * 100), 0)::int8
       FROM latest l JOIN "User" u ON u.id = l."userId"
      GROUP BY 1, 2;
