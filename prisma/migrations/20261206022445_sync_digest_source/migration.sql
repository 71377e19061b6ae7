-- AlterTable
ALTER TABLE "SyncDigest" ADD COLUMN     "memberships" INTEGER,
ADD COLUMN     "source" TEXT;
