// The built server the benchmarks measure: a production build in .next-bench, started with a
// flowforge.yml of the benchmark's own, a signed-in admin, and a forced garbage collection.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

import { freePort } from '../tests/e2e/platform';
import { createSqliteFile } from '../tests/helpers/databases';
import { treeRssBytes } from '../tests/helpers/process-memory';
import { NEXT_BIN, serverArgs } from '../tests/helpers/server-command';

// The build goes to a dist folder of its own (.next-bench), so benchmarks never disturb
// `npm start` or `npm test`.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_DIST_DIR = '.next-bench';
const SOURCE_MARK = path.join(ROOT, BENCH_DIST_DIR, 'flowforge-bench-source');

/**
 * Identifies the source the build is made of (tracked files with their uncommitted changes,
 * benchmarks, tests and docs aside), so a stale build is noticed and an edit to a benchmark is not.
 */
function sourceState(): string {
  const paths = ['--', '.', ':!bench', ':!tests', ':!docs', ':!*.md'];
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout ?? '';
  // New files count by their content, not only their names (an edit to one must rebuild too).
  const untracked = git('ls-files', '-o', '--exclude-standard', ...paths)
    .split('\n')
    .filter(Boolean);
  const files =
    git('ls-files', '-s', ...paths) +
    git('diff', 'HEAD', ...paths) +
    (untracked.length ? git('hash-object', '--', ...untracked) : '') +
    untracked.join('\n');
  return createHash('sha256').update(files).digest('hex');
}

