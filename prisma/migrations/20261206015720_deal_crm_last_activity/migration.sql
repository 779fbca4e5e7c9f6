-- AlterTable
ALTER TABLE "Opportunity" ADD COLUMN     "crmLastActivityAt" TIMESTAMPTZ(3);

