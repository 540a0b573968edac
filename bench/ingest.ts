// Benchmark: collector ingest throughput against the bare route, on SQLite and
// PostgreSQL, in one run. A built server (next start) per database, collector
// on, limits out of the way; the harness's keep-alive load generator with 10
// connections on loopback, the runs interleaved (bare, pings, batches, twice)
// and the better of the two kept for each figure, so load from other work on
// the machine hits all alike.
//   bare:    GET /api/v1/ping (405 from the same route: routing, no work)
//   refused: POST /api/v1/ping with a ping-sized body that is not JSON (400): reading the body,
//            the admission checks and a JSON reason, nothing checked or stored; printed without
//            a target, as what Next.js's POST path costs with a body in the answer
//   pings:   POST /api/v1/ping, a fresh instance id each (202 = committed; no body in the answer)
//   batches: POST /batch/ with 50 PostHog events, fresh uuids (200 = committed)
// Targets: pings >= 0.5x the bare route's requests/s; >= 5,000 events/s.
//
//   npm run bench:ingest     (BENCH_CONNECTIONS=10)
import { randomUUID } from 'node:crypto';
import { createPostgresDatabase, createSqliteFile } from '../tests/helpers/databases';
import { benchOptions, reportRow, thousands } from './harness';
import { sendLoad } from './load';
import { ensureBuilt, startBuiltServer, type BuiltServer } from './server';
import { samplePing } from '../tests/helpers/collector';

const { CONNECTIONS } = benchOptions({ CONNECTIONS: 10 });
const EVENTS_PER_BATCH = 50;

type Driver = 'sqlite' | 'postgres';
interface Run {
  rps: number;
  ok: number;
  other: number;
}

const AMOUNT = { bare: 4000, refused: 3000, pings: 3000, batches: 600 };
type Kind = keyof typeof AMOUNT;

function body(kind: Exclude<Kind, 'bare'>): string {
  // A ping with its closing brace cut off: as long as a ping, refused by JSON.parse.
  if (kind === 'refused') return JSON.stringify(samplePing({ instanceId: randomUUID() })).slice(0, -1);
  return JSON.stringify(
    kind === 'pings'
      ? samplePing({ instanceId: randomUUID() })
      : {
          api_key: 'bench',
          batch: Array.from({ length: EVENTS_PER_BATCH }, (_, i) => ({
            event: i % 5 === 0 ? 'server_heartbeat' : 'cli_command',
            distinct_id: 'bench-instance',
            uuid: randomUUID(),
            properties: { command: `c${i % 7}`, success: true, duration_ms: 12, is_ci: false },
          })),
        },
  );
}

const EXPECTED: Record<Kind, number> = { bare: 405, refused: 400, pings: 202, batches: 200 };

async function load(url: string, kind: Kind, scale = 1): Promise<Run> {
  // Bodies are built before the clock starts, so the load generator's own work is not in the figure.
  const amount = Math.round(AMOUNT[kind] * scale);
  const bodies = kind === 'bare' ? [] : Array.from({ length: amount }, () => body(kind));
  const result = await sendLoad(url, {
    amount,
    connections: CONNECTIONS,
    request: (i) =>
      kind === 'bare'
        ? { path: '/api/v1/ping' }
        : {
            method: 'POST',
            path: kind === 'batches' ? '/batch/' : '/api/v1/ping',
            headers: { 'content-type': 'application/json' },
            body: bodies[i],
          },
  });
  const expected = result.statuses.get(EXPECTED[kind]) ?? 0;
  return { rps: expected / result.seconds, ok: expected, other: amount - expected };
}

async function serverFor(driver: Driver): Promise<{ server: BuiltServer; cleanup(): Promise<void> }> {
  const { migrate } = await import('../lib/migrate');
  const { createDb } = await import('../lib/db-client');
  const { seedUser } = await import('../tests/e2e/platform');
  let url: string;
  let cleanup: () => Promise<void>;
  if (driver === 'sqlite') {
    const file = createSqliteFile();
    url = file.url;
    cleanup = async () => file.remove();
  } else {
    const database = await createPostgresDatabase();
    url = database.url;
    cleanup = () => database.drop();
  }
  await migrate(driver, url);
  const db = createDb({ type: driver, url } as Parameters<typeof createDb>[0]);
  await seedUser(db, { email: 'bench-admin@example.com', name: 'Bench Admin', role: 'admin' });
  await db.$disconnect();
  const server = await startBuiltServer({
    db: { type: driver, url },
    telemetry: { enabled: false },
    collector: {
      enabled: true,
      maxRequestsPerMinute: 1_000_000_000,
      maxEventsPerMinute: 1_000_000_000,
      maxBytesPerMinute: 1_000_000_000_000,
    },
  });
  return {
    server,
    cleanup: async () => {
      await server.stop();
      await cleanup();
    },
  };
}

ensureBuilt();
for (const driver of ['sqlite', 'postgres'] as const) {
  const { server, cleanup } = await serverFor(driver);
  try {
    // Warm-up: first compiles of the route and the first connections.
    await load(server.url, 'pings', 0.2);
    await load(server.url, 'bare', 0.2);
    const best = { bare: [] as Run[], refused: [] as Run[], pings: [] as Run[], batches: [] as Run[] };
    for (let round = 0; round < 2; round++)
      for (const kind of ['bare', 'refused', 'pings', 'batches'] as const)
        best[kind].push(await load(server.url, kind));
    const top = (runs: Run[]) => runs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const bare = top(best.bare);
    const refused = top(best.refused);
    const pings = top(best.pings);
    const batches = top(best.batches);
    const name = driver === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const ratio = pings.rps / bare.rps;
    reportRow({
      bench: 'ingest',
      figure: `${name}: pings vs bare route, ${CONNECTIONS} connections`,
      measured:
        `${thousands(pings.rps)} pings/s vs ${thousands(bare.rps)} req/s bare ` +
        `(other answers: ${pings.other + bare.other})`,
      ratio: `${ratio.toFixed(2)}x`,
      target: '>= 0.5x',
      pass: ratio >= 0.5 && pings.other === 0,
    });
    reportRow({
      bench: 'ingest',
      figure: `${name}: refused POSTs (not JSON, 400 with a JSON reason) vs bare route`,
      measured: `${thousands(refused.rps)} vs ${thousands(bare.rps)} req/s bare (other answers: ${refused.other})`,
      ratio: `${(refused.rps / bare.rps).toFixed(2)}x`,
    });
    const events = batches.rps * EVENTS_PER_BATCH;
    reportRow({
      bench: 'ingest',
      figure: `${name}: /batch/ with ${EVENTS_PER_BATCH} events`,
      measured: `${thousands(events)} events/s (${thousands(batches.rps)} requests/s, other answers: ${batches.other})`,
      target: '>= 5,000 events/s',
      pass: events >= 5000 && batches.other === 0,
    });
  } finally {
    await cleanup();
  }
}
