-- CreateTable
CREATE TABLE "SingleUseId" (
    "id" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SingleUseId_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SingleUseId_expiresAt_idx" ON "SingleUseId"("expiresAt");

-- Keep the forms already accepted: they stay single-use across the upgrade.
INSERT INTO "SingleUseId" ("id", "expiresAt") SELECT 'interaction:' || "id", "expiresAt" FROM "ConsumedInteraction";

-- DropTable
DROP TABLE "ConsumedInteraction";
