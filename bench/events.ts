// Benchmark: do usage events cost request latency or memory? Built servers run side by side on
// their own SQLite databases (admin signed in, setup complete): SERVERS with events on, each
// sending to a loopback PostHog receiver of its own, and as many with telemetry off, each
// pointed at a receiver of its own too (which must stay empty); the receivers run in a child
// process (bench/events-sink.mjs). Why several servers a mode:
// identical servers of one build differ by up to 23 MB of RSS and by more than 5 % in p99, so a
// single pair decides the bounds by chance (docs/architecture.md, "Several servers a mode").
// Measured after the "on" servers' boot pings are out, in rounds: in each round every pair gets
// three turns, in every order in turn (by round and pair), so load on the machine hits all
// three alike and none always follows another: the "on" server with events on; the same
// server with telemetry switched off in its database, as another replica would (an action
// turn starts once the server's kept copy of the setting has expired); the "off" server.
//   1. p50/p99 of REQUESTS requests a turn kind to one page (/admin/projects, signed in) on each
//      server, the latencies of the servers pooled (the page records no event: a control);
//   2. the same for a server action that records an event when on (deleteProjectAction for a
//      project that does not exist: action_error);
//   Each measured turn starts with a full collection in its server (gc(), not timed), so no turn
//   pays for garbage that the turns before it made. Without it the servers' own full
//   collections (one every ~16 s of this load, each putting 40-50 ms into the turn it fell in)
//   fell mostly into the action's "on" turns (31 of 39 in one run), and a run's p99 ratio said
//   where they fell more than what events cost (docs/architecture.md). What a turn adds to the
//   old generation, the garbage that decides how often a server that stays in one state collects,
//   is printed per state.
//   The ratio with a target is on vs switched off: the same processes in both states, so what
//   differs is the events alone. On vs the "off" servers is printed too; identical server
//   processes differ in p99 by 5-10 % between them (docs/architecture.md), which that ratio
//   carries on top of whatever events cost.
//   3. RSS (process tree) after EVENTS such events per server (the rest after step 2 sent to
//      both servers of a pair at once, not measured, so that both got as many requests of each
//      kind), once every event has reached the receiver, read after a forced full GC (V8
//      inspector, as bench:memory), and before the measured requests the same way: what each
//      server grew by, on minus off for each pair, median of the pairs (identical processes
//      differ by tens of MB before any event; the growth leaves that out). The absolute RSS of
//      each mode is printed too.
// Printed beside them, without a target: each turn kind's server CPU per request (/proc, process
// trees, over the measured turns), which says whether a latency gap is work or timing; and for
// each p99 ratio, its 90 % interval from resampling whole rounds, which says how much of the
// ratio is which rounds happened to hold the slow moments.
// Checked on the way: every event sent while on reaches the "on" server's receiver, or is withheld
// because its batch left after a turn had switched the server off (Admin Settings counts those);
// no "off" server sends a single request (no ping, no batch).
// Targets: p99 on/switched off <= 1.05 for both kinds of request; RSS growth on <= growth off + 10 MB
// (median of the pairs).
//
//   npm run bench:events   (BENCH_REQUESTS=2000 a turn kind per server, BENCH_EVENTS=10000 per server,
//                           BENCH_SERVERS=3 per mode, BENCH_CONNECTIONS=4, BENCH_ROUNDS=42;
//                           BENCH_DUMP=file writes every measured latency, by round, pair and turn)
import { spawn } from 'node:child_process';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { benchOptions, medianOfServers, percentile, reportRow, thousands } from './harness';
import { expectStatuses, sendLoad, type LoadRequest } from './load';
import {
  BENCH_DIST_DIR,
  ensureBuilt,
  fullCollection,
  oldGenerationInUse,
  memoryAfterGc,
  MODES,
  ROOT,
  startServerPairs,
  type Mode,
  type PairedServer,
  type ServerPair,
} from './server';
import { mb, treeCpuSeconds } from '../tests/helpers/process-memory';
import type { Db } from '../lib/db';
import { EVENTS_SETTING_MAX_AGE_MS } from '../lib/events/setting';

