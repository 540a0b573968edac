// The server's events end to end on a real database and a real receiver:
// every event type goes out while telemetry is on; nothing at all leaves the
// process when it is off by any of the four ways (environment, flowforge.yml,
// the database, telemetry.events.enabled). The `flowforge` command sends its
// cli_command with sanitised arguments, and nothing when telemetry is off.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig, type Config } from '../../lib/config';
import { saveTelemetryEnabled } from '../../lib/data/telemetry-setting';
import { completeSetup } from '../../lib/data/setup';
import {
  createEventsRuntime,
  sendHeartbeat,
  startUsageEvents,
  stopUsageEventsForTests,
} from '../../lib/events/runtime';
import { PLATFORM_JOBS } from '../../lib/jobs';
import { EVENT_NAMES, EXAMPLE_PROPERTIES } from '../../lib/events/catalog';
import { EVENTS_SETTING_MAX_AGE_MS } from '../../lib/events/setting';
import { createDb } from '../../lib/db-client';
import { migrate } from '../../lib/migrate';
import { useTestDatabase } from '../helpers/use-database';
import { startEventsReceiver, type EventsReceiver } from '../helpers/events-receiver';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('server events', () => {
  const database = useTestDatabase('sqlite');
  let receiver: EventsReceiver;
  beforeAll(async () => {
    receiver = await startEventsReceiver();
  });
  afterAll(() => receiver.close());
  afterEach(async () => {
    receiver.batches.length = 0;
    await database.current.db.setting.deleteMany({ where: { key: 'telemetry.enabled' } });
  });

  function config(change: (config: Config) => Config = (c) => c): Config {
    const base = loadConfig({ FLOWFORGE_CONFIG: '/nonexistent/flowforge.yml', FLOWFORGE_POSTHOG_HOST: receiver.host });
    return change({ ...base, db: database.current.config });
  }

  async function sendEveryEvent(cfg: Config): Promise<void> {
    const runtime = createEventsRuntime({ client: database.current.db, config: cfg, handleSignals: false });
    for (const event of EVENT_NAMES) runtime.track(event, EXAMPLE_PROPERTIES[event] as never);
    await runtime.stop(10_000); // generous: a loaded machine, not the client, sets the pace here
  }

  it('sends every event type while telemetry is on, as the instance', async () => {
    await sendEveryEvent(config());
    const received = receiver.events();
    expect(received.map((e) => e.event).sort()).toEqual([...EVENT_NAMES].sort());
    const instanceId = (await database.current.db.setting.findUniqueOrThrow({ where: { key: 'instanceId' } })).value;
    expect(new Set(received.map((e) => e.distinct_id))).toEqual(new Set([instanceId]));
    expect(new Set(received.map((e) => e.properties.session_id)).size).toBe(1);
    expect(received.every((e) => e.properties.is_ci === false && e.properties.$geoip_disable === true)).toBe(true);
  });

  it('in CI sends a fresh ci- id, never stored, and is_ci', async () => {
    const ci = (c: Config): Config => ({
      ...c,
      environment: { ...c.environment, ci: { isCi: true, name: 'GitHub Actions' } },
    });
    await sendEveryEvent(config(ci));
    await sendEveryEvent(config(ci));
    const ids = new Set(receiver.events().map((e) => e.distinct_id));
    expect(ids.size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^ci-[0-9a-f-]{36}$/);
    expect(receiver.events().every((e) => e.properties.is_ci === true)).toBe(true);
    const stored = await database.current.db.setting.findMany();
    for (const id of ids) expect(JSON.stringify(stored)).not.toContain(id.slice(3));
  });

  const offWays: Array<[string, (c: Config) => Config, boolean]> = [
    ['FLOWFORGE_TELEMETRY=off', (c) => ({ ...c, telemetryEnv: false }), false],
    [
      'telemetry.enabled: false in flowforge.yml',
      (c) => ({ ...c, telemetry: { ...c.telemetry, enabled: false } }),
      false,
    ],
    ['telemetry off in the database (Admin Settings, wizard, CLI)', (c) => c, true],
    [
      'telemetry.events.enabled: false in flowforge.yml',
      (c) => ({ ...c, telemetry: { ...c.telemetry, events: { ...c.telemetry.events, enabled: false } } }),
      false,
    ],
  ];
  it.each(offWays)('sends nothing when off by %s', async (_way, change, inDatabase) => {
    if (inDatabase) await saveTelemetryEnabled(false, 'test', database.current.db, config());
    await sendEveryEvent(config(change));
    expect(receiver.batches).toHaveLength(0);
  });

  it('the server start sends server_started, and the hourly job a heartbeat with the uptime', async () => {
    const runtime = startUsageEvents({ client: database.current.db, config: config(), handleSignals: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      sendHeartbeat();
      await runtime.stop(10_000); // generous: a loaded machine, not the client, sets the pace here
    } finally {
      stopUsageEventsForTests();
    }
    const [started, heartbeat] = receiver.events();
    expect(started).toMatchObject({ event: 'server_started', properties: { setup_complete: false } });
    expect(heartbeat.event).toBe('server_heartbeat');
    expect(heartbeat.properties.uptime_seconds).toBeGreaterThanOrEqual(1);
    expect(heartbeat.properties.session_id).toBe(started.properties.session_id);
    expect(PLATFORM_JOBS.find((job) => job.name === 'usage-events-heartbeat')?.schedule).toMatch(
      /^\d{1,2} \* \* \* \*$/,
    );
  });

  // Both within the max age of the setting read for the first event: what stops the next one
  // is this process's announcement of its own change (lib/telemetry/setting-changes.ts).
  it('turning telemetry off in this process (Admin Settings) stops the very next event', async () => {
    const runtime = createEventsRuntime({ client: database.current.db, config: config(), handleSignals: false });
    runtime.track('server_heartbeat', { uptime_seconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await saveTelemetryEnabled(false, 'test', database.current.db, config());
    runtime.track('server_heartbeat', { uptime_seconds: 2 });
    await runtime.stop(10_000); // generous: a loaded machine, not the client, sets the pace here
    // The first was queued while on and withheld as its batch left; the second never queued.
    expect(receiver.events()).toEqual([]);
    expect(runtime.client.counters()).toMatchObject({ sent: 0, withheld: 1, failed: 0, queued: 0 });
  });

  it('unticking telemetry in the setup wizard stops the very next event', async () => {
    const runtime = createEventsRuntime({ client: database.current.db, config: config(), handleSignals: false });
    runtime.track('server_heartbeat', { uptime_seconds: 1 }); // on by default before setup
    await new Promise((resolve) => setTimeout(resolve, 20));
    await completeSetup(
      { email: 'admin@example.test', name: 'Admin', password: 'correct horse battery', telemetry: false },
      database.current.db,
    );
    runtime.track('admin_action', { record: 'user', verb: 'created' });
    await runtime.stop(10_000);
    expect(receiver.events()).toEqual([]);
    expect(runtime.client.counters()).toMatchObject({ sent: 0, withheld: 1, failed: 0, queued: 0 });
  });

  it('a change made by another process (a replica, the CLI) applies once the kept setting has expired', async () => {
    const runtime = createEventsRuntime({ client: database.current.db, config: config(), handleSignals: false });
    runtime.track('server_heartbeat', { uptime_seconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Written to the database by someone else: nothing in this process hears of it.
    const other = createDb(database.current.config);
    await other.setting.create({ data: { key: 'telemetry.enabled', value: 'false' } });
    await other.$disconnect();
    await new Promise((resolve) => setTimeout(resolve, EVENTS_SETTING_MAX_AGE_MS + 50));
    runtime.track('server_heartbeat', { uptime_seconds: 2 });
    await runtime.stop(10_000);
    expect(receiver.events()).toEqual([]);
    expect(runtime.client.counters()).toMatchObject({ sent: 0, withheld: 1, failed: 0, queued: 0 });
  });

  it('a burst of events shares the database read of the setting', async () => {
    let reads = 0;
    const counting = database.current.db.$extends({
      query: {
        setting: {
          findUnique({ args, query }) {
            if (args.where.key === 'telemetry.enabled') reads += 1;
            return query(args);
          },
        },
      },
    }) as unknown as typeof database.current.db;
    const runtime = createEventsRuntime({ client: counting, config: config(), handleSignals: false });
    for (let i = 0; i < 200; i++) runtime.track('server_heartbeat', { uptime_seconds: i });
    await runtime.stop(10_000);
    expect(receiver.events()).toHaveLength(200);
    // One read, or a few on a machine slow enough to let the kept one age; never one an event.
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(5);
  });
});

describe('flowforge command events', () => {
  let dir: string;
  let receiver: EventsReceiver;
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; ms: number }>((resolve) => {
      const started = Date.now();
      const base = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith('FLOWFORGE_')),
      ) as NodeJS.ProcessEnv;
      base.CI = 'false'; // an installation, even when the tests themselves run in CI
      execFile(
        process.execPath,
        [path.join(root, 'bin/flowforge.mjs'), ...args],
        { env: { ...base, FLOWFORGE_CONFIG: path.join(dir, 'flowforge.yml'), ...env }, timeout: 60_000 },
        (error) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, ms: Date.now() - started }),
      );
    });

  beforeAll(async () => {
    receiver = await startEventsReceiver();
    dir = mkdtempSync(path.join(tmpdir(), 'flowforge-cli-events-'));
    const file = path.join(dir, 'flowforge.db');
    writeFileSync(
      path.join(dir, 'flowforge.yml'),
      stringify({ db: { type: 'sqlite', url: file }, telemetry: { url: `${receiver.host}/ping` } }),
    );
    await migrate('sqlite', file);
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    receiver.batches.length = 0;
  });

  it('sends cli_command with flag names and placeholders, its duration and outcome', async () => {
    expect((await run(['config', 'get', 'telemetry.enabled', '--json'])).code).toBe(0);
    expect((await run(['config', 'set', 'telemetry.enabled', 'maybe'])).code).toBe(2);
    const [ok, usage] = receiver.events();
    expect(ok.event).toBe('cli_command');
    expect(ok.properties).toMatchObject({
      command: 'config get',
      arguments: ['config', 'get', 'telemetry.enabled', '--json'],
      success: true,
      error_type: null,
    });
    expect(ok.properties.duration_ms).toBeGreaterThan(0);
    expect(usage.properties).toMatchObject({
      command: 'usage error',
      arguments: ['config', 'set', 'telemetry.enabled', '<value>'],
      success: false,
      error_type: 'exit_2',
    });
    const db = createDb({ type: 'sqlite', url: path.join(dir, 'flowforge.db') });
    const instanceId = (await db.setting.findUniqueOrThrow({ where: { key: 'instanceId' } })).value;
    await db.$disconnect();
    expect(ok.distinct_id).toBe(instanceId);
  });

  it('sends nothing when telemetry is off by the environment or the database', async () => {
    expect((await run(['config', 'get', 'telemetry.enabled'], { FLOWFORGE_TELEMETRY: 'off' })).code).toBe(0);
    expect((await run(['config', 'set', 'telemetry.enabled', 'false'])).code).toBe(0);
    expect((await run(['--help'])).code).toBe(0);
    expect(receiver.batches).toHaveLength(0);
  });

  it('in CI sends a ci- id', async () => {
    expect((await run(['version'], { CI: 'true', GITHUB_ACTIONS: 'true', FLOWFORGE_TELEMETRY: 'on' })).code).toBe(0);
    const [event] = receiver.events();
    expect(event.distinct_id).toMatch(/^ci-/);
    expect(event.properties).toMatchObject({ command: 'version', is_ci: true });
  });
});
