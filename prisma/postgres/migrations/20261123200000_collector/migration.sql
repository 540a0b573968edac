-- CreateTable
CREATE TABLE "CollectorPing" (
    "id" SERIAL NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "eventUuid" TEXT,
    "senderHash" TEXT NOT NULL,
    "droppedFields" INTEGER NOT NULL DEFAULT 0,
    "payload" TEXT NOT NULL,

    CONSTRAINT "CollectorPing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectorInstance" (
    "instanceId" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
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
    "projectsBucket" TEXT,

    CONSTRAINT "CollectorInstance_pkey" PRIMARY KEY ("instanceId")
);

-- CreateTable
CREATE TABLE "CollectorDay" (
    "day" TEXT NOT NULL,
    "pings" INTEGER NOT NULL DEFAULT 0,
    "instances" INTEGER NOT NULL DEFAULT 0,
    "senders" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CollectorDay_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "CollectorDaySeen" (
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,

    CONSTRAINT "CollectorDaySeen_pkey" PRIMARY KEY ("day","kind","key")
);

-- CreateTable
CREATE TABLE "CollectorSalt" (
    "day" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CollectorSalt_pkey" PRIMARY KEY ("day")
);

-- CreateIndex
CREATE UNIQUE INDEX "CollectorPing_eventUuid_key" ON "CollectorPing"("eventUuid");

-- CreateIndex
CREATE INDEX "CollectorPing_receivedAt_idx" ON "CollectorPing"("receivedAt");

-- CreateIndex
CREATE INDEX "CollectorInstance_lastSeenAt_idx" ON "CollectorInstance"("lastSeenAt");
