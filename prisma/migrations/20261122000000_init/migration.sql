-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'manager', 'rep');

-- CreateEnum
CREATE TYPE "DealStatus" AS ENUM ('open', 'prospect', 'won', 'lost');

-- CreateEnum
CREATE TYPE "StageDirection" AS ENUM ('created', 'forward', 'back', 'won', 'lost', 'to_prospect', 'reopened');

-- CreateEnum
CREATE TYPE "ActivityType" AS ENUM ('call', 'email', 'meeting', 'note', 'task', 'other');

-- CreateEnum
CREATE TYPE "ActivitySide" AS ENUM ('buyer', 'seller');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('stale', 'at_risk', 'nudge', 'warning');

-- CreateEnum
CREATE TYPE "DecisionAction" AS ENUM ('move_back', 'return_to_prospecting', 'remove', 'keep_with_waiver', 'waiting_on_buyer', 'reopen');

-- CreateEnum
CREATE TYPE "WaiverKind" AS ENUM ('waiting_on_buyer', 'manager_keep');

-- CreateTable
CREATE TABLE "OrgSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "name" TEXT NOT NULL DEFAULT 'My organisation',
    "currency" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "asOf" TIMESTAMPTZ(3),
    "rules" JSONB NOT NULL DEFAULT '{}',
    "demoData" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OrgSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Team" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "managerId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'rep',
    "teamId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Quota" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,

    CONSTRAINT "Quota_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Stage" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "order" INTEGER NOT NULL,
    "probability" INTEGER NOT NULL,
    "early" BOOLEAN NOT NULL DEFAULT false,
    "maxDaysInStage" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Stage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "domain" TEXT,
    "sector" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Opportunity" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "externalId" TEXT,
    "name" TEXT NOT NULL,
    "accountId" INTEGER,
    "ownerId" TEXT NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "stageId" INTEGER NOT NULL,
    "status" "DealStatus" NOT NULL DEFAULT 'open',
    "openedAt" TIMESTAMPTZ(3) NOT NULL,
    "expectedCloseDate" DATE,
    "closedAt" TIMESTAMPTZ(3),
    "nextStep" TEXT,
    "lostReason" TEXT,
    "lastActivityAt" TIMESTAMPTZ(3),
    "lastBuyerActivityAt" TIMESTAMPTZ(3),
    "lastSellerActivityAt" TIMESTAMPTZ(3),
    "stageEnteredAt" TIMESTAMPTZ(3) NOT NULL,
    "lastForwardMoveAt" TIMESTAMPTZ(3),
    "closeDatePushCount" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Opportunity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StageChange" (
    "id" SERIAL NOT NULL,
    "opportunityId" INTEGER NOT NULL,
    "fromStageId" INTEGER,
    "toStageId" INTEGER,
    "fromStatus" "DealStatus",
    "toStatus" "DealStatus" NOT NULL,
    "direction" "StageDirection" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "byId" TEXT,
    "reason" TEXT,

    CONSTRAINT "StageChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Activity" (
    "id" SERIAL NOT NULL,
    "opportunityId" INTEGER NOT NULL,
    "type" "ActivityType" NOT NULL,
    "side" "ActivitySide" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "summary" TEXT,
    "byId" TEXT,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "externalId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CloseDateChange" (
    "id" SERIAL NOT NULL,
    "opportunityId" INTEGER NOT NULL,
    "fromDate" DATE,
    "toDate" DATE,
    "isPush" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "byId" TEXT,

    CONSTRAINT "CloseDateChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AmountChange" (
    "id" SERIAL NOT NULL,
    "opportunityId" INTEGER NOT NULL,
    "fromAmount" DECIMAL(14,2),
    "toAmount" DECIMAL(14,2) NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "byId" TEXT,

    CONSTRAINT "AmountChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "byId" TEXT,
    "asOf" TIMESTAMPTZ(3) NOT NULL,
    "teamId" TEXT,
    "settings" JSONB NOT NULL,
    "totals" JSONB NOT NULL,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Flag" (
    "id" SERIAL NOT NULL,
    "reviewId" INTEGER,
    "opportunityId" INTEGER,
    "userId" TEXT,
    "teamId" TEXT,
    "rule" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "explanation" TEXT NOT NULL,
    "metrics" JSONB NOT NULL,
    "asOf" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "supersededAt" TIMESTAMPTZ(3),

    CONSTRAINT "Flag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" SERIAL NOT NULL,
    "opportunityId" INTEGER NOT NULL,
    "reviewId" INTEGER,
    "action" "DecisionAction" NOT NULL,
    "reason" TEXT NOT NULL,
    "byId" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "details" JSONB,

    CONSTRAINT "Decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Waiver" (
    "id" SERIAL NOT NULL,
    "opportunityId" INTEGER NOT NULL,
    "kind" "WaiverKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "until" DATE NOT NULL,
    "byId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Waiver_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineSnapshot" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "weekStart" DATE NOT NULL,
    "reviewId" INTEGER,
    "openCount" INTEGER NOT NULL,
    "openValue" DECIMAL(14,2) NOT NULL,
    "weightedValue" DECIMAL(14,2) NOT NULL,
    "staleCount" INTEGER NOT NULL,
    "staleValue" DECIMAL(14,2) NOT NULL,
    "newPipelineValue" DECIMAL(14,2) NOT NULL,
    "wonValue" DECIMAL(14,2) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PipelineSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Team_managerId_key" ON "Team"("managerId");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_teamId_role_idx" ON "User"("teamId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Quota_userId_periodStart_key" ON "Quota"("userId", "periodStart");

-- CreateIndex
CREATE UNIQUE INDEX "Stage_name_key" ON "Stage"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Stage_order_key" ON "Stage"("order");

-- CreateIndex
CREATE UNIQUE INDEX "Account_name_key" ON "Account"("name");

-- CreateIndex
CREATE INDEX "Opportunity_ownerId_status_idx" ON "Opportunity"("ownerId", "status");

-- CreateIndex
CREATE INDEX "Opportunity_status_stageId_idx" ON "Opportunity"("status", "stageId");

-- CreateIndex
CREATE INDEX "Opportunity_status_openedAt_idx" ON "Opportunity"("status", "openedAt");

-- CreateIndex
CREATE INDEX "Opportunity_accountId_idx" ON "Opportunity"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "Opportunity_source_externalId_key" ON "Opportunity"("source", "externalId");

-- CreateIndex
CREATE INDEX "StageChange_opportunityId_at_idx" ON "StageChange"("opportunityId", "at");

-- CreateIndex
CREATE INDEX "StageChange_direction_at_idx" ON "StageChange"("direction", "at");

-- CreateIndex
CREATE INDEX "Activity_opportunityId_at_idx" ON "Activity"("opportunityId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Activity_source_externalId_key" ON "Activity"("source", "externalId");

-- CreateIndex
CREATE INDEX "CloseDateChange_opportunityId_at_idx" ON "CloseDateChange"("opportunityId", "at");

-- CreateIndex
CREATE INDEX "AmountChange_opportunityId_at_idx" ON "AmountChange"("opportunityId", "at");

-- CreateIndex
CREATE INDEX "Review_at_idx" ON "Review"("at");

-- CreateIndex
CREATE INDEX "Flag_reviewId_idx" ON "Flag"("reviewId");

-- CreateIndex
CREATE INDEX "Flag_opportunityId_supersededAt_idx" ON "Flag"("opportunityId", "supersededAt");

-- CreateIndex
CREATE INDEX "Flag_userId_supersededAt_idx" ON "Flag"("userId", "supersededAt");

-- CreateIndex
CREATE INDEX "Flag_teamId_supersededAt_idx" ON "Flag"("teamId", "supersededAt");

-- CreateIndex
CREATE INDEX "Decision_opportunityId_at_idx" ON "Decision"("opportunityId", "at");

-- CreateIndex
CREATE INDEX "Decision_reviewId_idx" ON "Decision"("reviewId");

-- CreateIndex
CREATE INDEX "Waiver_opportunityId_until_idx" ON "Waiver"("opportunityId", "until");

-- CreateIndex
CREATE INDEX "PipelineSnapshot_weekStart_idx" ON "PipelineSnapshot"("weekStart");

-- CreateIndex
CREATE UNIQUE INDEX "PipelineSnapshot_userId_weekStart_key" ON "PipelineSnapshot"("userId", "weekStart");

-- CreateIndex
CREATE INDEX "AuditEvent_entityType_entityId_at_idx" ON "AuditEvent"("entityType", "entityId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- AddForeignKey
ALTER TABLE "Team" ADD CONSTRAINT "Team_managerId_fkey" FOREIGN KEY ("managerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quota" ADD CONSTRAINT "Quota_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Opportunity" ADD CONSTRAINT "Opportunity_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Opportunity" ADD CONSTRAINT "Opportunity_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Opportunity" ADD CONSTRAINT "Opportunity_stageId_fkey" FOREIGN KEY ("stageId") REFERENCES "Stage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StageChange" ADD CONSTRAINT "StageChange_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Activity" ADD CONSTRAINT "Activity_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CloseDateChange" ADD CONSTRAINT "CloseDateChange_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AmountChange" ADD CONSTRAINT "AmountChange_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Waiver" ADD CONSTRAINT "Waiver_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineSnapshot" ADD CONSTRAINT "PipelineSnapshot_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineSnapshot" ADD CONSTRAINT "PipelineSnapshot_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review"("id") ON DELETE SET NULL ON UPDATE CASCADE;

