-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "dpopBoundAccessTokens" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "requirePushedAuthorizationRequests" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "PushedAuthorizationRequest" (
    "id" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "parameters" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),

    CONSTRAINT "PushedAuthorizationRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PushedAuthorizationRequest_expiresAt_idx" ON "PushedAuthorizationRequest"("expiresAt");

-- CreateIndex
CREATE INDEX "PushedAuthorizationRequest_clientId_idx" ON "PushedAuthorizationRequest"("clientId");

-- AddForeignKey
ALTER TABLE "PushedAuthorizationRequest" ADD CONSTRAINT "PushedAuthorizationRequest_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;
