-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "securityProfile" TEXT;
