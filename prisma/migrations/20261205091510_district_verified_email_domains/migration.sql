-- AlterTable
ALTER TABLE "District" ADD COLUMN     "verifiedEmailDomains" TEXT[] DEFAULT ARRAY[]::TEXT[];
