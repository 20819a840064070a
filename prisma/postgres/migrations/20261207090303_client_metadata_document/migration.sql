-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "metadataDocumentFetchedAt" TIMESTAMP(3);
