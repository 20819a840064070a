-- AlterTable (hand-written: SQLite adds a NOT NULL column with a constant default in place,
-- so the table is not rebuilt as Prisma would rebuild it)
ALTER TABLE "User" ADD COLUMN "admin" BOOLEAN NOT NULL DEFAULT false;
