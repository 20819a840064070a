-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "backchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "backchannelLogoutUri" TEXT,
ADD COLUMN     "frontchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "frontchannelLogoutUri" TEXT;

-- CreateTable
CREATE TABLE "BrowserSessionClient" (
    "sessionId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BrowserSessionClient_pkey" PRIMARY KEY ("sessionId","clientId")
);

-- CreateIndex
CREATE INDEX "BrowserSessionClient_clientId_idx" ON "BrowserSessionClient"("clientId");

-- AddForeignKey
ALTER TABLE "BrowserSessionClient" ADD CONSTRAINT "BrowserSessionClient_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BrowserSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrowserSessionClient" ADD CONSTRAINT "BrowserSessionClient_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;
