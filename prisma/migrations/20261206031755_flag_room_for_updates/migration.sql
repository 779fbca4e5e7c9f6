-- A review updates a current episode in place whenever its explanation or
-- numbers moved (most do every day: "open 212 days" becomes "open 213 days").
-- None of the updated columns is indexed, so PostgreSQL can update the row
-- within its page (a HOT update: no index entry written, the old version
-- pruned on the next visit) — if the page has room. Half-filled pages leave
-- that room; without it every daily update wrote new index entries and, on
-- PGlite, which never vacuums, grew the table by a copy of every flag a day.
-- Applies to pages written from now on. (Prisma's schema has no word for
-- fillfactor; later migration diffs leave it alone.)
ALTER TABLE "Flag" SET (fillfactor = 50);
