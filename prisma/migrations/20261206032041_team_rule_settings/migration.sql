-- CreateTable
CREATE TABLE "TeamRuleSettings" (
    "teamId" TEXT NOT NULL,
    "overrides" JSONB NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TeamRuleSettings_pkey" PRIMARY KEY ("teamId")
);

-- AddForeignKey
ALTER TABLE "TeamRuleSettings" ADD CONSTRAINT "TeamRuleSettings_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

