-- CreateTable
CREATE TABLE "CollectorPing" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "receivedAt" DATETIME NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "source" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "eventUuid" TEXT,
    "senderHash" TEXT NOT NULL,
    "droppedFields" INTEGER NOT NULL DEFAULT 0,
    "payload" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "CollectorInstance" (
    "instanceId" TEXT NOT NULL PRIMARY KEY,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "version" TEXT,
    "osType" TEXT,
    "osRelease" TEXT,
    "arch" TEXT,
    "nodeMajor" TEXT,
    "driver" TEXT,
    "users" INTEGER,
    "teams" INTEGER,
    "projects" INTEGER,
    "usersBucket" TEXT,
    "teamsBucket" TEXT,
    "projectsBucket" TEXT
);

-- CreateTable
CREATE TABLE "CollectorDay" (
    "day" TEXT NOT NULL PRIMARY KEY,
    "pings" INTEGER NOT NULL DEFAULT 0,
    "instances" INTEGER NOT NULL DEFAULT 0,
    "senders" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "CollectorDaySeen" (
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,

    PRIMARY KEY ("day", "kind", "key")
);

-- CreateTable
CREATE TABLE "CollectorSalt" (
    "day" TEXT NOT NULL PRIMARY KEY,
    "secret" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "CollectorPing_eventUuid_key" ON "CollectorPing"("eventUuid");

-- CreateIndex
CREATE INDEX "CollectorPing_receivedAt_idx" ON "CollectorPing"("receivedAt");

-- CreateIndex
CREATE INDEX "CollectorInstance_lastSeenAt_idx" ON "CollectorInstance"("lastSeenAt");