/** Builds the app into .next-bench unless a build of this very source is already there. */
export function ensureBuilt(): void {
  const state = sourceState();
  if (existsSync(SOURCE_MARK) && readFileSync(SOURCE_MARK, 'utf8') === state) return;
  console.log(`building the app into ${BENCH_DIST_DIR} (once per source state) ...`);
  const started = performance.now();
  const build = spawnSync(process.execPath, [path.join(ROOT, NEXT_BIN), 'build'], {
    cwd: ROOT,
    env: { ...process.env, FLOWFORGE_DIST_DIR: BENCH_DIST_DIR, NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  writeFileSync(SOURCE_MARK, state);
  console.log(`  built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

export interface BuiltServer {
  url: string;
  pid: number;
  /** The V8 inspector's port when started with `inspect` (see collectGarbage). */
  inspectPort?: number;
  /** Milliseconds from spawning the process to the first 200 on the ready path. */
  bootMs: number;
  logs: string[];
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  readyPath?: string;
  timeoutMs?: number;
  inspect?: boolean;
}

/**
 * Starts the built server with `flowforgeYml` as its flowforge.yml (written to a
 * temp folder) and waits for the first 200 on `readyPath`, polling every 10 ms.
 */
export async function startBuiltServer(
  flowforgeYml: Record<string, unknown>,
  { env = {}, readyPath = '/login', timeoutMs = 60_000, inspect = false }: StartOptions = {},
): Promise<BuiltServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flowforge-bench-'));
  const configPath = path.join(dir, 'flowforge.yml');
  writeFileSync(configPath, stringify(flowforgeYml));
  const port = await freePort();
  const inspectPort = inspect ? await freePort() : undefined;
  const url = `http://127.0.0.1:${port}`;
  const logs: string[] = [];
  const started = performance.now();
  const child = spawn(process.execPath, serverArgs(port), {
    cwd: ROOT,
    env: {
      ...process.env,
      FLOWFORGE_CONFIG: configPath,
      FLOWFORGE_DIST_DIR: BENCH_DIST_DIR,
      NEXT_TELEMETRY_DISABLED: '1',
      ...(inspectPort ? { NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}` } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => logs.push(String(chunk)));
  child.stderr!.on('data', (chunk) => logs.push(String(chunk)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = started + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the server exited with ${child.exitCode}:\n${logs.join('')}`);
    }
    const status = await fetch(`${url}${readyPath}`, { redirect: 'manual' }).then(
      (response) => (response.body?.cancel(), response.status),
      () => 0,
    );
    if (status === 200) return { url, pid: child.pid!, inspectPort, bootMs: performance.now() - started, logs, stop };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await stop();
  throw new Error(`no 200 on ${readyPath} within ${timeoutMs} ms:\n${logs.join('')}`);
}

/**
 * Runs inspector methods one after the other in a server started with `inspect` (over the V8
 * inspector protocol, one session) and returns the last one's result.
 * Needs a global WebSocket (Node 20: run with --experimental-websocket).
 */
type InspectorCall = string | { method: string; params: Record<string, unknown> };
async function inspectorCalls(inspectPort: number, calls: InspectorCall[]): Promise<Record<string, unknown>> {
  const [target] = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let id = 0;
  const call = (what: InspectorCall) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const { method, params } = typeof what === 'string' ? { method: what, params: {} } : what;
      const mine = ++id;
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as {
          id?: number;
          result?: Record<string, unknown>;
          error?: unknown;
        };
        if (message.id !== mine) return;
        if (message.error) reject(new Error(`${method}: ${JSON.stringify(message.error)}`));
        else resolve(message.result ?? {});
      };
      socket.send(JSON.stringify({ id: mine, method, params }));
    });
  try {
    let result: Record<string, unknown> = {};
    for (const what of calls) result = await call(what);
    return result;
  } finally {
    socket.close();
  }
}

/**
 * Forces a full garbage collection in a server started with `inspect` and returns the
 * JavaScript heap still in use. RSS read right after is the memory the server really holds,
 * not garbage not yet collected, so growth between rounds means a leak rather than GC timing.
 * Twice: objects with finalizers or weak references are freed by the second pass.
 */
export async function collectGarbage(inspectPort: number): Promise<{ heapUsedBytes: number }> {
  const collect = 'HeapProfiler.collectGarbage';
  const usage = await inspectorCalls(inspectPort, [collect, collect, 'Runtime.getHeapUsage']);
  return { heapUsedBytes: usage.usedSize as number };
}

// The old generation: every space but the young one. Garbage reaches it only by surviving
// scavenges, and full collections come when it has grown by a share of what they left.
const OLD_GENERATION = `process.getBuiltinModule('v8').getHeapSpaceStatistics()
  .filter((space) => !space.space_name.startsWith('new_'))
  .reduce((sum, space) => sum + space.space_used_size, 0)`;

/** A number computed in the server (process.getBuiltinModule: Node.js 20.16 or later). */
async function evaluate(inspectPort: number, expression: string): Promise<number> {
  const { result, exceptionDetails } = await inspectorCalls(inspectPort, [
    { method: 'Runtime.evaluate', params: { expression, returnByValue: true } },
  ]);
  const value = (result as { value?: unknown } | undefined)?.value;
  // A figure that is not a number would print NaN rows; stop the run with the server's reason instead.
  if (exceptionDetails || typeof value !== 'number')
    throw new Error(`evaluating in the server failed: ${JSON.stringify(exceptionDetails ?? result)}`);
  return value;
}

/**
 * A full collection of the kind the server runs on its own, in a server started with `inspect`;
 * returns the old generation still in use. Not HeapProfiler.collectGarbage: that one also
 * shrinks the young generation to 1 MB, and the requests after it then paid about three times
 * the scavenges (page CPU 18.5 ms a request instead of 11-15). gc() keeps the young generation's size.
 */
export async function fullCollection(inspectPort: number): Promise<number> {
  return evaluate(
    inspectPort,
    // gc() is fetched once per server: a new vm context at every turn would leave one more piece
    // of garbage in the heap each turn measures.
    `(() => {
      globalThis.flowforgeBenchGc ??= (process.getBuiltinModule('v8').setFlagsFromString('--expose-gc'),
        process.getBuiltinModule('vm').runInNewContext('gc'));
      globalThis.flowforgeBenchGc();
      return ${OLD_GENERATION};
    })()`,
  );
}

/** The old generation in use now, garbage that reached it included (no collection). */
export async function oldGenerationInUse(inspectPort: number): Promise<number> {
  return evaluate(inspectPort, OLD_GENERATION);
}

/**
 * A fresh SQLite database for a built server, migrated, with an admin and setup
 * complete (so the scheduler's boot ping is due). Returns its file and the admin's credentials.
 */
export async function platformDatabase(): Promise<{
  url: string;
  admin: { email: string; password: string };
  remove(): void;
}> {
  const { migrate } = await import('../lib/migrate');
  const { createDb } = await import('../lib/db-client');
  const { seedUser, PASSWORD } = await import('../tests/e2e/platform');
  const file = createSqliteFile();
  await migrate('sqlite', file.url);
  const db = createDb({ type: 'sqlite', url: file.url });
  const email = 'bench-admin@example.com';
  await seedUser(db, { email, name: 'Bench Admin', role: 'admin' });
  await db.$disconnect();
  return { url: file.url, admin: { email, password: PASSWORD }, remove: file.remove };
}

/** Signs in through next-auth's credentials endpoint; returns the Cookie header of the session. */
export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  keep(csrf);
  const header = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/admin` }),
  });
  keep(response);
  if (![...cookies.keys()].some((name) => name.includes('session-token')))
    throw new Error(`sign-in failed: HTTP ${response.status}`);
  return header();
}

// ---------------------------------------------------------------------------
// Side by side: benchmarks that ask "what does this feature cost?" run two servers of the same
// build at once, the feature "on" and "off", and load them in rounds whose order alternates.

export const MODES = ['on', 'off'] as const;
export type Mode = (typeof MODES)[number];

/** The order of the two servers in a round: alternating, so neither always runs on a warmer machine. */
export const modesInRound = (round: number): readonly Mode[] => (round % 2 ? MODES : [...MODES].reverse());

export interface PairedServer extends BuiltServer {
  /** The server's own SQLite database (see platformDatabase). */
  databaseUrl: string;
  /** Signs the database's admin in; returns the Cookie header. */
  signIn(): Promise<string>;
}

export interface ServerPair extends Record<Mode, PairedServer> {
  /** Stops both servers and removes their databases. */
  stop(): Promise<void>;
}

/**
 * Starts one built server per mode, each on a fresh platform database of its own, with the
 * flowforge.yml that `flowforgeYml` gives for the mode. A failure on the way stops what started.
 */
export async function startServerPair(
  flowforgeYml: (mode: Mode, databaseUrl: string) => Record<string, unknown>,
  options: StartOptions = {},
): Promise<ServerPair> {
  const databases = { on: await platformDatabase(), off: await platformDatabase() };
  const started: Partial<Record<Mode, PairedServer>> = {};
  const stop = async () => {
    for (const mode of MODES) await started[mode]?.stop();
    for (const mode of MODES) databases[mode].remove();
  };
  try {
    for (const mode of MODES) {
      const { url, admin } = databases[mode];
      const server = await startBuiltServer(flowforgeYml(mode, url), options);
      started[mode] = {
        ...server,
        databaseUrl: url,
        signIn: () => signInOverHttp(server.url, admin.email, admin.password),
      };
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { on: started.on!, off: started.off!, stop };
}

// ---------------------------------------------------------------------------
// Several servers a mode: identical idle servers of one build differ by up to 23 MB of RSS and
// by more than 5 % in tail latency (docs/architecture.md, "Several servers a mode"), so a
// single pair decides a 10 MB or 5 % bound by chance. These benchmarks start `count` pairs and
// compare the median (memory) or the pooled figures (latency) of each mode.

export interface ServerPairs {
  pairs: ServerPair[];
  /** Stops every server and removes their databases. */
  stop(): Promise<void>;
}

/**
 * Starts `count` pairs (see startServerPair); `flowforgeYml` also gets the pair's index. A
 * failure on the way stops what started.
 */
export async function startServerPairs(
  count: number,
  flowforgeYml: (mode: Mode, databaseUrl: string, pair: number) => Record<string, unknown>,
  options: StartOptions = {},
): Promise<ServerPairs> {
  const pairs: ServerPair[] = [];
  const stop = async () => {
    for (const pair of pairs) await pair.stop();
  };
  try {
    for (let i = 0; i < count; i++)
      pairs.push(await startServerPair((mode, databaseUrl) => flowforgeYml(mode, databaseUrl, i), options));
  } catch (error) {
    await stop();
    throw error;
  }
  return { pairs, stop };
}

/**
 * One round of load: every server of every pair gets `load`, one after the other, the order of
 * on and off alternating by round and by pair, so load on the machine hits both modes alike.
 */
export async function roundOfLoad(
  pairs: ServerPair[],
  round: number,
  load: (server: PairedServer, mode: Mode, pair: number) => Promise<void>,
): Promise<void> {
  for (const [i, pair] of pairs.entries()) for (const mode of modesInRound(round + i)) await load(pair[mode], mode, i);
}

/**
 * Memory a server started with `inspect` really holds: RSS of its process tree and the
 * JavaScript heap in use, both read right after a forced full GC (see collectGarbage).
 */
export async function memoryAfterGc(server: BuiltServer): Promise<{ rssBytes: number; heapUsedBytes: number }> {
  if (server.inspectPort === undefined) throw new Error('memoryAfterGc needs a server started with inspect');
  const { heapUsedBytes } = await collectGarbage(server.inspectPort);
  return { rssBytes: treeRssBytes(server.pid), heapUsedBytes };
}
