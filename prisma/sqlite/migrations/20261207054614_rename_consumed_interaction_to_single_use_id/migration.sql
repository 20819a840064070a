-- CreateTable
CREATE TABLE "SingleUseId" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "SingleUseId_expiresAt_idx" ON "SingleUseId"("expiresAt");

-- Keep the forms already accepted: they stay single-use across the upgrade.
INSERT INTO "SingleUseId" ("id", "expiresAt") SELECT 'interaction:' || "id", "expiresAt" FROM "ConsumedInteraction";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "ConsumedInteraction";
PRAGMA foreign_keys=on;
