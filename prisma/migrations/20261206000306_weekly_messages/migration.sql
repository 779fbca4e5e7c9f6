-- CreateTable
CREATE TABLE "MessagingSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "deliveryEnabled" BOOLEAN NOT NULL DEFAULT false,
    "defaultTimeZone" TEXT NOT NULL DEFAULT 'UTC',
    "defaultLocale" TEXT NOT NULL DEFAULT 'en-US',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MessagingSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamMessaging" (
    "teamId" TEXT NOT NULL,
    "meetingWeekday" INTEGER NOT NULL DEFAULT 1,
    "webhookKind" TEXT,
    "webhookUrl" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TeamMessaging_pkey" PRIMARY KEY ("teamId")
);

-- CreateTable
CREATE TABLE "MessagePreference" (
    "userId" TEXT NOT NULL,
    "repDigest" BOOLEAN NOT NULL DEFAULT true,
    "managerBrief" BOOLEAN NOT NULL DEFAULT true,
    "cleanNote" BOOLEAN NOT NULL DEFAULT true,
    "timeZone" TEXT,
    "locale" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MessagePreference_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "MessageDelivery" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "claimedAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MessageDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MessageDelivery_status_nextAttemptAt_idx" ON "MessageDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "MessageDelivery_userId_kind_period_channel_key" ON "MessageDelivery"("userId", "kind", "period", "channel");

-- AddForeignKey
ALTER TABLE "TeamMessaging" ADD CONSTRAINT "TeamMessaging_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessagePreference" ADD CONSTRAINT "MessagePreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageDelivery" ADD CONSTRAINT "MessageDelivery_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

