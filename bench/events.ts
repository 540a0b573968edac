// Benchmark: do usage events cost request latency or memory? Built servers run side by side on
// their own SQLite databases (admin signed in, setup complete): SERVERS with events on, each
// sending to a loopback PostHog receiver of its own, and as many with telemetry off, each
// pointed at a receiver of its own too (which must stay empty); the receivers run in a child
// process (bench/events-sink.mjs). Why several servers a mode:
// identical servers of one build differ by up to 23 MB of RSS and by more than 5 % in p99, so a
// single pair decides the bounds by chance (docs/architecture.md, "Several servers a mode").
// Measured after the "on" servers' boot pings are out, in rounds: in each round every server
// gets its share, one after the other, the order of on and off alternating by round and by
// pair, so load on the machine hits both modes alike:
//   1. p50/p99 of REQUESTS requests a mode to one page (/admin/projects, signed in), the
//      latencies of a mode's servers pooled (the page records no event: a control);
//   2. the same for a server action that records an event on "on" (deleteProjectAction for a
//      project that does not exist: action_error);
//   3. RSS (process tree) after EVENTS such events per server (the rest after step 2 sent to
//      both servers of a pair at once, not measured), once every event has reached the
//      receiver, read after a forced full GC (V8 inspector, as bench:memory); the median of
//      each mode is compared.
// Checked on the way: every "on" server's receiver gets every event; no "off" server sends a
// single request (no ping, no batch).
// Targets: p99 on/off <= 1.05 for both kinds of request; RSS median on <= median off + 10 MB.
//
//   npm run bench:events   (BENCH_REQUESTS=2000 a mode, BENCH_EVENTS=10000 per server,
//                           BENCH_SERVERS=3 per mode, BENCH_CONNECTIONS=4, BENCH_ROUNDS=40)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { benchOptions, medianOfServers, percentile, reportRow, thousands } from './harness';
import { expectStatuses, sendLoad, type LoadRequest } from './load';
import {
  BENCH_DIST_DIR,
  ensureBuilt,
  memoryAfterGc,
  MODES,
  ROOT,
  roundOfLoad,
  startServerPairs,
  type Mode,
  type PairedServer,
  type ServerPair,
} from './server';
import { mb } from '../tests/helpers/process-memory';

const { REQUESTS, EVENTS, CONNECTIONS, SERVERS, ROUNDS } = benchOptions({
  REQUESTS: 2_000,
  EVENTS: 10_000,
  CONNECTIONS: 4,
  SERVERS: 3,
  // Short turns (~17 requests a server at the defaults), so a burst of load from another process
  // spans turns of both modes rather than falling on one server's.
  ROUNDS: 40,
});
const P99_RATIO = 1.05;
const EXTRA_MB = 10;
const PAGE = '/admin/projects';
// A page whose bundle holds the action (Next answers 409 "Server Action unavailable" elsewhere).
const ACTION_PAGE = '/admin/projects/no-such-project/delete';

ensureBuilt();

/** The id Next gave a server action, read from the build's manifest. */
function actionId(exportedName: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(ROOT, BENCH_DIST_DIR, 'server/server-reference-manifest.json'), 'utf8'),
  ) as { node: Record<string, { exportedName?: string }> };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === exportedName);
  if (!found) throw new Error(`no server action ${exportedName} in the build`);
  return found[0];
}

// A form post without JavaScript: Next finds the action by the $ACTION_ID_ field (no Next-Action header).
const DELETE_PROJECT = actionId('deleteProjectAction');
const boundary = 'flowforgebench';
const actionBody = [
  `--${boundary}\r\nContent-Disposition: form-data; name="$ACTION_ID_${DELETE_PROJECT}"\r\n\r\n\r\n`,
  `--${boundary}\r\nContent-Disposition: form-data; name="id"\r\n\r\nno-such-project\r\n`,
  `--${boundary}--\r\n`,
].join('');

type PerMode<T> = Record<Mode, T>;
const perMode = <T>(make: () => T): PerMode<T> => ({ on: make(), off: make() });

// One receiver per server, so each server's events are counted apart; all in a process of their
// own (bench/events-sink.mjs), so this process's load generator does no work for "on" alone.
interface Receiver {
  host: string;
  counts(): Promise<{ requests: number; pings: number; events: Record<string, number> }>;
}
const sink = spawn(process.execPath, [path.join(ROOT, 'bench/events-sink.mjs')], {
  env: { ...process.env, BENCH_SINKS: String(2 * SERVERS) },
  stdio: ['pipe', 'pipe', 'inherit'],
});
const ports = JSON.parse(
  await new Promise<string>((resolve) => sink.stdout!.once('data', (chunk) => resolve(String(chunk)))),
) as number[];
const receivers: PerMode<Receiver[]> = perMode(() => []);
for (const [i, port] of ports.entries()) {
  const host = `http://127.0.0.1:${port}`;
  receivers[MODES[i % 2]].push({ host, counts: async () => (await fetch(`${host}/counts`)).json() });
}
let pairs: ServerPair[] = [];
let stopServers = async () => {};
const cookies: PerMode<string[]> = perMode(() => []);
// Per mode, per server: the measured latencies, and the event-producing requests sent.
const latencies = { page: perMode(() => [] as number[][]), action: perMode(() => [] as number[][]) };
const actionsSent: PerMode<number[]> = perMode(() => Array<number>(SERVERS).fill(0));

