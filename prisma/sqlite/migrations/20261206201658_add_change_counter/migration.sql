-- CreateTable
CREATE TABLE "ChangeCounter" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL DEFAULT 0
);

-- The counter of registered-client changes starts at 0 (client writes bump it with an upsert, so
-- the row being here is not required, only tidy).
INSERT INTO "ChangeCounter" ("name", "value") VALUES ('clients', 0);
