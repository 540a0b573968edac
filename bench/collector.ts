// Benchmark: the collector dashboard with a million stored pings.
// Seeds PINGS pings (default 1,000,000: 10,000 instances pinging daily for 100
// days) with bulk SQL into a temporary SQLite file and a fresh PostgreSQL
// database (dropped afterwards), builds the rollups from them with the same
// rules ingest applies, checks that both ways give the same figures, then
// times, interleaved in one run, getCollectorStats() (the dashboard: reads the
// rollups) against a naive scan of CollectorPing computing the same figures,
// and prints medians and the ratio on each database.
//
//   npm run bench:collector       (or: npx tsx bench/collector.ts)
// It also times ingest (the real POST handler) on an empty database and on the full one.
//
//   BENCH_PINGS=100000 BENCH_INSTANCES=2000 to scale down; BENCH_REPS=7 repetitions;
//   BENCH_INGEST=200 pings per ingest measurement.
import type { Driver } from '../lib/db-driver';
import { collectorRequest } from '../tests/helpers/collector';
import { createPostgresDatabase, createSqliteFile } from '../tests/helpers/databases';
import { benchOptions, median, relaunchUnderReactServer, reportRow, thousands, timed } from './harness';
import { bulkLoadPostgres, bulkLoadSqlite, seededDatabases, type SeededDatabases } from './seed';
import { DAY_MS } from '../lib/time-units';

// The stats code is server-only.
relaunchUnderReactServer(import.meta.url);

const {
  PINGS,
  INSTANCES,
  REPS,
  INGEST: INGEST_PINGS,
} = benchOptions({ PINGS: 1_000_000, INSTANCES: 10_000, REPS: 7, INGEST: 200 });
const DAYS = Math.ceil(PINGS / INSTANCES);
const BASE = Date.parse('2030-01-01T00:00:00Z') / 1000;
// "Now" is noon of the day after the last ping day.
const NOW = new Date((BASE + DAYS * 86400 + 12 * 3600) * 1000);

const { migrate } = await import('../lib/migrate');
const { createDb } = await import('../lib/db-client');
const { loadConfig, setConfig } = await import('../lib/config');
const { getCollectorStats, DISTRIBUTION_DAYS } = await import('../lib/collector/stats');
const { bucketOf, nodeMajor } = await import('../lib/collector/report-schema');
const { handlePing } = await import('../lib/collector/handlers');
type Db = import('../lib/db-client').Db;

const ms = (x: number) => `${x.toFixed(1)} ms`;
const label = (driver: Driver) => (driver === 'sqlite' ? 'SQLite' : 'PostgreSQL');

const PING_COLUMNS = `"CollectorPing"
  ("receivedAt", "occurredAt", "source", "event", "instanceId", "senderHash", "droppedFields", "payload")`;
const DAY_COLUMNS = `"CollectorDay" ("day", "pings", "instances", "senders")`;
const INSTANCE_COLUMNS = `"CollectorInstance" ("instanceId", "firstSeenAt", "lastSeenAt", "version",
  "osType", "osRelease", "arch", "nodeMajor", "driver", "users", "teams", "projects",
  "usersBucket", "teamsBucket", "projectsBucket")`;
// Each instance's first and last ping, and the payload of the last.
const FIRST_LAST = `(SELECT "instanceId", min("receivedAt") AS first, max("receivedAt") AS last
        FROM "CollectorPing" GROUP BY "instanceId") c
      JOIN "CollectorPing" x ON x."instanceId" = c."instanceId" AND x."receivedAt" = c.last`;

