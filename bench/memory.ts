// Benchmark: does telemetry cost memory, and does memory stay flat under load?
// Built servers run side by side on their own SQLite databases (admin and setup
// complete), all with the collector on: SERVERS with telemetry on (sending to a
// real loopback collector: the boot ping is awaited before measuring) and as
// many with it off. Their resident memory (RSS, process tree) is read idle,
// then after each of five equal rounds of page requests (admin pages, signed
// in) and five equal rounds of collector pings, every server getting each
// round's load, the order of on and off alternating so load on the machine
// hits both alike. Before each reading a full garbage collection is forced
// through the V8 inspector (the servers run with --inspect on loopback), so the
// figures are memory held, not garbage not yet collected: without it RSS
// saw-tooths by 100 MB under load.
// Why several servers a mode: processes of one build and one configuration
// differ by up to 20-25 MB of RSS outside the JavaScript heap (malloc arenas,
// code pages; measured with six idle servers), more than the 10 MB bound, so a
// single pair decides by chance. The median of each mode is compared.
// Targets: median on <= median off + 10 MB at every point; for every server,
// growth between the last two rounds of each phase <= 5 MB (a leak shows as
// steady growth round after round).
//
//   npm run bench:memory          (BENCH_PAGES=10000 page requests and BENCH_PINGS=100000 pings per
//                                  server, BENCH_SERVERS=3 per mode, BENCH_CONNECTIONS=8)
import { benchOptions, medianOfServers as median, reportRow, thousands } from './harness';
import { expectStatuses, sendLoad } from './load';
import { ensureBuilt, memoryAfterGc, MODES, roundOfLoad, startServerPairs, type Mode, type ServerPair } from './server';
import { samplePing } from '../tests/helpers/collector';
import { startCollector } from '../tests/helpers/ping-receiver';
import { mb } from '../tests/helpers/process-memory';

const { PAGES, PINGS, CONNECTIONS, SERVERS } = benchOptions({
  PAGES: 10_000,
  PINGS: 100_000,
  CONNECTIONS: 8,
  SERVERS: 3,
});
const ROUNDS = 5;
const EXTRA_MB = 10;
const GROWTH_MB = 5;
const ADMIN_PAGES = ['/admin', '/admin/settings', '/admin/users', '/admin/collector'];
const INSTANCES = 1000;

ensureBuilt();
const sink = await startCollector(200);
let pairs: ServerPair[] = [];
let stopServers = async () => {};
const cookies: Record<Mode, string[]> = { on: [], off: [] };
// Per mode, per server: the readings in the order of `labels`.
const rss: Record<Mode, number[][]> = { on: [], off: [] };
const heap: Record<Mode, number[][]> = { on: [], off: [] };
const labels: string[] = [];

async function sample(label: string) {
  labels.push(label);
  for (const mode of MODES)
    for (const [i, pair] of pairs.entries()) {
      const memory = await memoryAfterGc(pair[mode]);
      (heap[mode][i] ??= []).push(memory.heapUsedBytes);
      (rss[mode][i] ??= []).push(memory.rssBytes);
    }
  const line = (mode: Mode) =>
    `${rss[mode].map((readings) => mb(readings.at(-1)!).toFixed(0)).join('/')} MB ` +
    `(heap ${heap[mode].map((readings) => mb(readings.at(-1)!).toFixed(1)).join('/')})`;
  console.log(`  ${label.padEnd(16)} on ${line('on')}   off ${line('off')}`);
}

const instanceId = (i: number) => `00000000-0000-4000-8000-${String(i % INSTANCES).padStart(12, '0')}`;

