-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "jwks" TEXT,
ADD COLUMN     "jwksUri" TEXT,
ADD COLUMN     "requestObjectSigningAlg" TEXT,
ADD COLUMN     "tokenEndpointAuthSigningAlg" TEXT;
