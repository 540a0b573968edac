// A batch of pings and their rollups on PostgreSQL, as one statement (data-modifying CTEs):
// one round trip and no BEGIN/COMMIT (each of those is a round trip too). Day totals count the
// sightings the INSERT reports as new (RETURNING), as on SQLite. The rows travel as one JSON
// parameter per table that the database expands (jsonb_array_elements, in array order: the lock
// order, see store.ts), not ~30 parameters a ping, so the text is one of three (by what the batch
// carries of metrics) and runs as a named prepared statement: parsed and planned once per
// connection (measured on batches of 4 pings: PostgreSQL's CPU 0.44 -> 0.18 ms a ping). CTEs run
// against one snapshot in no set order, so a DELETE and an INSERT of one metric could collide:
// the DELETE removes only the metrics the new set leaves out, and the set is upserted.
// Runs in the ping writer's thread (ping-writer-worker.ts) through node-postgres directly.
import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';
import { STATE_COLUMNS, STATE_NAMES, STATE_UPDATES } from './instance-columns';
import type { PingRows } from './sqlite-ping-writes';

// CollectorInstance's columns from a JSON row [instanceId, first, last, ...STATE_COLUMNS], typed.
const INSTANCE_SELECT = [
  'r->>0',
  '(r->>1)::timestamp(3)',
  '(r->>2)::timestamp(3)',
  ...STATE_COLUMNS.map((column, index) =>
    ['users', 'teams', 'projects'].includes(column) ? `(r->>${index + 3})::integer` : `r->>${index + 3}`,
  ),
].join(', ');

// $1 pings, $2 instances, $3 sightings, $4 days, then $5 metric instances and $6 metrics if the batch has them.
const METRICS_GONE = `metricsGone AS (
      DELETE FROM "CollectorInstanceMetric"
      WHERE "instanceId" IN (SELECT jsonb_array_elements_text($5::jsonb))
        AND ("instanceId", "metric") NOT IN (SELECT r->>0, r->>1 FROM jsonb_array_elements($6::jsonb) AS r)),`;
const METRICS = `metrics AS (
      INSERT INTO "CollectorInstanceMetric"
        ("instanceId", "metric", "kind", "numberValue", "textValue", "reportedAt")
      SELECT r->>0, r->>1, r->>2, (r->>3)::double precision, r->>4, (r->>5)::timestamp(3)
      FROM jsonb_array_elements($6::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n
      ON CONFLICT ("instanceId", "metric") DO UPDATE SET "kind" = excluded."kind",
        "numberValue" = excluded."numberValue", "textValue" = excluded."textValue", "reportedAt" = excluded."reportedAt"
    ),`;

function statementText(metrics: string): string {
  return `WITH pings AS (
      INSERT INTO "CollectorPing"
        ("receivedAt", "occurredAt", "source", "event", "instanceId", "senderHash", "droppedFields", "payload")
      SELECT (r->>0)::timestamp(3), (r->>0)::timestamp(3), 'ping', 'ping', r->>1, r->>2, (r->>3)::integer, r->>4
      FROM jsonb_array_elements($1::jsonb) AS r
    ),
    instances AS (
      INSERT INTO "CollectorInstance" ("instanceId", "firstSeenAt", "lastSeenAt", ${STATE_NAMES})
      SELECT ${INSTANCE_SELECT} FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(r, n)
      ORDER BY n
      ON CONFLICT ("instanceId") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt", ${STATE_UPDATES}
    ),
    ${metrics}
    seen AS (
      INSERT INTO "CollectorDaySeen" ("day", "kind", "key")
      SELECT r->>0, r->>1, r->>2 FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(r, n)
      ORDER BY n
      ON CONFLICT DO NOTHING RETURNING "day", "kind"
    ),
    batch ("day", "pings") AS (
      SELECT r->>0, (r->>1)::integer FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS t(r, n)
      ORDER BY n
    )
    INSERT INTO "CollectorDay" ("day", "pings", "instances", "senders")
    SELECT batch."day", batch."pings",
      (SELECT COUNT(*) FROM seen WHERE seen."day" = batch."day" AND seen."kind" = 'instance'),
      (SELECT COUNT(*) FROM seen WHERE seen."day" = batch."day" AND seen."kind" = 'sender')
    FROM batch
    ON CONFLICT ("day") DO UPDATE SET "pings" = "CollectorDay"."pings" + excluded."pings",
      "instances" = "CollectorDay"."instances" + excluded."instances",
      "senders" = "CollectorDay"."senders" + excluded."senders"`;
}

/** The name is the text's hash: one name never stands for two texts (a prepared name lives per connection). */
const named = (text: string) => ({
  name: `flowforge_ping_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`,
  text,
});
const WITHOUT_METRICS = named(statementText(''));
const METRICS_REPLACED = named(statementText(METRICS_GONE));
const METRICS_SET = named(statementText(METRICS_GONE + METRICS));

/** The batch's one statement: which of the three texts, and its parameters. */
export function pingStatement(rows: PingRows): QueryConfig {
  const base = [rows.pings, rows.instances, rows.sightings, rows.days];
  if (rows.metricInstances === null) return { ...WITHOUT_METRICS, values: base };
  return {
    ...(rows.hasMetrics ? METRICS_SET : METRICS_REPLACED),
    values: [...base, rows.metricInstances, rows.metrics],
  };
}
