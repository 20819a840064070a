-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "requirePkce" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "AuthorizationCode" ALTER COLUMN "codeChallenge" DROP NOT NULL,
ALTER COLUMN "codeChallengeMethod" DROP NOT NULL;
