-- CreateTable
CREATE TABLE "BrowserSessionClient" (
    "sessionId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("sessionId", "clientId"),
    CONSTRAINT "BrowserSessionClient_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BrowserSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BrowserSessionClient_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable (added in place: a table rebuild here would drop the columns of other migrations)
ALTER TABLE "Client" ADD COLUMN "backchannelLogoutUri" TEXT;
ALTER TABLE "Client" ADD COLUMN "backchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Client" ADD COLUMN "frontchannelLogoutUri" TEXT;
ALTER TABLE "Client" ADD COLUMN "frontchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "BrowserSessionClient_clientId_idx" ON "BrowserSessionClient"("clientId");