// Ping n (0-based) comes from instance i = n % INSTANCES on day d = n / INSTANCES.
// Versions move up over time, so an instance's latest state differs from its first.
const SQLITE_PING = `
  SELECT i, d,
    strftime('%Y-%m-%dT%H:%M:%S.000+00:00', ${BASE} + d * 86400 + (i % 80000), 'unixepoch') AS t,
    printf('%08x-0000-4000-8000-%012x', i, i) AS instanceId,
    json_object(
      'instanceId', printf('%08x-0000-4000-8000-%012x', i, i),
      'os', json_object(
        'type', CASE i % 10 WHEN 0 THEN 'Darwin' WHEN 1 THEN 'Windows_NT' ELSE 'Linux' END,
        'release', '6.1.0',
        'arch', CASE WHEN i % 4 = 0 THEN 'arm64' ELSE 'x64' END),
      'env', json_object('nodejs', printf('v%d.1.0', 18 + 2 * (i % 3)), 'flowforge', printf('1.%d.0', d / 25 + i % 2)),
      'platform', json_object(
        'counts', json_object('users', i % 500 + d, 'teams', i % 50, 'projects', (i * 7) % 3000),
        'config', json_object('driver', CASE WHEN i % 3 = 0 THEN 'postgres' ELSE 'sqlite' END))
    ) AS payload
  FROM (SELECT n % ${INSTANCES} AS i, n / ${INSTANCES} AS d FROM seq)`;

function seedSqlite(file: string) {
  bulkLoadSqlite(file, (lite) => {
    lite.exec(`WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ${PINGS - 1})
      INSERT INTO ${PING_COLUMNS}
      SELECT t, t, 'ping', 'ping', instanceId, lower(hex(randomblob(32))), 0, payload FROM (${SQLITE_PING})`);
    buildRollupsSqlite(lite);
  });
}

const bucketSql = (column: string) =>
  `CASE WHEN ${column} <= 0 THEN '0' WHEN ${column} < 10 THEN '1-9' WHEN ${column} < 100 THEN '10-99'` +
  ` WHEN ${column} < 1000 THEN '100-999' WHEN ${column} < 10000 THEN '1,000-9,999' ELSE '10,000+' END`;
const BUCKETS = `${bucketSql('u')}, ${bucketSql('t')}, ${bucketSql('p')}`;

// What ingest keeps up to date, rebuilt here in bulk from the seeded pings.
function buildRollupsSqlite(lite: import('better-sqlite3').Database) {
  lite.exec(`INSERT INTO ${DAY_COLUMNS}
    SELECT substr("receivedAt", 1, 10), count(*), count(DISTINCT "instanceId"), count(DISTINCT "senderHash")
    FROM "CollectorPing" GROUP BY 1`);
  lite.exec(`INSERT INTO ${INSTANCE_COLUMNS}
    SELECT "instanceId", first, last, json_extract(payload, '$.env.flowforge'), json_extract(payload, '$.os.type'),
      json_extract(payload, '$.os.release'), json_extract(payload, '$.os.arch'),
      'v' || CAST(substr(json_extract(payload, '$.env.nodejs'), 2) AS INTEGER),
      json_extract(payload, '$.platform.config.driver'), u, t, p, ${BUCKETS}
    FROM (
      SELECT c."instanceId", c.first, c.last, x.payload,
        json_extract(x.payload, '$.platform.counts.users') AS u,
        json_extract(x.payload, '$.platform.counts.teams') AS t,
        json_extract(x.payload, '$.platform.counts.projects') AS p
      FROM ${FIRST_LAST}
    )`);
}

