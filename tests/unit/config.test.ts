// flowforge.yml parsing: defaults, and errors that name the file, the line and the key.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS, ConfigError, loadConfig, parseConfig } from '../../lib/config';

const lines = (...l: string[]) => l.join('\n') + '\n';
const errorOf = (text: string) => {
  try {
    parseConfig(text, 'flowforge.yml', '/srv/ff');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('parseConfig', () => {
  it('gives the defaults for an empty file: SQLite under ./data, telemetry undecided', () => {
    const config = parseConfig('', 'flowforge.yml', '/srv/ff');
    expect(config.db).toEqual({ type: 'sqlite', url: '/srv/ff/data/flowforge.db' });
    expect(config.telemetry.enabled).toBeUndefined();
    expect(config.telemetry.timeoutMs).toBe(3000);
    expect(config.collector.enabled).toBe(false);
  });

  it('reads a full file, resolving a relative SQLite path against the working directory', () => {
    const config = parseConfig(
      lines(
        'db:',
        '  type: sqlite',
        '  url: file:./db/main.sqlite',
        'telemetry:',
        '  enabled: false',
        '  timeoutMs: 5000',
      ),
      'flowforge.yml',
      '/srv/ff',
    );
    expect(config.db.url).toBe('/srv/ff/db/main.sqlite');
    expect(config.telemetry).toMatchObject({ enabled: false, timeoutMs: 5000 });
  });

  it('accepts PostgreSQL with a URL', () => {
    const config = parseConfig(lines('db:', '  type: postgres', '  url: postgres://u:p@db:5432/ff'));
    expect(config.db).toEqual({ type: 'postgres', url: 'postgres://u:p@db:5432/ff' });
  });

  it('reports bad YAML with its line', () => {
    expect(errorOf(lines('db:', '  type: sqlite', 'telemetry:', '  enabled: [true', '  url: x'))).toMatch(
      /^flowforge\.yml:\d+ is not valid YAML: /,
    );
    expect(errorOf(lines('db:', '  type: sqlite', '  type: postgres'))).toMatch(
      /^flowforge\.yml:3 is not valid YAML: Map keys must be unique/,
    );
  });

  it('names the key and line of a mistyped value', () => {
    const text = lines('# my platform', '', 'db:', '  type: sqlite', '', 'telemetry:', '  enabled: yes');
    expect(errorOf(text)).toBe('flowforge.yml:7 telemetry.enabled must be true or false');
    expect(errorOf(lines('telemetry:', '  timeoutMs: soon'))).toBe(
      'flowforge.yml:2 telemetry.timeoutMs must be a number of milliseconds',
    );
    expect(errorOf(lines('db:', '  type: mysql'))).toBe('flowforge.yml:2 db.type must be one of: sqlite, postgres');
  });

  it('names an unknown key and its line', () => {
    expect(errorOf(lines('db:', '  type: sqlite', '  pasword: x'))).toBe(
      'flowforge.yml:3 db.pasword is not a known key',
    );
    expect(errorOf(lines('db:', '  type: sqlite', 'telemetri:', '  enabled: false'))).toBe(
      'flowforge.yml:3 telemetri is not a known key',
    );
  });

  it('requires a URL for PostgreSQL, and a postgres:// one', () => {
    expect(errorOf(lines('db:', '  type: postgres'))).toBe(
      'flowforge.yml:1 db.url is required when db.type is postgres',
    );
    expect(errorOf(lines('db:', '  type: postgres', '  url: mysql://x/y'))).toBe(
      'flowforge.yml:3 db.url must start with postgres://',
    );
  });

  it('server.trustProxy is off unless set, and must be a boolean', () => {
    expect(parseConfig('').server.trustProxy).toBe(false);
    expect(parseConfig(lines('server:', '  trustProxy: true')).server.trustProxy).toBe(true);
    expect(errorOf(lines('server:', '  trustProxy: "yes"'))).toBe(
      'flowforge.yml:2 server.trustProxy must be true or false',
    );
  });

  it('server.publicUrl is unset unless given, and must be an http(s) URL', () => {
    expect(parseConfig('').server.publicUrl).toBeUndefined();
    expect(parseConfig(lines('server:', '  publicUrl: https://ff.example.com')).server.publicUrl).toBe(
      'https://ff.example.com',
    );
    expect(errorOf(lines('server:', '  publicUrl: ff.example.com'))).toBe(
      'flowforge.yml:2 server.publicUrl must be an http(s) URL',
    );
  });

  it('flowforge.yml.example is valid and describes the defaults', () => {
    const example = readFileSync(path.join(__dirname, '../../flowforge.yml.example'), 'utf8');
    expect(parseConfig(example, 'flowforge.yml.example', '/srv/ff')).toEqual(
      parseConfig('', 'flowforge.yml', '/srv/ff'),
    );
  });

  it('refuses a file that is not a mapping', () => {
    expect(errorOf('- db\n- telemetry\n')).toMatch(/^flowforge\.yml:1 must be a mapping/);
  });

  it('takes a section whose keys are all commented out as the defaults', () => {
    const config = parseConfig(
      lines('server:', '  # trustProxy: true', 'db:', '  # type: postgres', 'telemetry:', 'collector:'),
      'flowforge.yml',
      '/srv/ff',
    );
    expect(config).toEqual(parseConfig('', 'flowforge.yml', '/srv/ff'));
  });

  it('names the keys a section takes when it is given a value instead', () => {
    expect(errorOf(lines('db: postgres'))).toBe('flowforge.yml:1 db must be a mapping of keys: type, url');
    expect(errorOf(lines('db:', '  type: sqlite', 'telemetry: false'))).toBe(
      'flowforge.yml:3 telemetry must be a mapping of keys: enabled, url, timeoutMs, httpEvents, events',
    );
    expect(errorOf(lines('collector:', '  - enabled'))).toBe(
      'flowforge.yml:1 collector must be a mapping of keys: enabled, trustProxy, retentionDays, ' +
        'maxRequestsPerMinute, maxEventsPerMinute, maxBytesPerMinute',
    );
  });

  it('flowforge.yml.example documents every key the file accepts, and no other', () => {
    const example = readFileSync(path.join(__dirname, '../../flowforge.yml.example'), 'utf8');
    // Sections, sub-sections (4 spaces) and their keys, commented-out ones (`# enabled: false`) included.
    const documented: string[] = [];
    let current = '';
    let sub = '';
    for (const line of example.split('\n')) {
      const top = /^([a-zA-Z]+):/.exec(line);
      if (top) [current, sub] = [top[1], ''];
      const nested = /^ {2}([a-zA-Z]+):$/.exec(line); // a sub-section: `  events:` with keys below
      if (nested) {
        sub = nested[1];
        continue;
      }
      const key = /^ {2}(?:# )?([a-zA-Z]+):(?: \S+)?$/.exec(line); // `key: value`, not prose in a comment
      if (key && current) {
        documented.push(`${current}.${key[1]}`);
        sub = '';
      }
      const subKey = /^ {4}(?:# )?([a-zA-Z]+):(?: \S+)?$/.exec(line);
      if (subKey && current && sub) documented.push(`${current}.${sub}.${subKey[1]}`);
    }
    expect(documented.sort()).toEqual([...CONFIG_KEYS].sort());
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'flowforge-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the defaults when flowforge.yml does not exist', () => {
    const config = loadConfig({}, dir);
    expect(config.file).toEqual({ path: path.join(dir, 'flowforge.yml'), exists: false });
    expect(config.db.url).toBe(path.join(dir, 'data/flowforge.db'));
    expect(config.authSecret).toBeUndefined();
  });

  it('reads the file named by FLOWFORGE_CONFIG and labels errors with its path', () => {
    const file = path.join(dir, 'custom.yml');
    writeFileSync(file, lines('telemetry:', '  enabled: "no"'));
    expect(() => loadConfig({ FLOWFORGE_CONFIG: file }, dir)).toThrow(
      'custom.yml:2 telemetry.enabled must be true or false',
    );
    writeFileSync(file, lines('telemetry:', '  enabled: false'));
    const config = loadConfig({ FLOWFORGE_CONFIG: file, FLOWFORGE_TELEMETRY: 'on', AUTH_SECRET: 's3cret' }, dir);
    expect(config.file.exists).toBe(true);
    expect(config.telemetry.enabled).toBe(false);
    expect(config.telemetryEnv).toBe(true);
    expect(config.authSecret).toBe('s3cret');
  });

  it('labels errors with the path from the working directory, or the full path of a file outside it', () => {
    const inside = path.join(dir, 'conf', 'ff.yml');
    mkdirSync(path.dirname(inside), { recursive: true });
    writeFileSync(inside, lines('db: postgres'));
    expect(() => loadConfig({ FLOWFORGE_CONFIG: inside }, dir)).toThrow(/^conf\/ff\.yml:1 db must be a mapping/);
    const elsewhere = path.join(dir, 'conf');
    expect(() => loadConfig({ FLOWFORGE_CONFIG: inside }, path.join(elsewhere, 'sub'))).toThrow(
      new RegExp(`^${inside.replace(/[.]/g, '\\.')}:1 db must be a mapping`),
    );
  });
});
