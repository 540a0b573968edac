-- PostHog-format events get a table of their own: until now they were stored as
-- pings, counted in the ping statistics and shown as instances of version "unknown".
-- CreateTable
CREATE TABLE "CollectorEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uuid" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "senderHash" TEXT NOT NULL,
    "droppedFields" INTEGER NOT NULL DEFAULT 0,
    "properties" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "CollectorEvent_uuid_key" ON "CollectorEvent"("uuid");

-- CreateIndex
CREATE INDEX "CollectorEvent_occurredAt_event_idx" ON "CollectorEvent"("occurredAt", "event");

-- CreateIndex
CREATE INDEX "CollectorEvent_instanceId_occurredAt_idx" ON "CollectorEvent"("instanceId", "occurredAt");

-- CreateIndex
CREATE INDEX "CollectorEvent_receivedAt_idx" ON "CollectorEvent"("receivedAt");

-- Events stored before this release were kept as pings without the privacy rule of
-- lib/sensitive-text.ts: they are deleted rather than moved, with the instances that
-- only events had created. (Day totals of those days still include them.)
DELETE FROM "CollectorPing" WHERE "source" = 'posthog';
DELETE FROM "CollectorInstance" WHERE "instanceId" NOT IN (SELECT "instanceId" FROM "CollectorPing");
