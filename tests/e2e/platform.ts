// Starts the built platform (`next start`) as a child process with its own
// temp folder, SQLite file and flowforge.yml, on a free port. Tests talk to it
// through the browser and seed it through Prisma on the same database.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { createDb, type Db } from '../../lib/db-client';
import { hashPassword } from '../../lib/password';
import type { Config } from '../../lib/config';
import { serverArgs } from '../helpers/server-command';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The repository root (where the built app and app/ live). */
export const ROOT = root;

/**
 * A collector whose rate limits are far above any spec's load, for specs about what bodies cost
 * (fuzzing, hostile bodies): every request reaches the checks under test. The limits themselves
 * are tested in tests/integration/collector-limits.test.ts.
 */
export const UNLIMITED_COLLECTOR = {
  enabled: true,
  maxRequestsPerMinute: 1_000_000,
  maxEventsPerMinute: 100_000_000,
  maxBytesPerMinute: 1_000_000_000_000,
};

export interface PlatformOptions {
  /** flowforge.yml content; `db` points at a temp SQLite file unless given (e.g. a PostgreSQL URL). */
  config?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface Platform {
  url: string;
  dir: string;
  configPath: string;
  db: Db;
  logs: string[];
  /** The process id of the running `next start` (for memory measurements). */
  pid(): number;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

// Ports this process has handed out. The kernel may offer a port again as soon as the probe
// closes it, before whoever asked has bound it: a bench server and its inspector once got the same one.
const handedOut = new Set<number>();

/** A loopback port nobody listens on, never one this process handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await probePort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flowforge-e2e-'));
  const configPath = path.join(dir, 'flowforge.yml');
  const dbConfig = (options.config?.db as Config['db'] | undefined) ?? {
    type: 'sqlite' as const,
    url: path.join(dir, 'flowforge.db'),
  };
  // Tests never ping the real collector: telemetry goes to a closed local port unless a test says otherwise.
  const telemetry = { url: 'http://127.0.0.1:9/ping', ...(options.config?.telemetry as object | undefined) };
  writeFileSync(configPath, stringify({ db: dbConfig, ...options.config, telemetry }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logs: string[] = [];
  let child: ChildProcess | undefined;

  async function launch() {
    child = spawn(process.execPath, serverArgs(port), {
      cwd: root,
      env: { ...process.env, FLOWFORGE_CONFIG: configPath, NEXT_TELEMETRY_DISABLED: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => logs.push(String(chunk)));
    child.stderr!.on('data', (chunk) => logs.push(String(chunk)));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`platform exited with ${child.exitCode}:\n${logs.join('')}`);
      try {
        // The first request waits for boot (migrations) to finish.
        const response = await fetch(`${url}/login`, { redirect: 'manual' });
        if (response.status < 500) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`platform did not answer within 30 s:\n${logs.join('')}`);
  }

  async function halt() {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }

  await launch();
  const db = createDb(dbConfig);
  return {
    url,
    dir,
    configPath,
    db,
    logs,
    pid: () => child!.pid!,
    restart: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      await halt();
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const PASSWORD = 'Correct-Horse-42';

/** Creates a user directly in the database; marks setup complete when asked for an admin. */
export async function seedUser(
  db: Db,
  { email, name = 'Test User', role = 'member' }: { email: string; name?: string; role?: 'admin' | 'member' },
) {
  const user = await db.user.create({ data: { email, name, role, passwordHash: await hashPassword(PASSWORD) } });
  if (role === 'admin') {
    await db.setting.upsert({
      where: { key: 'setup.completedAt' },
      create: { key: 'setup.completedAt', value: new Date().toISOString() },
      update: {},
    });
  }
  return user;
}

/** Signs in through the login page and waits until the sign-in has landed somewhere else. */
export async function signInAs(
  page: import('@playwright/test').Page,
  baseUrl: string,
  email: string,
  password = PASSWORD,
) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}
