-- AlterTable
ALTER TABLE "OrgSettings" ADD COLUMN     "reviewTime" VARCHAR(5) NOT NULL DEFAULT '06:00',
ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC';

-- CreateTable
CREATE TABLE "DailyJobRun" (
    "id" SERIAL NOT NULL,
    "job" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "DailyJobRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DailyJobRun_job_day_key" ON "DailyJobRun"("job", "day");

