// The `flowforge` command end to end: the real launcher (bin/flowforge.mjs,
// tsx, lib/cli) spawned as an operator would, against a real SQLite file (and
// once PostgreSQL), from the project folder and from elsewhere.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createDb, type Db } from '../../lib/db-client';
import { createPostgresDatabase } from '../helpers/databases';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/flowforge.mjs');
const actor = `cli:${os.userInfo().username}`;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with a clean FLOWFORGE_* environment plus `env`. */
function run(
  file: string,
  args: string[],
  { cwd = root, env = {} }: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Result> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('FLOWFORGE_')),
  ) as NodeJS.ProcessEnv;
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...base, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}
const flowforge = (args: string[], options?: Parameters<typeof run>[2]) =>
  run(process.execPath, [bin, ...args], options);

describe('flowforge CLI on SQLite', () => {
  let dir: string;
  let db: Db;
  const stored = async () => (await db.setting.findUnique({ where: { key: 'telemetry.enabled' } }))?.value ?? null;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'flowforge-cli-'));
    const file = path.join(dir, 'flowforge.db');
    writeFileSync(path.join(dir, 'flowforge.yml'), stringify({ db: { type: 'sqlite', url: file } }));
    writeFileSync(
      path.join(dir, 'locked.yml'),
      stringify({ db: { type: 'sqlite', url: file }, telemetry: { enabled: true } }),
    );
    writeFileSync(path.join(dir, 'broken.yml'), 'db:\n  type: sqlite\ntelemetry:\n  enabled: sometimes\n');
    db = createDb({ type: 'sqlite', url: file });
  });
  afterAll(async () => {
    await db?.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates a fresh database and prints the default, run elsewhere with a relative FLOWFORGE_CONFIG', async () => {
    expect(existsSync(path.join(dir, 'flowforge.db'))).toBe(false);
    const result = await flowforge(['config', 'get', 'telemetry.enabled'], {
      cwd: dir,
      env: { FLOWFORGE_CONFIG: 'flowforge.yml' },
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('true\nsource: default (On by default)\n');
    expect(await db.user.count()).toBe(0); // the tables exist: migrations ran
  });

  it('saves a value with an audit entry naming the OS user, from the project folder', async () => {
    const result = await flowforge(['config', 'set', 'telemetry.enabled', 'false'], {
      env: { FLOWFORGE_CONFIG: path.join(dir, 'flowforge.yml') },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('telemetry.enabled set to false in the database (was true, the default)');
    expect(await stored()).toBe('false');
    const audit = await db.auditLog.findMany();
    expect(audit.map((a) => [a.actor, a.event, a.oldValue, a.newValue])).toEqual([
      [actor, 'settings.telemetry.enabled', null, 'false'],
    ]);

    const get = await flowforge(['config', 'get', 'telemetry.enabled', '--json'], {
      cwd: dir,
      env: { FLOWFORGE_CONFIG: './flowforge.yml' },
    });
    expect(JSON.parse(get.stdout)).toEqual({
      key: 'telemetry.enabled',
      value: false,
      source: 'database',
      locked: false,
      reason: 'Set to off in the database by the setup wizard, Admin Settings or the flowforge CLI',
    });
  });

  it('refuses, saving nothing, while flowforge.yml decides', async () => {
    const audits = await db.auditLog.count();
    const env = { FLOWFORGE_CONFIG: path.join(dir, 'locked.yml') };
    const [result, get] = await Promise.all([
      flowforge(['config', 'set', 'telemetry.enabled', 'true'], { env }),
      flowforge(['config', 'get', 'telemetry.enabled'], { env }),
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'cannot set telemetry.enabled: Set to on by telemetry.enabled in locked.yml,' +
        ' which overrides the value saved in the database. Nothing was saved.',
    );
    expect(result.stderr).toContain('remove telemetry.enabled from locked.yml');
    expect(await stored()).toBe('false');
    expect(await db.auditLog.count()).toBe(audits);
    expect(get.stdout).toBe('true\nsource: file (Set to on by telemetry.enabled in locked.yml)\n');
  });

  it('refuses while FLOWFORGE_TELEMETRY decides, and stops on a bad value of it', async () => {
    const env = { FLOWFORGE_CONFIG: path.join(dir, 'flowforge.yml'), FLOWFORGE_TELEMETRY: 'on' };
    const [refused, bad] = await Promise.all([
      flowforge(['config', 'set', 'telemetry.enabled', 'true'], { env }),
      flowforge(['config', 'get', 'telemetry.enabled'], { env: { ...env, FLOWFORGE_TELEMETRY: 'sometimes' } }),
    ]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('Set to on by the FLOWFORGE_TELEMETRY environment variable');
    expect(await stored()).toBe('false');

    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'flowforge: environment variable FLOWFORGE_TELEMETRY must be one of 0, false, off, no, 1, true, on, yes' +
        ' (got "sometimes")\n',
    );
  });

  it('reports a broken flowforge.yml with its line, and a FLOWFORGE_CONFIG that does not exist', async () => {
    const [broken, missing] = await Promise.all([
      flowforge(['config', 'get', 'telemetry.enabled'], { env: { FLOWFORGE_CONFIG: path.join(dir, 'broken.yml') } }),
      flowforge(['config', 'set', 'telemetry.enabled', 'false'], {
        cwd: dir,
        env: { FLOWFORGE_CONFIG: 'flowforg.yml' },
      }),
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^flowforge: .*broken\.yml:4 telemetry\.enabled must be true or false\n$/);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: `flowforge: FLOWFORGE_CONFIG points at ${path.join(dir, 'flowforg.yml')}, which does not exist\n`,
    });
  });

  it('explains bad usage with exit code 2 and prints help with exit code 0', async () => {
    const [bad, none, help] = await Promise.all([
      flowforge(['config', 'set', 'telemetry.enabled', 'maybe']),
      flowforge([]),
      flowforge(['--help']),
    ]);
    expect(bad).toEqual({
      code: 2,
      stdout: '',
      stderr: 'flowforge: telemetry.enabled must be true or false (got "maybe")\nRun "flowforge --help" for usage.\n',
    });
    expect(none).toMatchObject({
      code: 2,
      stderr: 'flowforge: missing a command\nRun "flowforge --help" for usage.\n',
    });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: flowforge <command>/);
  });

  it('runs as `npx flowforge` in the project folder', async () => {
    const result = await run('npx', ['--no-install', 'flowforge', 'config', 'get', 'telemetry.enabled'], {
      env: { FLOWFORGE_CONFIG: path.join(dir, 'flowforge.yml') },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'false\nsource: database (Set to off in the database by the setup wizard, Admin Settings or the flowforge CLI)\n',
    );
  });
});

describe('flowforge CLI on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let dir: string;
  beforeAll(async () => {
    database = await createPostgresDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'flowforge-cli-'));
    writeFileSync(path.join(dir, 'flowforge.yml'), stringify({ db: { type: 'postgres', url: database.url } }));
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates, saves and audits on the configured PostgreSQL database', async () => {
    const env = { FLOWFORGE_CONFIG: path.join(dir, 'flowforge.yml') };
    expect((await flowforge(['config', 'set', 'telemetry.enabled', 'off'], { env })).code).toBe(0);
    const db = createDb({ type: 'postgres', url: database.url });
    try {
      expect((await db.setting.findUniqueOrThrow({ where: { key: 'telemetry.enabled' } })).value).toBe('false');
      expect(await db.auditLog.count({ where: { actor } })).toBe(1);
    } finally {
      await db.$disconnect();
    }
  });
});
