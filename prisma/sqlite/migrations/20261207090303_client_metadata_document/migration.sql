-- AlterTable
ALTER TABLE "Client" ADD COLUMN "metadataDocumentFetchedAt" DATETIME;
