-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "defaultAcrValues" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "requireMfa" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "OneTimeCodeFactor" (
    "userId" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastUsedStep" INTEGER,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),

    CONSTRAINT "OneTimeCodeFactor_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "RecoveryCode" (
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "RecoveryCode_pkey" PRIMARY KEY ("userId","codeHash")
);

-- CreateIndex
CREATE INDEX "OneTimeCodeFactor_expiresAt_idx" ON "OneTimeCodeFactor"("expiresAt");

-- CreateIndex
CREATE INDEX "RecoveryCode_usedAt_idx" ON "RecoveryCode"("usedAt");

-- AddForeignKey
ALTER TABLE "OneTimeCodeFactor" ADD CONSTRAINT "OneTimeCodeFactor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecoveryCode" ADD CONSTRAINT "RecoveryCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
