-- AlterTable
ALTER TABLE "District" ALTER COLUMN "massChangeThreshold" DROP NOT NULL,
ALTER COLUMN "massChangeThreshold" DROP DEFAULT;
-- Until now every district carried the old default: null means "use MASS_CHANGE_THRESHOLD" from here on.
UPDATE "District" SET "massChangeThreshold" = NULL WHERE "massChangeThreshold" = 0.1;

-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "eventCursor" TEXT,
ADD COLUMN     "resolvedAt" TIMESTAMPTZ(3),
ADD COLUMN     "resolvedById" UUID;

-- CreateTable
CREATE TABLE "SyncPlanItem" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "runId" UUID NOT NULL,
    "recordType" TEXT NOT NULL,
    "recordId" UUID,
    "cleverId" TEXT,
    "label" TEXT,
    "action" TEXT NOT NULL,
    "reason" TEXT,

    CONSTRAINT "SyncPlanItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable (edited: UNLOGGED, scratch rows of running syncs need no WAL, a crash empties it, and a crashed
-- run is never swept)
CREATE UNLOGGED TABLE "SyncSeen" (
    "runId" UUID NOT NULL,
    "recordType" TEXT NOT NULL,
    "key" TEXT NOT NULL,

    CONSTRAINT "SyncSeen_pkey" PRIMARY KEY ("runId","recordType","key")
);

-- CreateTable
CREATE TABLE "SyncLock" (
    "districtId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "acquiredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncLock_pkey" PRIMARY KEY ("districtId")
);

-- CreateIndex
CREATE INDEX "SyncPlanItem_runId_recordType_idx" ON "SyncPlanItem"("runId", "recordType");

-- AddForeignKey
ALTER TABLE "SyncPlanItem" ADD CONSTRAINT "SyncPlanItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncLock" ADD CONSTRAINT "SyncLock_districtId_fkey" FOREIGN KEY ("districtId") REFERENCES "District"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
