-- CreateTable
CREATE TABLE "PushedAuthorizationRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "parameters" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "consumedAt" DATETIME,
    CONSTRAINT "PushedAuthorizationRequest_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable (added in place: a table rebuild here would drop the columns of the migrations before)
ALTER TABLE "Client" ADD COLUMN "requirePushedAuthorizationRequests" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Client" ADD COLUMN "dpopBoundAccessTokens" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "PushedAuthorizationRequest_expiresAt_idx" ON "PushedAuthorizationRequest"("expiresAt");

-- CreateIndex
CREATE INDEX "PushedAuthorizationRequest_clientId_idx" ON "PushedAuthorizationRequest"("clientId");
