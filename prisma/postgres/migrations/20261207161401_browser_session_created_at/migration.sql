-- CreateIndex
CREATE INDEX "BrowserSession_createdAt_idx" ON "BrowserSession"("createdAt");
