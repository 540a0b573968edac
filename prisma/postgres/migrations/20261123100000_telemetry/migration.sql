-- CreateTable
CREATE TABLE "TelemetrySend" (
    "id" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "trigger" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL DEFAULT false,
    "status" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "payload" TEXT,

    CONSTRAINT "TelemetrySend_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RowCount" (
    "name" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "RowCount_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "TelemetrySend_sentAt_idx" ON "TelemetrySend"("sentAt");

-- CreateIndex
CREATE INDEX "TelemetrySend_trigger_sentAt_idx" ON "TelemetrySend"("trigger", "sentAt");

-- Row counts for the telemetry payload, kept exact by statement-level triggers
-- (one counter update per statement, not per row, so bulk inserts stay fast).
-- Cascaded deletes and TRUNCATE ... CASCADE fire them for the child tables too.
INSERT INTO "RowCount" ("name", "count") SELECT 'User', count(*) FROM "User";
INSERT INTO "RowCount" ("name", "count") SELECT 'Team', count(*) FROM "Team";
INSERT INTO "RowCount" ("name", "count") SELECT 'Project', count(*) FROM "Project";

CREATE FUNCTION "RowCount_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n INTEGER;
BEGIN
    SELECT count(*) INTO n FROM new_rows;
    IF n > 0 THEN UPDATE "RowCount" SET "count" = "count" + n WHERE "name" = TG_TABLE_NAME; END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION "RowCount_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n INTEGER;
BEGIN
    SELECT count(*) INTO n FROM old_rows;
    IF n > 0 THEN UPDATE "RowCount" SET "count" = "count" - n WHERE "name" = TG_TABLE_NAME; END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION "RowCount_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "RowCount" SET "count" = 0 WHERE "name" = TG_TABLE_NAME;
    RETURN NULL;
END $$;

CREATE TRIGGER "User_count_insert" AFTER INSERT ON "User" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "RowCount_inserted"();
CREATE TRIGGER "User_count_delete" AFTER DELETE ON "User" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "RowCount_deleted"();
CREATE TRIGGER "User_count_truncate" AFTER TRUNCATE ON "User" FOR EACH STATEMENT EXECUTE FUNCTION "RowCount_truncated"();
CREATE TRIGGER "Team_count_insert" AFTER INSERT ON "Team" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "RowCount_inserted"();
CREATE TRIGGER "Team_count_delete" AFTER DELETE ON "Team" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "RowCount_deleted"();
CREATE TRIGGER "Team_count_truncate" AFTER TRUNCATE ON "Team" FOR EACH STATEMENT EXECUTE FUNCTION "RowCount_truncated"();
CREATE TRIGGER "Project_count_insert" AFTER INSERT ON "Project" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "RowCount_inserted"();
CREATE TRIGGER "Project_count_delete" AFTER DELETE ON "Project" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "RowCount_deleted"();
CREATE TRIGGER "Project_count_truncate" AFTER TRUNCATE ON "Project" FOR EACH STATEMENT EXECUTE FUNCTION "RowCount_truncated"();