const { REQUESTS, EVENTS, CONNECTIONS, SERVERS, ROUNDS } = benchOptions({
  REQUESTS: 2_000,
  EVENTS: 10_000,
  CONNECTIONS: 4,
  SERVERS: 3,
  // Short turns (~48 requests at the defaults), so a burst of load from another process
  // spans turns of every kind rather than falling on one; 42: every order of the turns 7 times.
  ROUNDS: 42,
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
  counts(): Promise<{ requests: number; pings: number; events: Record<string, number>; duplicates: number }>;
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

// The three turns of a measured round (see the header).
const TURNS = ['on', 'switched off', 'off'] as const;
type Turn = (typeof TURNS)[number];
const serverOf = (pair: ServerPair, turn: Turn) => (turn === 'off' ? pair.off : pair.on);
const modeOf = (turn: Turn): Mode => (turn === 'off' ? 'off' : 'on');
// Every order of the three, in turn: each kind of turn follows each other kind as often. A mere
// rotation put "switched off" right after "on", on the same warm server, in 2 of 3 rounds and
// never the other way round (the action's p50 read 1.03-1.11x from that alone).
const ORDERS: Turn[][] = TURNS.flatMap((a) =>
  TURNS.filter((b) => b !== a).flatMap((b) => TURNS.filter((c) => c !== a && c !== b).map((c) => [a, b, c])),
);
const turnsInRound = (round: number): Turn[] => ORDERS[round % ORDERS.length];

// Per kind, per (round, pair) block (index round * SERVERS + pair): each turn's measured
// latencies. The pooled and per-server percentiles and the p99 ratio's interval all read these.
// Per mode, per server: requests sent of each kind, and (on) the event-producing requests sent
// while events were on.
const perTurn = <T>(make: () => T) => Object.fromEntries(TURNS.map((turn) => [turn, make()])) as Record<Turn, T>;
const blocks = { page: [] as Record<Turn, number[]>[], action: [] as Record<Turn, number[]>[] };
const sent = {
  page: perMode(() => Array<number>(SERVERS).fill(0)),
  action: perMode(() => Array<number>(SERVERS).fill(0)),
};
const eventsSent = Array<number>(SERVERS).fill(0);
// Per turn kind: the servers' CPU (process trees, every thread) over the measured turns, and the
// requests of those turns. Read after the wait that follows an action turn, so the events the
// turn's last requests queued are in it.
interface CpuTally {
  seconds: number;
  requests: number;
}
const noCpu = (): CpuTally => ({ seconds: 0, requests: 0 });
const cpu = { page: perTurn(noCpu), action: perTurn(noCpu) };
// Per turn kind: how much each measured turn grew the old generation, from the full collection
// before it to its end (garbage that survived scavenges included): how often full collections
// would come in a server that stayed in that state.
const oldGrown = { page: perTurn((): number[] => []), action: perTurn((): number[] => []) };

// The "on" servers' own databases, to switch telemetry as another replica would (no audit entry).
let databases: Db[] = [];
async function setTelemetry(pair: number, enabled: boolean) {
  const key = 'telemetry.enabled';
  const value = String(enabled);
  await databases[pair].setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}

const receivedAll = async (mode: Mode, event: string) =>
  Promise.all(receivers[mode].map(async (receiver) => (await receiver.counts()).events[event] ?? 0));

/**
 * Events an "on" server withheld: queued while on, their batch leaving after a turn had switched
 * telemetry off (as it should be). Read from the server's own Admin Settings.
 */
async function withheldOf(i: number): Promise<number> {
  const page = await fetch(`${pairs[i].on.url}/admin/settings`, { headers: { cookie: cookies.on[i] } });
  const match = /data-testid="events-withheld"[^>]*>(\d+)</.exec(await page.text());
  if (!match) throw new Error(`"on" server ${i + 1}: no withheld count on /admin/settings (${page.status})`);
  return Number(match[1]);
}
const withheldAll = () => Promise.all(pairs.map((_, i) => withheldOf(i)));
/** Every event sent while on has either reached the receiver or been withheld. */
const allAccountedFor = async () => {
  const [received, withheld] = await Promise.all([receivedAll('on', 'action_error'), withheldAll()]);
  return received.every((n, i) => n + withheld[i] >= eventsSent[i]);
};

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

/** `amount` requests of `kind` to a server (counted in `sent`); the latencies. */
async function load(kind: 'page' | 'action', server: PairedServer, mode: Mode, i: number, amount: number) {
  if (amount <= 0) return [];
  const result = await sendLoad(server.url, {
    amount,
    connections: CONNECTIONS,
    request: kind === 'page' ? pageRequest(mode, i) : actionRequest(server, mode, i),
  });
  // The action answers with a redirect to the project list (303).
  expectStatuses(result, kind === 'page' ? [200] : [303], `${mode} server ${i + 1}: ${kind}`);
  sent[kind][mode][i] += amount;
  return result.latenciesMs;
}

const report = (kind: string, total: number, started: number, measured: boolean) =>
  console.log(
    `  ${thousands(total)} ${kind} requests${measured ? '' : ' (not measured)'} in ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s, load average ${loadAverage()}`,
  );

/**
 * Measured: `perServer(i)` requests of `kind` a turn kind to the pair i, spread over ROUNDS
 * rounds of three turns (see the header). The "on" servers are left with events on.
 */
async function measuredRounds(kind: 'page' | 'action', perServer: (pair: number) => number) {
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, pair] of pairs.entries())
      for (const turn of turnsInRound(round + i)) {
        const share = perServer(i);
        const amount = Math.floor(((round + 1) * share) / ROUNDS) - Math.floor((round * share) / ROUNDS);
        if (turn !== 'off') await setTelemetry(i, turn === 'on');
        // Written straight to the database, as another replica would: the server's kept setting
        // may be up to its max age old, so an action turn starts once no copy from before is left.
        if (kind === 'action' && turn !== 'off') await sleep(EVENTS_SETTING_MAX_AGE_MS + 50);
        const server = serverOf(pair, turn);
        // Every turn starts from a collected heap, so none pays for garbage the turns before it made
        // (see the header); what the turn itself adds to the old generation is read at its end.
        const oldAtStart = await fullCollection(server.inspectPort!);
        const cpuBefore = treeCpuSeconds(server.pid);
        const measured = await load(kind, server, modeOf(turn), i, amount);
        oldGrown[kind][turn].push((await oldGenerationInUse(server.inspectPort!)) - oldAtStart);
        (blocks[kind][round * SERVERS + i] ??= perTurn((): number[] => []))[turn] = measured;
        if (kind === 'action' && turn === 'on') eventsSent[i] += amount;
        // An event is checked against the setting just after its response: let the last ones of
        // the turn read the setting it was measured with before the next turn switches it (runs
        // without this wait counted 1-2 events of 10,000 in the other state).
        if (kind === 'action' && turn !== 'off') await sleep(100);
        cpu[kind][turn].seconds += treeCpuSeconds(server.pid) - cpuBefore;
        cpu[kind][turn].requests += amount;
      }
  for (const i of pairs.keys()) await setTelemetry(i, true);
  await sleep(EVENTS_SETTING_MAX_AGE_MS + 50);
  const total = 3 * Array.from({ length: SERVERS }, (_, i) => perServer(i)).reduce((a, b) => a + b, 0);
  report(kind, total, started, true);
}