async function seedPostgres(url: string) {
  await bulkLoadPostgres(url, async (client) => {
    await client.query(`INSERT INTO ${PING_COLUMNS}
      SELECT t, t, 'ping', 'ping', iid, md5(random()::text) || md5(random()::text), 0,
        json_build_object(
          'instanceId', iid,
          'os', json_build_object(
            'type', CASE i % 10 WHEN 0 THEN 'Darwin' WHEN 1 THEN 'Windows_NT' ELSE 'Linux' END,
            'release', '6.1.0',
            'arch', CASE WHEN i % 4 = 0 THEN 'arm64' ELSE 'x64' END),
          'env', json_build_object(
            'nodejs', 'v' || (18 + 2 * (i % 3)) || '.1.0',
            'flowforge', '1.' || (d / 25 + i % 2) || '.0'),
          'platform', json_build_object(
            'counts', json_build_object('users', i % 500 + d, 'teams', i % 50, 'projects', (i * 7) % 3000),
            'config', json_build_object('driver', CASE WHEN i % 3 = 0 THEN 'postgres' ELSE 'sqlite' END))
        )::text
      FROM (
        SELECT i, d, to_timestamp(${BASE} + d * 86400 + (i % 80000)) AT TIME ZONE 'UTC' AS t,
          lpad(to_hex(i), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(i), 12, '0') AS iid
        FROM (SELECT n % ${INSTANCES} AS i, n / ${INSTANCES} AS d FROM generate_series(0, ${PINGS - 1}) AS n) s
      ) s`);
    await client.query(`INSERT INTO ${DAY_COLUMNS}
      SELECT to_char("receivedAt", 'YYYY-MM-DD'), count(*), count(DISTINCT "instanceId"), count(DISTINCT "senderHash")
      FROM "CollectorPing" GROUP BY 1`);
    await client.query(`INSERT INTO ${INSTANCE_COLUMNS}
      SELECT "instanceId", first, last, j->'env'->>'flowforge', j->'os'->>'type', j->'os'->>'release', j->'os'->>'arch',
        'v' || split_part(substr(j->'env'->>'nodejs', 2), '.', 1), j->'platform'->'config'->>'driver', u, t, p,
        ${BUCKETS}
      FROM (
        SELECT c."instanceId", c.first, c.last, x.payload::jsonb AS j,
          (x.payload::jsonb->'platform'->'counts'->>'users')::int AS u,
          (x.payload::jsonb->'platform'->'counts'->>'teams')::int AS t,
          (x.payload::jsonb->'platform'->'counts'->>'projects')::int AS p
        FROM ${FIRST_LAST}
      ) s`);
  });
}

/**
 * The dashboard without rollups: what it costs to answer the same questions
 * from CollectorPing alone (with its receivedAt index): distinct instances per
 * window, each instance's latest report in the last 30 days, and per-day totals.
 */
async function naiveDashboard(db: Db, driver: Driver, retentionDays: number) {
  const since = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
  const iso = (d: Date) => (driver === 'sqlite' ? d.toISOString().replace('Z', '+00:00') : d);
  const distinct = (days: number) =>
    db
      .$queryRawUnsafe<{ n: bigint | number }[]>(
        `SELECT count(DISTINCT "instanceId") AS n FROM "CollectorPing" WHERE "receivedAt" >= ${param}`,
        iso(since(days)),
      )
      .then((r) => Number(r[0].n));
  const param = driver === 'sqlite' ? '?' : '$1';
  const dayExpr = driver === 'sqlite' ? `substr("receivedAt", 1, 10)` : `to_char("receivedAt", 'YYYY-MM-DD')`;
  const [day1, day7, day30, latest, days] = await Promise.all([
    distinct(1),
    distinct(7),
    distinct(DISTRIBUTION_DAYS),
    db.$queryRawUnsafe<{ payload: string }[]>(
      `SELECT payload FROM (
        SELECT payload, row_number() OVER (PARTITION BY "instanceId" ORDER BY "receivedAt" DESC) AS rn
        FROM "CollectorPing" WHERE "receivedAt" >= ${param}
      ) s WHERE rn = 1`,
      iso(since(DISTRIBUTION_DAYS)),
    ),
    db.$queryRawUnsafe<{ day: string; pings: bigint | number; instances: bigint | number; senders: bigint | number }[]>(
      `SELECT ${dayExpr} AS day, count(*) AS pings, count(DISTINCT "instanceId") AS instances,
        count(DISTINCT "senderHash") AS senders
      FROM "CollectorPing" WHERE "receivedAt" >= ${param} GROUP BY 1 ORDER BY 1`,
      iso(since(retentionDays)),
    ),
  ]);
  const share = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return counts;
  };
  const payloads = latest.map((row) => JSON.parse(row.payload));
  return {
    active: { day1, day7, day30 },
    versions: share(payloads.map((p) => p.env.flowforge)),
    osTypes: share(payloads.map((p) => p.os.type)),
    nodeMajors: share(payloads.map((p) => nodeMajor(p.env.nodejs))),
    users: share(payloads.map((p) => bucketOf(p.platform.counts.users))),
    sumUsers: payloads.reduce((sum, p) => sum + p.platform.counts.users, 0),
    days: days.map((d) => ({
      day: d.day,
      pings: Number(d.pings),
      instances: Number(d.instances),
      senders: Number(d.senders),
    })),
  };
}