const receivedAll = async (mode: Mode, event: string) =>
  Promise.all(receivers[mode].map(async (receiver) => (await receiver.counts()).events[event] ?? 0));
const allReceived = async () => (await receivedAll('on', 'action_error')).every((n, i) => n >= actionsSent.on[i]);

const pageRequest = (mode: Mode, i: number) => (): LoadRequest => ({
  path: PAGE,
  headers: { cookie: cookies[mode][i] },
});
const actionRequest = (server: PairedServer, mode: Mode, i: number) => (): LoadRequest => ({
  method: 'POST',
  path: ACTION_PAGE,
  headers: {
    cookie: cookies[mode][i],
    origin: server.url,
    'content-type': `multipart/form-data; boundary=${boundary}`,
  },
  body: actionBody,
});

/**
 * `perServer(i)` requests to each server (of the pair i) in ROUNDS rounds (see roundOfLoad);
 * latencies kept when `keep`. Not kept: the two servers of a pair are loaded at the same time
 * (the same load for both modes, in about half the time).
 */
async function inRounds(kind: 'page' | 'action', perServer: (pair: number) => number, keep: boolean) {
  const started = performance.now();
  const total = 2 * Array.from({ length: SERVERS }, (_, i) => perServer(i)).reduce((a, b) => a + b, 0);
  const rounds = keep ? ROUNDS : 1;
  for (let round = 0; round < rounds; round++)
    await (keep ? roundOfLoad : sideBySide)(pairs, round, async (server, mode, i) => {
      const share = perServer(i);
      const amount = Math.floor(((round + 1) * share) / rounds) - Math.floor((round * share) / rounds);
      if (amount <= 0) return;
      const result = await sendLoad(server.url, {
        amount,
        connections: CONNECTIONS,
        request: kind === 'page' ? pageRequest(mode, i) : actionRequest(server, mode, i),
      });
      // The action answers with a redirect to the project list (303).
      expectStatuses(result, kind === 'page' ? [200] : [303], `${mode} server ${i + 1}: ${kind}`);
      if (keep) (latencies[kind][mode][i] ??= []).push(...result.latenciesMs);
      if (kind === 'action') actionsSent[mode][i] += amount;
    });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `  ${thousands(total)} ${kind} requests${keep ? '' : ' (not measured)'} in ${seconds.toFixed(0)} s, ` +
      `load average ${loadAverage()}`,
  );
}

const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Both servers of each pair at the same time, pair after pair. */
async function sideBySide(
  pairs: ServerPair[],
  _round: number,
  load: (server: PairedServer, mode: Mode, pair: number) => Promise<void>,
) {
  for (const [i, pair] of pairs.entries()) await Promise.all(MODES.map((mode) => load(pair[mode], mode, i)));
}

/** Waits until `done()` or `ms` have passed; says whether it is done. */
async function waitUntil(done: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await done()) && Date.now() < deadline) await sleep(250);
  return done();
}

const list = (xs: number[], digits = 0) => xs.map((x) => x.toFixed(digits)).join(', ');

