-- RepFigures keeps running totals by opening day instead of per-day counts, so
-- the overview reads a few numbers per rep (binary search in SQL) instead of
-- every day; and new pipeline (any status) from the rep's last 30 days of
-- openings. newestOpenedAt now counts deals of any status.
ALTER TABLE "RepFigures" DROP COLUMN "openedDayCents",
DROP COLUMN "openedDayDeals",
DROP COLUMN "openedDays",
ADD COLUMN     "openCentsUpTo" BIGINT[] NOT NULL DEFAULT ARRAY[]::BIGINT[],
ADD COLUMN     "openDays" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "openDealsUpTo" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "recentCentsUpTo" BIGINT[] NOT NULL DEFAULT ARRAY[]::BIGINT[],
ADD COLUMN     "recentDays" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "recentDealsUpTo" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[];

-- Backfill, as lib/figures/mutations.ts refreshRepFigures writes them (frozen
-- here: a migration must not change with the code). The open deals by opening
-- day with running totals:
UPDATE "RepFigures" f
   SET "openDays" = d.days, "openDealsUpTo" = d.deals_up_to, "openCentsUpTo" = d.cents_up_to
  FROM (
    SELECT rep_id, array_agg(day ORDER BY day) AS days, array_agg(deals_up_to ORDER BY day) AS deals_up_to,
           array_agg(cents_up_to ORDER BY day) AS cents_up_to
      FROM (SELECT rep_id, day, sum(deals) OVER (PARTITION BY rep_id ORDER BY day)::int AS deals_up_to,
                   sum(cents) OVER (PARTITION BY rep_id ORDER BY day)::int8 AS cents_up_to
              FROM (SELECT o."ownerId" AS rep_id, floor(date_part('epoch', o."openedAt") / 86400)::int AS day,
                           count(*) AS deals, round(sum(o.amount) * 100)::int8 AS cents
                      FROM "Opportunity" o
                     WHERE o.status = 'open' AND o."openedAt" IS NOT NULL
                     GROUP BY 1, 2) per_day) running
     GROUP BY rep_id
  ) d
 WHERE d.rep_id = f."repId";

-- Deals of any status from the newest opening day back 30 days, and the newest opening.
UPDATE "RepFigures" f
   SET "newestOpenedAt" = n.newest_opened_at, "recentDays" = n.days, "recentDealsUpTo" = n.deals_up_to,
       "recentCentsUpTo" = n.cents_up_to
  FROM (
    SELECT rep_id, max(newest) AS newest_opened_at, array_agg(day ORDER BY day) AS days,
           array_agg(deals_up_to ORDER BY day) AS deals_up_to, array_agg(cents_up_to ORDER BY day) AS cents_up_to
      FROM (SELECT rep_id, day, newest, sum(deals) OVER (PARTITION BY rep_id ORDER BY day)::int AS deals_up_to,
                   sum(cents) OVER (PARTITION BY rep_id ORDER BY day)::int8 AS cents_up_to
              FROM (SELECT *, max(day) OVER (PARTITION BY rep_id) AS last_day
                      FROM (SELECT o."ownerId" AS rep_id, floor(date_part('epoch', o."openedAt") / 86400)::int AS day,
                                   count(*) AS deals, round(sum(o.amount) * 100)::int8 AS cents,
                                   max(o."openedAt") AS newest
                              FROM "Opportunity" o
                             WHERE o."openedAt" IS NOT NULL
                             GROUP BY 1, 2) per_day) days
             WHERE day >= last_day - 30) running
     GROUP BY rep_id
  ) n
 WHERE n.rep_id = f."repId";

-- Every writer rewrites whole rows, and PGlite never vacuums: leave room on each
-- page so an update can stay on its page (HOT, reclaimed when the page is next
-- read) instead of growing the table that every overview scans; and rewrite it
-- once now, without the dead rows the updates above and earlier writes left.
ALTER TABLE "RepFigures" SET (fillfactor = 50);
CLUSTER "RepFigures" USING "RepFigures_pkey";