const RESAMPLES = 1_000;

/**
 * How far the p99 ratio on vs switched off moves with which rounds happened to hold the slow
 * moments: the ratio over RESAMPLES draws of the (round, pair) blocks with replacement, each
 * block's two turns kept together (they ran back to back on one server), 5th to 95th percentile.
 * Whole blocks, not single requests: slow requests come in clusters (docs/architecture.md), so
 * requests are not independent draws and resampling them one by one would read too narrow.
 */
function p99RatioInterval(kindBlocks: Record<Turn, number[]>[]): [number, number] {
  // Seeded, so the same latencies always give the same interval.
  const random = xoroshiro128plus(1);
  const ratios: number[] = [];
  for (let draw = 0; draw < RESAMPLES; draw++) {
    const on: number[] = [];
    const switchedOff: number[] = [];
    for (let n = 0; n < kindBlocks.length; n++) {
      const block = kindBlocks[uniformInt(random, 0, kindBlocks.length - 1)];
      on.push(...block.on);
      switchedOff.push(...block['switched off']);
    }
    ratios.push(percentile(on, 99) / percentile(switchedOff, 99));
  }
  return [percentile(ratios, 5), percentile(ratios, 95)];
}

/** Not measured: both servers of each pair at once, pair after pair, `amount(mode, i)` requests each. */
async function sideBySide(kind: 'page' | 'action', amount: (mode: Mode, pair: number) => number) {
  const started = performance.now();
  let total = 0;
  for (const [i, pair] of pairs.entries())
    await Promise.all(
      MODES.map(async (mode) => {
        const n = amount(mode, i);
        total += Math.max(0, n);
        await load(kind, pair[mode], mode, i, n);
        if (kind === 'action' && mode === 'on') eventsSent[i] += Math.max(0, n);
      }),
    );
  report(kind, total, started, false);
}