try {
  ({ pairs, stop: stopServers } = await startServerPairs(
    SERVERS,
    (mode, databaseUrl, i) => ({
      db: { type: 'sqlite', url: databaseUrl },
      // The same kind of target for both; only the switch differs.
      telemetry: { enabled: mode === 'on', url: `${receivers[mode][i].host}/ping` },
    }),
    { env: { CI: 'false' }, inspect: true },
  ));
  for (const [i, pair] of pairs.entries()) for (const mode of MODES) cookies[mode][i] = await pair[mode].signIn();

  // Warm every server up (compilation caches, database pages), then wait for the "on" servers'
  // boot pings (30 s after start) and for a flush interval (10 s), so neither falls in a measurement.
  await inRounds('page', () => 100, false);
  await inRounds('action', () => 100, false);
  const bootPings = async () => (await Promise.all(receivers.on.map((r) => r.counts()))).filter((c) => c.pings > 0);
  if (!(await waitUntil(async () => (await bootPings()).length === SERVERS, 90_000)))
    throw new Error(`events on: ${(await bootPings()).length} of ${SERVERS} boot pings within 90 s`);
  if (!(await waitUntil(allReceived, 30_000)))
    throw new Error(
      `events on: action_error events received ${list(await receivedAll('on', 'action_error'))} ` +
        `of ${list(actionsSent.on)} sent within 30 s of the warm-up`,
    );
  console.log(
    `events on: the boot pings and every warm-up event (${list(await receivedAll('on', 'action_error'))}) ` +
      `reached the receivers`,
  );

  const perServer = (pair: number) =>
    Math.floor(((pair + 1) * REQUESTS) / SERVERS) - Math.floor((pair * REQUESTS) / SERVERS);
  await inRounds('page', perServer, true);
  await inRounds('action', perServer, true);
  // The rest of the EVENTS per server, not measured.
  const sentSoFar = [...actionsSent.on];
  await inRounds('action', (i) => Math.max(0, EVENTS - sentSoFar[i]), false);
  // Every event out (batches of 100, or every 10 s), then memory after a forced GC.
  const allOut = await waitUntil(allReceived, 60_000);
  await sleep(2_000);
  const memory = perMode(() => [] as Array<{ rssBytes: number; heapUsedBytes: number }>);
  for (const [i, pair] of pairs.entries()) for (const mode of MODES) memory[mode][i] = await memoryAfterGc(pair[mode]);

  const receivedOn = await receivedAll('on', 'action_error');
  const offRequests = await Promise.all(receivers.off.map(async (receiver) => (await receiver.counts()).requests));
  console.log(
    `events on: ${list(actionsSent.on)} event-producing requests per server, ` +
      `${list(receivedOn)} action_error events received; off: ${list(offRequests)} requests received`,
  );
  reportRow({
    bench: 'events',
    figure: `events delivered: action_error received of requests sent, per "on" server; requests from "off" servers`,
    measured:
      `on ${receivedOn.map((n, i) => `${thousands(n)}/${thousands(actionsSent.on[i])}`).join(', ')}; ` +
      `off ${list(offRequests)}`,
    target: 'all on, none off',
    pass: allOut && receivedOn.every((n, i) => n === actionsSent.on[i]) && offRequests.every((n) => n === 0),
  });

  for (const kind of ['page', 'action'] as const) {
    const pooled = perMode(() => [] as number[]);
    for (const mode of MODES) pooled[mode] = latencies[kind][mode].flat();
    const perServerP = (mode: Mode, p: number) => list(latencies[kind][mode].map((xs) => percentile(xs, p)));
    const what = kind === 'page' ? `GET ${PAGE}` : 'a server action that records an event (action_error)';
    const count =
      `${thousands(pooled.on.length)} / ${thousands(pooled.off.length)} requests ` +
      `(${SERVERS} servers a mode, pooled)`;
    for (const p of [50, 99]) {
      const [on, off] = [percentile(pooled.on, p), percentile(pooled.off, p)];
      reportRow({
        bench: 'events',
        figure: `p${p} of ${count}, ${what}, events on vs off`,
        measured:
          `${on.toFixed(1)} ms on (servers ${perServerP('on', p)}), ` +
          `${off.toFixed(1)} ms off (servers ${perServerP('off', p)})`,
        ratio: `${(on / off).toFixed(2)}x`,
        ...(p === 99 ? { target: `<= ${P99_RATIO}x`, pass: on / off <= P99_RATIO } : {}),
      });
    }
  }

  const medianMb = (mode: Mode, key: 'rssBytes' | 'heapUsedBytes') =>
    mb(medianOfServers(memory[mode].map((m) => m[key])));
  const servers = (mode: Mode, key: 'rssBytes' | 'heapUsedBytes') =>
    list(
      memory[mode].map((m) => mb(m[key])),
      key === 'rssBytes' ? 0 : 1,
    );
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} MB`;
  const [rssOn, rssOff] = [medianMb('on', 'rssBytes'), medianMb('off', 'rssBytes')];
  reportRow({
    bench: 'events',
    figure:
      `RSS after ${thousands(EVENTS)} events per server, events on vs off ` +
      `(after a forced GC; median of ${SERVERS} servers each)`,
    measured:
      `${rssOn.toFixed(1)} MB on (${servers('on', 'rssBytes')}), ` +
      `${rssOff.toFixed(1)} MB off (${servers('off', 'rssBytes')})`,
    ratio: signed(rssOn - rssOff),
    target: `<= +${EXTRA_MB} MB`,
    pass: rssOn <= rssOff + EXTRA_MB,
  });
  // What the events themselves hold, without the allocator's per-process spread.
  const [heapOn, heapOff] = [medianMb('on', 'heapUsedBytes'), medianMb('off', 'heapUsedBytes')];
  reportRow({
    bench: 'events',
    figure:
      `JavaScript heap in use after those events, events on vs off ` + `(after a forced GC; median of ${SERVERS} each)`,
    measured:
      `${heapOn.toFixed(1)} MB on (${servers('on', 'heapUsedBytes')}), ` +
      `${heapOff.toFixed(1)} MB off (${servers('off', 'heapUsedBytes')})`,
    ratio: signed(heapOn - heapOff),
  });
} finally {
  await stopServers();
  sink.kill();
}
