-- One row per HTTP request served (lib/http-events/). Faucet's columns.
-- Partitioned by day on "time": lib/data/http-events.ts creates each day's partition ahead
-- of time and retention drops whole partitions (no DELETE, no vacuum debt).
CREATE TABLE "flowforge_http_events" (
    "request_uuid" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "version" TEXT,
    "target" TEXT NOT NULL,
    "worker_route" TEXT NOT NULL,
    "worker_id" TEXT NOT NULL,
    "ip_addr" INET,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "query_params" TEXT,
    "http_version" TEXT,
    "status" SMALLINT NOT NULL,
    "user_agent" TEXT,
    "elapsed" BIGINT NOT NULL,
    "time" TIMESTAMPTZ NOT NULL
) PARTITION BY RANGE ("time");

CREATE INDEX "flowforge_http_events_time_idx" ON "flowforge_http_events" ("time");

-- Pre-aggregated per minute and per hour, route, method, status and latency bucket
-- (bucket b holds elapsed in [2^(b/4), 2^((b+1)/4)) microseconds), added to by each
-- writer in the transaction of its batch. /admin/traffic reads only these.
CREATE TABLE "flowforge_http_events_minutely" (
    "bucket_start" TIMESTAMPTZ NOT NULL,
    "worker_route" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "status" SMALLINT NOT NULL,
    "latency_bucket" SMALLINT NOT NULL,
    "requests" BIGINT NOT NULL,
    "elapsed_sum" BIGINT NOT NULL,
    PRIMARY KEY ("bucket_start", "worker_route", "method", "status", "latency_bucket")
);

CREATE TABLE "flowforge_http_events_hourly" (
    "bucket_start" TIMESTAMPTZ NOT NULL,
    "worker_route" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "status" SMALLINT NOT NULL,
    "latency_bucket" SMALLINT NOT NULL,
    "requests" BIGINT NOT NULL,
    "elapsed_sum" BIGINT NOT NULL,
    PRIMARY KEY ("bucket_start", "worker_route", "method", "status", "latency_bucket")
);

-- One row per writing process (replica): what it wrote and what it had to drop.
CREATE TABLE "flowforge_http_event_workers" (
    "worker_id" TEXT NOT NULL PRIMARY KEY,
    "target" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "version" TEXT,
    "started_at" TIMESTAMPTZ NOT NULL,
    "last_seen_at" TIMESTAMPTZ NOT NULL,
    "written" BIGINT NOT NULL DEFAULT 0,
    "dropped" BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX "flowforge_http_event_workers_last_seen_at_idx" ON "flowforge_http_event_workers" ("last_seen_at");