const asMap = (shares: { label: string; instances: number }[]) =>
  new Map(shares.filter((s) => s.instances > 0).map((s) => [s.label, s.instances]));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sorted = (m: Map<string, number>) => [...m.entries()].sort();

async function checkAgreement(db: Db, driver: Driver) {
  const stats = await getCollectorStats({ now: NOW, retentionDays: 365 }, db);
  const naive = await naiveDashboard(db, driver, 365);
  const checks: [string, boolean][] = [
    ['active instances', same(stats.active, naive.active)],
    ['versions', same(sorted(asMap(stats.versions)), sorted(naive.versions))],
    ['os', same(sorted(asMap(stats.osTypes)), sorted(naive.osTypes))],
    ['node', same(sorted(asMap(stats.nodeMajors)), sorted(naive.nodeMajors))],
    ['user buckets', same(sorted(asMap(stats.distributions.users)), sorted(naive.users))],
    ['sum of users', stats.totals.users === naive.sumUsers],
    [
      'pings per day',
      same(
        stats.days.filter((d) => d.pings > 0),
        naive.days,
      ),
    ],
    ['stored pings', stats.storedPings === PINGS],
  ];
  const failed = checks.filter(([, ok]) => !ok).map(([name]) => name);
  if (failed.length) throw new Error(`${driver}: rollups and scan disagree on ${failed.join(', ')}`);
}

/** Median time of one POST /api/v1/ping through the real handler (fresh instance and sender each time). */
async function ingestMedian(db: Db, round: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < INGEST_PINGS; i++) {
    const body = JSON.stringify({
      instanceId: crypto.randomUUID(),
      os: { type: 'Linux', release: '6.1', arch: 'x64' },
      env: { nodejs: 'v20.1.0', flowforge: '1.9.0' },
      platform: { counts: { users: i, teams: 1, projects: 2 }, config: { driver: 'sqlite' } },
    });
    // Through the helper the tests use: it stamps the peer-address header the real server adds.
    const request = collectorRequest('/api/v1/ping', body, { ip: `10.${round}.${i >> 8}.${i & 255}` });
    const [took, response] = await timed(() => handlePing(request, { now: () => NOW, client: db }));
    if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    times.push(took);
  }
  return median(times);
}

interface Target {
  name: Driver;
  db: Db;
  rollup: number[];
  naive: number[];
}

