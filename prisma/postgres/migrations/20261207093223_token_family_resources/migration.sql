-- AlterTable
ALTER TABLE "TokenFamily" ADD COLUMN     "resources" TEXT NOT NULL DEFAULT '[]';
