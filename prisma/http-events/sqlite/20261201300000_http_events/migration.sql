-- One row per HTTP request served (lib/http-events/). Faucet's columns; SQLite has no
-- UUID, INET or TIMESTAMPTZ: text for the first two, "time" in milliseconds since 1970 (UTC),
-- e.g. datetime("time" / 1000, 'unixepoch'). Retention deletes in batches.
CREATE TABLE "flowforge_http_events" (
    "request_uuid" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "version" TEXT,
    "target" TEXT NOT NULL,
    "worker_route" TEXT NOT NULL,
    "worker_id" TEXT NOT NULL,
    "ip_addr" TEXT,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "query_params" TEXT,
    "http_version" TEXT,
    "status" INTEGER NOT NULL,
    "user_agent" TEXT,
    "elapsed" INTEGER NOT NULL,
    "time" INTEGER NOT NULL
);

CREATE INDEX "flowforge_http_events_time_idx" ON "flowforge_http_events" ("time");

-- Pre-aggregated per minute and per hour (bucket_start in ms since 1970), route, method,
-- status and latency bucket (b holds elapsed in [2^(b/4), 2^((b+1)/4)) microseconds).
CREATE TABLE "flowforge_http_events_minutely" (
    "bucket_start" INTEGER NOT NULL,
    "worker_route" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "latency_bucket" INTEGER NOT NULL,
    "requests" INTEGER NOT NULL,
    "elapsed_sum" INTEGER NOT NULL,
    PRIMARY KEY ("bucket_start", "worker_route", "method", "status", "latency_bucket")
) WITHOUT ROWID;

CREATE TABLE "flowforge_http_events_hourly" (
    "bucket_start" INTEGER NOT NULL,
    "worker_route" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "latency_bucket" INTEGER NOT NULL,
    "requests" INTEGER NOT NULL,
    "elapsed_sum" INTEGER NOT NULL,
    PRIMARY KEY ("bucket_start", "worker_route", "method", "status", "latency_bucket")
) WITHOUT ROWID;

CREATE TABLE "flowforge_http_event_workers" (
    "worker_id" TEXT NOT NULL PRIMARY KEY,
    "target" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "version" TEXT,
    "started_at" INTEGER NOT NULL,
    "last_seen_at" INTEGER NOT NULL,
    "written" INTEGER NOT NULL DEFAULT 0,
    "dropped" INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX "flowforge_http_event_workers_last_seen_at_idx" ON "flowforge_http_event_workers" ("last_seen_at");
