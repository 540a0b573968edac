-- Rollups of collector events kept at ingest, so the Events section of /admin/collector
-- reads days x names rows (and one row per instance and event name), never CollectorEvent.
-- CreateTable
CREATE TABLE "CollectorEventDay" (
    "day" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("day", "event")
);

-- CreateTable
CREATE TABLE "CollectorEventInstance" (
    "event" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "firstSeenDay" TEXT NOT NULL,
    "lastSeenDay" TEXT NOT NULL,

    PRIMARY KEY ("event", "instanceId")
);

-- CreateTable
CREATE TABLE "CollectorEventFacet" (
    "day" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "facet" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("day", "event", "facet", "value")
);

-- CreateIndex
CREATE INDEX "CollectorEventInstance_lastSeenDay_event_idx" ON "CollectorEventInstance"("lastSeenDay", "event");

-- CreateIndex
CREATE INDEX "CollectorEventFacet_facet_day_idx" ON "CollectorEventFacet"("facet", "day");

-- Events stored before this migration: their day totals and instances (DateTime is ISO text here).
-- Facets start counting from this release on.
INSERT INTO "CollectorEventDay" ("day", "event", "count")
SELECT substr("receivedAt", 1, 10), "event", COUNT(*) FROM "CollectorEvent" GROUP BY substr("receivedAt", 1, 10), "event";

INSERT INTO "CollectorEventInstance" ("event", "instanceId", "firstSeenDay", "lastSeenDay")
SELECT "event", "instanceId", MIN(substr("receivedAt", 1, 10)), MAX(substr("receivedAt", 1, 10)) FROM "CollectorEvent" GROUP BY "event", "instanceId";
