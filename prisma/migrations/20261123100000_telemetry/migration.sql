-- CreateTable
CREATE TABLE "TelemetrySend" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sentAt" DATETIME NOT NULL,
    "trigger" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL DEFAULT false,
    "status" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "payload" TEXT
);

-- CreateTable
CREATE TABLE "RowCount" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "TelemetrySend_sentAt_idx" ON "TelemetrySend"("sentAt");

-- CreateIndex
CREATE INDEX "TelemetrySend_trigger_sentAt_idx" ON "TelemetrySend"("trigger", "sentAt");

-- Row counts for the telemetry payload, kept exact by triggers so that reading
-- them costs the same whatever the table size. Cascaded deletes fire the
-- DELETE triggers too (foreign keys are enforced by the Prisma adapter).
INSERT INTO "RowCount" ("name", "count") SELECT 'User', count(*) FROM "User";
INSERT INTO "RowCount" ("name", "count") SELECT 'Team', count(*) FROM "Team";
INSERT INTO "RowCount" ("name", "count") SELECT 'Project', count(*) FROM "Project";

CREATE TRIGGER "User_count_insert" AFTER INSERT ON "User"
BEGIN UPDATE "RowCount" SET "count" = "count" + 1 WHERE "name" = 'User'; END;
CREATE TRIGGER "User_count_delete" AFTER DELETE ON "User"
BEGIN UPDATE "RowCount" SET "count" = "count" - 1 WHERE "name" = 'User'; END;
CREATE TRIGGER "Team_count_insert" AFTER INSERT ON "Team"
BEGIN UPDATE "RowCount" SET "count" = "count" + 1 WHERE "name" = 'Team'; END;
CREATE TRIGGER "Team_count_delete" AFTER DELETE ON "Team"
BEGIN UPDATE "RowCount" SET "count" = "count" - 1 WHERE "name" = 'Team'; END;
CREATE TRIGGER "Project_count_insert" AFTER INSERT ON "Project"
BEGIN UPDATE "RowCount" SET "count" = "count" + 1 WHERE "name" = 'Project'; END;
CREATE TRIGGER "Project_count_delete" AFTER DELETE ON "Project"
BEGIN UPDATE "RowCount" SET "count" = "count" - 1 WHERE "name" = 'Project'; END;
