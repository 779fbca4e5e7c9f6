-- CreateIndex
CREATE INDEX "Opportunity_status_closedAt_idx" ON "Opportunity"("status", "closedAt");

