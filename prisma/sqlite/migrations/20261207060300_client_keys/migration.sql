-- AlterTable
ALTER TABLE "Client" ADD COLUMN "jwks" TEXT;
ALTER TABLE "Client" ADD COLUMN "jwksUri" TEXT;
ALTER TABLE "Client" ADD COLUMN "requestObjectSigningAlg" TEXT;
ALTER TABLE "Client" ADD COLUMN "tokenEndpointAuthSigningAlg" TEXT;
