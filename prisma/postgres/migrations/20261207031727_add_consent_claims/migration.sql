-- AlterTable
ALTER TABLE "Consent" ADD COLUMN     "claims" TEXT NOT NULL DEFAULT '';
