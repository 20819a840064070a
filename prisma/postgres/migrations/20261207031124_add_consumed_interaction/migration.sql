-- CreateTable
CREATE TABLE "ConsumedInteraction" (
    "id" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConsumedInteraction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConsumedInteraction_expiresAt_idx" ON "ConsumedInteraction"("expiresAt");