const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
      // The same kind of target for both; only the switch differs. On: the database decides (no
      // telemetry.enabled here), so a turn can switch it off; off: flowforge.yml locks it off.
      telemetry: { ...(mode === 'off' ? { enabled: false } : {}), url: `${receivers[mode][i].host}/ping` },
    }),
    { env: { CI: 'false' }, inspect: true },
  ));
  for (const [i, pair] of pairs.entries()) for (const mode of MODES) cookies[mode][i] = await pair[mode].signIn();
  const { createDb } = await import('../lib/db-client');
  databases = pairs.map((pair) => createDb({ type: 'sqlite', url: pair.on.databaseUrl }));
  for (const i of pairs.keys()) await setTelemetry(i, true);

  // Warm every server up (compilation caches, database pages), then wait for the "on" servers'
  // boot pings (30 s after start) and for a flush interval (10 s), so neither falls in a measurement.
  await sideBySide('page', () => 100);
  await sideBySide('action', () => 100);
  const bootPings = async () => (await Promise.all(receivers.on.map((r) => r.counts()))).filter((c) => c.pings > 0);
  if (!(await waitUntil(async () => (await bootPings()).length === SERVERS, 90_000)))
    throw new Error(`events on: ${(await bootPings()).length} of ${SERVERS} boot pings within 90 s`);
  if (!(await waitUntil(allAccountedFor, 30_000)))
    throw new Error(
      `events on: action_error events received ${list(await receivedAll('on', 'action_error'))} ` +
        `of ${list(eventsSent)} sent within 30 s of the warm-up`,
    );
  console.log(
    `events on: the boot pings and every warm-up event (${list(await receivedAll('on', 'action_error'))}) ` +
      `reached the receivers`,
  );

  // Each server's memory before the measured requests (after the same warm-up, a forced GC): the
  // bound is on what the events add, growth on vs growth off, because identical server processes
  // already differ by up to 23 MB of RSS before any event (docs/architecture.md).
  const before = perMode(() => [] as Array<{ rssBytes: number; heapUsedBytes: number }>);
  for (const [i, pair] of pairs.entries()) for (const mode of MODES) before[mode][i] = await memoryAfterGc(pair[mode]);

  // REQUESTS to each server in each state, pooled over the servers: the p99 of a turn kind rests
  // on SERVERS times as many requests. With 2,000 split between 3 servers the p99 was decided by
  // 20 answers, and a control page that does nothing different read 0.97-1.12x by chance.
  const perServer = () => REQUESTS;
  await measuredRounds('page', perServer);
  await measuredRounds('action', perServer);
  // The rest of the EVENTS per "on" server, not measured; the "off" server of the pair gets as
  // many requests of each kind as its "on" server got in all.
  const moreEvents = eventsSent.map((n) => Math.max(0, EVENTS - n));
  const morePages = sent.page.on.map((n, i) => n - sent.page.off[i]);
  const moreActions = sent.action.on.map((n, i) => n + moreEvents[i] - sent.action.off[i]);
  await sideBySide('page', (mode, i) => (mode === 'on' ? 0 : morePages[i]));
  await sideBySide('action', (mode, i) => (mode === 'on' ? moreEvents[i] : moreActions[i]));
  // Every event out (batches of 100, or every 10 s), then memory after a forced GC.
  const allOut = await waitUntil(allAccountedFor, 60_000);
  await sleep(2_000);
  const memory = perMode(() => [] as Array<{ rssBytes: number; heapUsedBytes: number }>);
  for (const [i, pair] of pairs.entries()) for (const mode of MODES) memory[mode][i] = await memoryAfterGc(pair[mode]);

  const receivedOn = await receivedAll('on', 'action_error');
  const withheldOn = await withheldAll();
  const offRequests = await Promise.all(receivers.off.map(async (receiver) => (await receiver.counts()).requests));
  const duplicates = await Promise.all(receivers.on.map(async (receiver) => (await receiver.counts()).duplicates));
  console.log(
    `events on: ${list(eventsSent)} event-producing requests per server while on ` +
      `(${list(sent.action.on)} actions in all, as many to each "off" server: ${list(sent.action.off)}), ` +
      `${list(receivedOn)} action_error events received (each once by uuid; sent again after a timeout: ` +
      `${list(duplicates)}), ${list(withheldOn)} withheld (queued while on, their batch leaving after ` +
      `a switch to off); off: ${list(offRequests)} requests received`,
  );
  reportRow({
    bench: 'events',
    figure:
      'events delivered: action_error received (distinct uuids) + withheld of requests sent while on, ' +
      'per "on" server; requests from "off" servers',
    measured:
      `on ${receivedOn.map((n, i) => `${thousands(n)}+${withheldOn[i]}/${thousands(eventsSent[i])}`).join(', ')}; ` +
      `off ${list(offRequests)}`,
    target: 'all on, none off',
    // Withheld may hold another event too (an hourly heartbeat queued before a switch to off).
    pass:
      allOut &&
      receivedOn.every((n, i) => n <= eventsSent[i] && n + withheldOn[i] >= eventsSent[i]) &&
      offRequests.every((n) => n === 0),
  });

  // The raw latencies, for study outside this run (BENCH_DUMP=file).
  if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, JSON.stringify({ SERVERS, ROUNDS, blocks }));
  for (const kind of ['page', 'action'] as const) {
    const pooled = (turn: Turn) => blocks[kind].flatMap((block) => block[turn]);
    const ofServer = (turn: Turn, i: number) =>
      blocks[kind].filter((_, index) => index % SERVERS === i).flatMap((block) => block[turn]);
    const perServerP = (turn: Turn, p: number) =>
      list(Array.from({ length: SERVERS }, (_, i) => percentile(ofServer(turn, i), p)));
    const what = kind === 'page' ? `GET ${PAGE}` : 'a server action that records an event when on (action_error)';
    const count = `${thousands(pooled('on').length)} requests a turn kind (${SERVERS} servers, pooled)`;
    // What each request cost the server, with what it did in the background meanwhile (flushes).
    const cpuPer = (turn: Turn) => (1e6 * cpu[kind][turn].seconds) / cpu[kind][turn].requests;
    const cpuExtra = cpuPer('on') - cpuPer('switched off');
    reportRow({
      bench: 'events',
      figure: `server CPU per request (process trees, all measured turns), ${what}: on vs switched off`,
      measured:
        `${thousands(cpuPer('on'))} us on, ${thousands(cpuPer('switched off'))} us switched off ` +
        `(${cpuExtra >= 0 ? '+' : ''}${thousands(cpuExtra)} us; the "off" servers ${thousands(cpuPer('off'))} us)`,
      ratio: `${(cpuPer('on') / cpuPer('switched off')).toFixed(3)}x`,
    });
    const grown = (turn: Turn) => mb(oldGrown[kind][turn].reduce((a, b) => a + b, 0) / oldGrown[kind][turn].length);
    reportRow({
      bench: 'events',
      figure:
        `old generation grown in a turn (from the full collection before it to its end, garbage that ` +
        `survived scavenges included), ${what}: on vs switched off, mean of the turns`,
      measured:
        `${grown('on').toFixed(2)} MB on, ${grown('switched off').toFixed(2)} MB switched off ` +
        `(the "off" servers ${grown('off').toFixed(2)} MB)`,
      ratio: `${(grown('on') / grown('switched off')).toFixed(2)}x`,
    });
    for (const p of [50, 99]) {
      const at = (turn: Turn) => percentile(pooled(turn), p);
      const [on, switchedOff, off] = TURNS.map(at);
      const servers = (turn: Turn) => `${at(turn).toFixed(1)} ms ${turn} (servers ${perServerP(turn, p)})`;
      reportRow({
        bench: 'events',
        figure: `p${p} of ${count}, ${what}: the same servers with events on vs switched off`,
        measured: `${servers('on')}, ${servers('switched off')}`,
        ratio: `${(on / switchedOff).toFixed(2)}x`,
        ...(p === 99 ? { target: `<= ${P99_RATIO}x`, pass: on / switchedOff <= P99_RATIO } : {}),
      });
      if (p === 99) {
        const [low, high] = p99RatioInterval(blocks[kind]);
        reportRow({
          bench: 'events',
          figure:
            `p99, ${what}: on vs switched off, 90 % interval of the ratio over ${thousands(RESAMPLES)} ` +
            `resamples of whole rounds (each pair's two turns of a round together)`,
          measured: `${low.toFixed(2)}x to ${high.toFixed(2)}x (measured ${(on / switchedOff).toFixed(2)}x)`,
          ratio: `${low.toFixed(2)}-${high.toFixed(2)}x`,
        });
      }
      reportRow({
        bench: 'events',
        figure: `p${p}, ${what}: on vs servers started with telemetry off (other processes)`,
        measured: servers('off'),
        ratio: `${(on / off).toFixed(2)}x`,
      });
    }
  }

  const servers = (xs: number[], digits = 0) => list(xs.map(mb), digits);
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} MB`;
  const growth = (mode: Mode, key: 'rssBytes' | 'heapUsedBytes') =>
    memory[mode].map((m, i) => m[key] - before[mode][i][key]);
  const growths = (key: 'rssBytes' | 'heapUsedBytes') =>
    `growth on ${servers(growth('on', key), 1)} MB, off ${servers(growth('off', key), 1)} MB`;
  const rssOf = (mode: Mode, when: typeof memory) => servers(when[mode].map((m) => m.rssBytes));
  // Paired: the on and off server of a pair ran side by side through the same requests.
  const extra = (key: 'rssBytes' | 'heapUsedBytes') =>
    mb(medianOfServers(growth('on', key).map((on, i) => on - growth('off', key)[i])));
  const rssExtra = extra('rssBytes');
  reportRow({
    bench: 'events',
    figure:
      `RSS added by ${thousands(EVENTS)} events: growth of each server from before the measured requests to ` +
      `after them (forced GC both times), on minus off, median of ${SERVERS} pairs`,
    measured: growths('rssBytes'),
    ratio: signed(rssExtra),
    target: `<= +${EXTRA_MB} MB`,
    pass: rssExtra <= EXTRA_MB,
  });
  reportRow({
    bench: 'events',
    figure: `JavaScript heap added by those events (same reading: growth on minus off, median of ${SERVERS} pairs)`,
    measured: growths('heapUsedBytes'),
    ratio: signed(extra('heapUsedBytes')),
  });
  // The absolute figures, which carry the spread between processes that the bound above leaves out.
  const medianMb = (mode: Mode) => mb(medianOfServers(memory[mode].map((m) => m.rssBytes)));
  reportRow({
    bench: 'events',
    figure: `RSS after those events, events on vs off (forced GC; median of ${SERVERS} servers each; other processes)`,
    measured:
      `${medianMb('on').toFixed(1)} MB on (${rssOf('on', memory)}), ${medianMb('off').toFixed(1)} MB off ` +
      `(${rssOf('off', memory)}); before the measured requests: on ${rssOf('on', before)}, off ${rssOf('off', before)}`,
    ratio: signed(medianMb('on') - medianMb('off')),
  });
} finally {
  for (const database of databases) await database.$disconnect();
  await stopServers();
  sink.kill();
}
