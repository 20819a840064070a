-- AlterTable (hand-written: SQLite adds a NOT NULL column with a constant default in place,
-- so the table is not rebuilt as Prisma would rebuild it)
ALTER TABLE "Client" ADD COLUMN "defaultAcrValues" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Client" ADD COLUMN "requireMfa" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "OneTimeCodeFactor" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "secret" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" DATETIME,
    "expiresAt" DATETIME NOT NULL,
    "lastUsedStep" INTEGER,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    CONSTRAINT "OneTimeCodeFactor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecoveryCode" (
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "usedAt" DATETIME,

    PRIMARY KEY ("userId", "codeHash"),
    CONSTRAINT "RecoveryCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "OneTimeCodeFactor_expiresAt_idx" ON "OneTimeCodeFactor"("expiresAt");

-- CreateIndex
CREATE INDEX "RecoveryCode_usedAt_idx" ON "RecoveryCode"("usedAt");
