-- CreateTable
CREATE TABLE "ChangeCounter" (
    "name" TEXT NOT NULL,
    "value" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ChangeCounter_pkey" PRIMARY KEY ("name")
);

-- The counter of registered-client changes starts at 0 (client writes bump it with an upsert, so
-- the row being here is not required, only tidy).
INSERT INTO "ChangeCounter" ("name", "value") VALUES ('clients', 0);
