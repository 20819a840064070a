-- CreateTable
CREATE TABLE "ConsumedInteraction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ConsumedInteraction_expiresAt_idx" ON "ConsumedInteraction"("expiresAt");