let databases: SeededDatabases | undefined;
const emptySqliteFile = createSqliteFile();
let emptyPostgres: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
const targets: Target[] = [];
try {
  setConfig(loadConfig({ FLOWFORGE_CONFIG: '/nonexistent/flowforge.yml' }));
  console.log(
    `seeding ${thousands(PINGS)} pings from ${thousands(INSTANCES)} instances over ${DAYS} days,` +
      ' plus rollups, into each database...',
  );
  databases = await seededDatabases({ sqlite: seedSqlite, postgres: seedPostgres });

  for (const { driver, db } of databases.databases) targets.push({ name: driver, db, rollup: [], naive: [] });

  // Correctness first: the dashboard's figures are the scan's figures.
  for (const t of targets) await checkAgreement(t.db, t.name);
  console.log('rollup figures equal the full-scan figures on both databases');

  for (const t of targets)
    for (let i = 0; i < 2; i++) {
      await getCollectorStats({ now: NOW, retentionDays: 365 }, t.db);
      await naiveDashboard(t.db, t.name, 365);
    }
  for (let rep = 0; rep < REPS; rep++) {
    for (const t of targets) {
      const order = rep % 2 === 0 ? (['rollup', 'naive'] as const) : (['naive', 'rollup'] as const);
      for (const which of order) {
        if (which === 'rollup')
          t.rollup.push((await timed(() => getCollectorStats({ now: NOW, retentionDays: 365 }, t.db)))[0]);
        else t.naive.push((await timed(() => naiveDashboard(t.db, t.name, 365)))[0]);
      }
    }
  }

  console.log(`\n${REPS} interleaved repetitions, medians (dashboard over ${PINGS.toLocaleString('en')} pings):`);
  console.log('database    dashboard (rollups)   naive scan of pings   scan / dashboard');
  for (const t of targets) {
    const r = median(t.rollup);
    const n = median(t.naive);
    console.log(
      `${t.name.padEnd(12)}${ms(r).padStart(19)}   ${ms(n).padStart(19)}   ${(n / r).toFixed(1).padStart(14)}x`,
    );
    reportRow({
      bench: 'collector',
      figure:
        `collector dashboard (rollups) vs a scan of the pings, ${label(t.name)}, ` +
        `${thousands(PINGS)} pings (median of ${REPS})`,
      measured: `${ms(r)} vs ${ms(n)}`,
      ratio: `${(r / n).toFixed(3)}x`,
    });
  }
  // Ingest must not slow down as pings pile up: the same pings into an empty database and into the full one.
  const collectorConfig = loadConfig({ FLOWFORGE_CONFIG: '/nonexistent/flowforge.yml' });
  setConfig({
    ...collectorConfig,
    collector: { ...collectorConfig.collector, enabled: true, trustProxy: true, maxRequestsPerMinute: 1_000_000 },
  });
  const emptySqlite = emptySqliteFile.url;
  await migrate('sqlite', emptySqlite);
  emptyPostgres = await createPostgresDatabase();
  await migrate('postgres', emptyPostgres.url);
  const empties: Record<Driver, Db> = {
    sqlite: createDb({ type: 'sqlite', url: emptySqlite }),
    postgres: createDb({ type: 'postgres', url: emptyPostgres.url }),
  };
  console.log(
    `\ningest, median of ${INGEST_PINGS} sequential POST /api/v1/ping` +
      ' (validate, fingerprint, rate limit, store + rollups):',
  );
  console.log(`database    empty database   ${`${PINGS.toLocaleString('en')} pings`.padStart(15)}   full / empty`);
  let round = 0;
  for (const t of targets) {
    // Alternate empty and full twice so neither always runs first.
    const empty = [await ingestMedian(empties[t.name], ++round)];
    const full = [await ingestMedian(t.db, ++round)];
    full.push(await ingestMedian(t.db, ++round));
    empty.push(await ingestMedian(empties[t.name], ++round));
    const e = Math.min(...empty);
    const f = Math.min(...full);
    console.log(
      `${t.name.padEnd(12)}${ms(e).padStart(14)}   ${ms(f).padStart(15)}   ${(f / e).toFixed(2).padStart(11)}x`,
    );
    reportRow({
      bench: 'collector',
      figure:
        `one ping through the real handler, ${label(t.name)}: ` +
        `${thousands(PINGS)} pings stored vs an empty database`,
      measured: `${ms(f)} vs ${ms(e)}`,
      ratio: `${(f / e).toFixed(2)}x`,
    });
  }
  for (const db of Object.values(empties)) await db.$disconnect();

  console.log('\nThe dashboard reads CollectorInstance (one row per instance, lastSeenAt index) and CollectorDay');
  console.log('(one row per day), both kept up to date at ingest; its cost does not grow with the number of pings.');
} finally {
  await databases?.dispose();
  await emptyPostgres?.drop();
  emptySqliteFile.remove();
}