try {
  ({ pairs, stop: stopServers } = await startServerPairs(
    SERVERS,
    (mode, databaseUrl) => ({
      db: { type: 'sqlite', url: databaseUrl },
      telemetry: { enabled: mode === 'on', url: sink.url },
      collector: { enabled: true, maxRequestsPerMinute: 100_000_000 },
    }),
    { inspect: true },
  ));
  // The boot ping goes out 30 s after start: wait for every "on" server's, so each has really sent.
  const deadline = Date.now() + 90_000;
  const bootPings = () => sink.received.filter((ping) => ping.body.includes('"instanceId"')).length;
  while (bootPings() < SERVERS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
  if (bootPings() < SERVERS) throw new Error(`telemetry on: ${bootPings()} of ${SERVERS} boot pings within 90 s`);
  console.log(
    `telemetry on: the boot pings reached the loopback collector (${sink.received.length} request(s) so far)`,
  );
  for (const pair of pairs) for (const mode of MODES) cookies[mode].push(await pair[mode].signIn());
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await sample('idle');

  const pagesPerRound = Math.ceil(PAGES / ROUNDS);
  for (let round = 1; round <= ROUNDS; round++) {
    await roundOfLoad(pairs, round, async (server, mode, pair) => {
      const result = await sendLoad(server.url, {
        amount: pagesPerRound,
        connections: CONNECTIONS,
        request: (i) => ({ path: ADMIN_PAGES[i % ADMIN_PAGES.length], headers: { cookie: cookies[mode][pair] } }),
      });
      expectStatuses(result, [200], `${mode}: pages`);
    });
    await sample(`pages round ${round}`);
  }

  const pingsPerRound = Math.ceil(PINGS / ROUNDS);
  for (let round = 1; round <= ROUNDS; round++) {
    await roundOfLoad(pairs, round, async (server, mode) => {
      const started = performance.now();
      const result = await sendLoad(server.url, {
        amount: pingsPerRound,
        connections: CONNECTIONS,
        request: (i) => ({
          method: 'POST',
          path: '/api/v1/ping',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(samplePing({ instanceId: instanceId(round * pingsPerRound + i) })),
        }),
      });
      expectStatuses(result, [202], `${mode}: pings`);
      const perSecond = pingsPerRound / ((performance.now() - started) / 1000);
      console.log(`    ${mode}: ${thousands(pingsPerRound)} pings at ${thousands(perSecond)}/s`);
    });
    await sample(`pings round ${round}`);
  }
} finally {
  await stopServers();
  await sink.close();
}

/** The median over a mode's servers of the reading at `label`, in MB. */
const at = (readings: Record<Mode, number[][]>, label: string, mode: Mode) =>
  mb(median(readings[mode].map((server) => server[labels.indexOf(label)])));
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} MB`;
const perServer = (mode: Mode, label: string) =>
  rss[mode].map((server) => mb(server[labels.indexOf(label)]).toFixed(0)).join(', ');
for (const [label, what] of [
  ['idle', 'idle, boot ping sent'],
  [`pages round ${ROUNDS}`, `after ${thousands(PAGES)} admin page requests`],
  [`pings round ${ROUNDS}`, `after ${thousands(PINGS)} collector pings`],
] as const) {
  const [on, off] = [at(rss, label, 'on'), at(rss, label, 'off')];
  reportRow({
    bench: 'memory',
    figure: `RSS ${what}, telemetry on vs off (SQLite, after a forced GC; median of ${SERVERS} servers each)`,
    measured:
      `${on.toFixed(1)} MB on (${perServer('on', label)}), ` + `${off.toFixed(1)} MB off (${perServer('off', label)})`,
    ratio: signed(on - off),
    target: `<= +${EXTRA_MB} MB`,
    pass: on <= off + EXTRA_MB,
  });
  // What telemetry itself holds, without the allocator's per-process spread.
  const [heapOn, heapOff] = [at(heap, label, 'on'), at(heap, label, 'off')];
  reportRow({
    bench: 'memory',
    figure: `JavaScript heap in use ${what}, telemetry on vs off (after a forced GC; median of ${SERVERS} each)`,
    measured: `${heapOn.toFixed(1)} MB on, ${heapOff.toFixed(1)} MB off`,
    ratio: signed(heapOn - heapOff),
    target: `<= +${EXTRA_MB} MB`,
    pass: heapOn <= heapOff + EXTRA_MB,
  });
}
for (const phase of ['pages', 'pings']) {
  for (const mode of MODES) {
    // The largest growth of any one server of the mode: a leak in one process is not averaged away.
    const growth = rss[mode].map((server) => {
      const round = (n: number) => mb(server[labels.indexOf(`${phase} round ${n}`)]);
      return {
        before: round(ROUNDS - 1),
        last: round(ROUNDS),
        series: Array.from({ length: ROUNDS }, (_, i) => round(i + 1)),
      };
    });
    const worst = growth.reduce((a, b) => (b.last - b.before > a.last - a.before ? b : a));
    reportRow({
      bench: 'memory',
      figure:
        `RSS growth over the last of ${ROUNDS} equal rounds of ${phase}, telemetry ${mode}, ` +
        `the server that grew most of ${SERVERS} ` +
        `(MB after each round: ${worst.series.map((x) => x.toFixed(0)).join(', ')})`,
      measured: `${worst.before.toFixed(1)} -> ${worst.last.toFixed(1)} MB`,
      ratio: signed(worst.last - worst.before),
      target: `<= +${GROWTH_MB} MB`,
      pass: worst.last - worst.before <= GROWTH_MB,
    });
  }
}
