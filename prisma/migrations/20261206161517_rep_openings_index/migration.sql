-- Each rep's openings in date order (lib/reviews/facts.ts). The rep rule's
-- first and last opening per rep become two index look-ups instead of a pass
-- over every opportunity. status, closedAt and amount ride along (INCLUDE,
-- which Prisma's schema cannot express) so the sales-trap sums read the index
-- alone, about a thirteenth of the table's pages, instead of the table.
-- CreateIndex
CREATE INDEX "Opportunity_ownerId_openedAt_idx" ON "Opportunity"("ownerId", "openedAt") INCLUDE ("status", "closedAt", "amount");
