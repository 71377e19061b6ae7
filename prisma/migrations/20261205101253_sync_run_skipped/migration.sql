-- AlterEnum
ALTER TYPE "SyncStatus" ADD VALUE 'skipped';
