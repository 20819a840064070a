-- DropIndex
DROP INDEX "RefreshToken_tokenHash_key";
