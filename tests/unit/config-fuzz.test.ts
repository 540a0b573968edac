// flowforge.yml fuzz: generated files through the real loader (loadConfig reading
// the file from disk, as boot does). 500 broken or mistyped files must each stop
// startup with `flowforge.yml:LINE key ...` naming the very line (and, for a key
// or value, the key); well-formed files written in any of YAML's styles must give
// exactly the settings they spell out, so no file starts with a silently wrong
// setting. Seeded: FUZZ_SEED=<n> replays a run (the seed is printed).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../lib/config';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
console.log(
  `flowforge.yml fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED} npx vitest run tests/unit/config-fuzz.test.ts)`,
);

const dir = mkdtempSync(path.join(tmpdir(), 'flowforge-config-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------
// The settings a file means: a subset of sections and keys, each with a value.

type Kind = 'boolean' | 'int' | 'url' | 'dbType' | 'path' | 'pgUrl';
type Value = boolean | number | string;
interface Setting {
  section: string;
  key: string;
  kind: Kind;
  value: Value;
}

/** The keys the fuzz writes, with what each holds (minimums from lib/config.ts). */
const KEYS: { section: string; key: string; kind: Kind; min?: number; max?: number }[] = [
  { section: 'server', key: 'trustProxy', kind: 'boolean' },
  { section: 'telemetry', key: 'enabled', kind: 'boolean' },
  { section: 'telemetry', key: 'url', kind: 'url' },
  { section: 'telemetry', key: 'timeoutMs', kind: 'int', min: 100, max: 60_000 },
  { section: 'collector', key: 'enabled', kind: 'boolean' },
  { section: 'collector', key: 'trustProxy', kind: 'boolean' },
  { section: 'collector', key: 'retentionDays', kind: 'int', min: 1, max: 100_000 },
  { section: 'collector', key: 'maxRequestsPerMinute', kind: 'int', min: 1, max: 1_000_000 },
];

const settingArb = (spec: (typeof KEYS)[number]): fc.Arbitrary<Setting> => {
  const value: fc.Arbitrary<Value> =
    spec.kind === 'boolean'
      ? fc.boolean()
      : spec.kind === 'int'
        ? fc.integer({ min: spec.min!, max: spec.max! })
        : fc
            .tuple(
              fc.constantFrom('http', 'https'),
              fc.constantFrom('ping.example.com', 'collector.internal', '127.0.0.1', 'localhost'),
              fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
              fc.constantFrom('', '/ping', '/api/v1/ping'),
            )
            .map(([scheme, host, port, route]) => `${scheme}://${host}${port ? `:${port}` : ''}${route}`);
  return value.map((v) => ({ section: spec.section, key: spec.key, kind: spec.kind, value: v }));
};

const dbArb: fc.Arbitrary<Setting[]> = fc.oneof(
  fc.constant<Setting[]>([]),
  fc.constantFrom('./data/flowforge.db', '/var/lib/flowforge/ff.db', 'file:./db/main.sqlite', 'ff.db').map((url) => [
    { section: 'db', key: 'type', kind: 'dbType' as const, value: 'sqlite' },
    { section: 'db', key: 'url', kind: 'path' as const, value: url },
  ]),
  fc.constantFrom('postgres://ff:secret@db:5432/ff', 'postgresql://db.example.com/flowforge').map((url) => [
    { section: 'db', key: 'type', kind: 'dbType' as const, value: 'postgres' },
    { section: 'db', key: 'url', kind: 'pgUrl' as const, value: url },
  ]),
);

const meaningArb: fc.Arbitrary<Setting[]> = fc
  .tuple(
    fc.subarray(KEYS).chain((specs) => fc.tuple(...specs.map(settingArb))),
    dbArb,
  )
  .map(([settings, db]) => [...db, ...settings]);

// ---------------------------------------------------------------------------
// Writing a meaning as YAML, in one of the styles people use.

interface Style {
  indent: number;
  /** Sections written on one line as a flow mapping: `telemetry: { enabled: true }`. */
  flow: Set<string>;
  comments: boolean;
  /** Per value: 0 plain, 1 single-quoted, 2 double-quoted (strings); spelling of booleans. */
  variant: number[];
}

const styleArb: fc.Arbitrary<Style> = fc.record({
  indent: fc.constantFrom(2, 4),
  flow: fc.subarray(['server', 'db', 'telemetry', 'collector']).map((s) => new Set(s)),
  comments: fc.boolean(),
  variant: fc.array(fc.nat(2), { minLength: 16, maxLength: 16 }),
});

function scalar(setting: Setting, variant: number): string {
  const { value } = setting;
  if (typeof value === 'boolean') return [String(value), value ? 'True' : 'False', value ? 'TRUE' : 'FALSE'][variant];
  if (typeof value === 'number') return [String(value), `+${value}`, String(value)][variant];
  return [value, `'${value}'`, JSON.stringify(value)][variant];
}

interface Written {
  lines: string[];
  /** 1-based line of each `section.key` and of each section. */
  lineOf: Map<string, number>;
}

/** A line holding a YAML value for `key` that a mutation may put in place of the real one. */
type ValueOverride = { key: string; text: string } | undefined;

function write(meaning: Setting[], style: Style, override?: ValueOverride, extraKey?: { at: string; text: string }) {
  const lines: string[] = [];
  const lineOf = new Map<string, number>();
  if (style.comments) lines.push('# flowforge.yml of a test platform', '');
  const sections = [...new Set(meaning.map((s) => s.section))];
  if (extraKey?.at === '(top)') sections.push('(top)');
  let v = 0;
  for (const section of sections) {
    if (section === '(top)') {
      lines.push(extraKey!.text);
      lineOf.set('(extra)', lines.length);
      continue;
    }
    const entries = meaning
      .filter((s) => s.section === section)
      .map((s) => {
        const name = `${s.section}.${s.key}`;
        return { name, key: s.key, text: override?.key === name ? override.text : scalar(s, style.variant[v++ % 16]) };
      });
    const extra = extraKey?.at === section ? extraKey.text : undefined;
    if (style.flow.has(section) && !extra) {
      lines.push(`${section}: { ${entries.map((e) => `${e.key}: ${e.text}`).join(', ')} }`);
      lineOf.set(section, lines.length);
      for (const e of entries) lineOf.set(e.name, lines.length);
    } else {
      lines.push(`${section}:`);
      lineOf.set(section, lines.length);
      const pad = ' '.repeat(style.indent);
      for (const e of entries) {
        if (style.comments && e.name.endsWith('enabled')) lines.push(`${pad}# on or off`);
        lines.push(`${pad}${e.key}: ${e.text}${style.comments && e.key === 'timeoutMs' ? '  # milliseconds' : ''}`);
        lineOf.set(e.name, lines.length);
      }
      if (extra !== undefined) {
        lines.push(`${pad}${extra}`);
        lineOf.set('(extra)', lines.length);
      }
    }
    if (style.comments) lines.push('');
  }
  return { lines, lineOf } satisfies Written;
}

// ---------------------------------------------------------------------------
// Mistakes: each makes the file wrong in one known place.

type Expect = { line: number | 'any'; names?: string };
type Mistake = (meaning: Setting[], style: Style) => { text: string; expect: Expect } | null;

const WRONG_VALUES: Record<Kind, string[]> = {
  boolean: ['yes', 'no', 'on', 'off', '"true"', "'false'", '1', '0', 'enabled', '~', '[true]', '{ on: true }', 'y'],
  int: [
    '"3000"',
    '3000ms',
    '3_000',
    '3,000',
    '3000.5',
    '1e309',
    '.inf',
    '-.inf',
    '.nan',
    '-5',
    '0',
    'true',
    '[3000]',
    '~',
  ],
  url: ['ping.example.com', 'ftp://ping.example.com', '123', 'true', '""', 'https//x', '[https://x]', '~'],
  dbType: ['SQLite', 'mysql', 'postgresql', 'pg', 'true', '1', '~'],
  path: ['123', 'true', '[a.db]', '""', '~'],
  pgUrl: ['mysql://db/ff', '/var/lib/ff.db', 'true', '5432', '""', '~'],
};

const TYPOS: Record<string, string[]> = {
  trustProxy: ['trustproxy', 'trust_proxy', 'TrustProxy', 'trustProxies'],
  enabled: ['enable', 'Enabled', 'enabeld', 'disabled'],
  url: ['URL', 'uri', 'endpoint'],
  timeoutMs: ['timeoutMS', 'timeout', 'timeout_ms'],
  retentionDays: ['retention', 'retentionDay', 'retention_days'],
  maxRequestsPerMinute: ['maxRequestPerMinute', 'rateLimit'],
  type: ['driver', 'Type', 'kind'],
};

const mistakes: Record<string, (pick: number) => Mistake> = {
  // A value of the wrong type, spelling or range, at the key's line.
  wrongValue: (pick) => (meaning, style) => {
    if (meaning.length === 0) return null;
    const target = meaning[pick % meaning.length];
    const choices = WRONG_VALUES[target.kind].filter(
      // An empty value for a key in a flow mapping would be YAML null as well; fine either way.
      (text) => !(target.kind === 'path' && text === '""'),
    );
    const text = choices[pick % choices.length];
    const name = `${target.section}.${target.key}`;
    const written = write(meaning, style, { key: name, text });
    // Inside `{ ... }` a comma starts the next key (`3,000` is 3 and a key "000"): the error then
    // names that key, still on this line.
    const names = style.flow.has(target.section) && text.includes(',') ? undefined : name;
    return { text: written.lines.join('\n') + '\n', expect: { line: written.lineOf.get(name)!, names } };
  },
  // A mistyped key inside a section.
  unknownKey: (pick) => (meaning, style) => {
    if (meaning.length === 0) return null;
    const target = meaning[pick % meaning.length];
    const typos = TYPOS[target.key];
    const typo = typos[pick % typos.length];
    const written = write(meaning, style, undefined, { at: target.section, text: `${typo}: true` });
    return {
      text: written.lines.join('\n') + '\n',
      expect: { line: written.lineOf.get('(extra)')!, names: `${target.section}.${typo}` },
    };
  },
  // A misspelt section, or a key written at the top level (indentation lost).
  unknownSection: (pick) => (meaning, style) => {
    const name = ['telemtry', 'Telemetry', 'database', 'collectors', 'timeoutMs', 'enabled', 'url'][pick % 7];
    const written = write(meaning, style, undefined, { at: '(top)', text: `${name}: ${pick % 2 ? 'true' : '3000'}` });
    return { text: written.lines.join('\n') + '\n', expect: { line: written.lineOf.get('(extra)')!, names: name } };
  },
  // `telemetry: false` where a mapping belongs.
  scalarSection: (pick) => (meaning, style) => {
    const section = ['server', 'db', 'telemetry', 'collector'][pick % 4];
    const rest = write(
      meaning.filter((s) => s.section !== section),
      style,
    );
    const value = ['false', 'true', 'off', '3000', '[sqlite]', '"on"'][pick % 6];
    const lines = [...rest.lines, `${section}: ${value}`];
    return { text: lines.join('\n') + '\n', expect: { line: lines.length, names: section } };
  },
  // Broken YAML: a tab, an unclosed quote or bracket, a duplicate key, a second document, a stray line.
  brokenYaml: (pick) => (meaning, style) => {
    const written = write(meaning, { ...style, flow: new Set() });
    const lines = [...written.lines];
    const breaks = [
      () => lines.push('telemetry:', '\tenabled: true'),
      () => lines.push('telemetry:', "  url: 'https://ping.example.com"),
      () => lines.push('collector: { enabled: true'),
      () => lines.push('server:', '  trustProxy: true', '  trustProxy: false'),
      () => lines.push('collector:', '  enabled: false', '---', 'collector:', '  enabled: true'),
      () => lines.push('server:', '  trustProxy: true', '    enabled: true'),
      () => lines.push('db: [sqlite', 'telemetry:'),
      () => lines.push('"telemetry:', '  enabled: true'),
    ];
    breaks[pick % breaks.length]();
    return { text: lines.join('\n') + '\n', expect: { line: 'any' } };
  },
};

const mistakeArb = fc
  .tuple(fc.constantFrom(...Object.keys(mistakes)), fc.nat(1000), meaningArb, styleArb)
  .map(([kind, pick, meaning, style]) => ({ kind, made: mistakes[kind](pick)(meaning, style) }))
  .filter((m): m is { kind: string; made: NonNullable<ReturnType<Mistake>> } => m.made !== null);

// ---------------------------------------------------------------------------

/** Boot's loader on a file on disk; messages name it flowforge.yml (relative to the working directory). */
function load(text: string) {
  const file = path.join(dir, 'flowforge.yml');
  writeFileSync(file, text);
  return loadConfig({ FLOWFORGE_CONFIG: file }, dir);
}

function expectedConfig(meaning: Setting[]) {
  const expected = parseConfig('', 'flowforge.yml', dir) as unknown as Record<string, Record<string, unknown>>;
  for (const s of meaning) expected[s.section][s.key] = s.value;
  if (expected.db.type === 'sqlite') expected.db.url = path.resolve(dir, String(expected.db.url).replace(/^file:/, ''));
  return expected;
}

describe('flowforge.yml fuzz (seeded)', () => {
  // Bounded at a minute: a few seconds here, more on a loaded machine.
  it('500 broken or mistyped files: each stops startup naming its line and key', { timeout: 60_000 }, () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(mistakeArb, ({ kind, made }) => {
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
        let error: unknown = null;
        try {
          load(made.text);
        } catch (caught) {
          error = caught;
        }
        if (!(error instanceof ConfigError))
          throw new Error(`${kind}: started (or failed without a ConfigError: ${String(error)}) with\n${made.text}`);
        const match = /^flowforge\.yml:(\d+) (.*)$/s.exec(error.message);
        if (!match) throw new Error(`${kind}: message names no line: ${error.message}`);
        const line = Number(match[1]);
        const total = made.text.split('\n').length - 1;
        if (made.expect.line === 'any' ? line < 1 || line > total + 1 : line !== made.expect.line)
          throw new Error(`${kind}: line ${line}, expected ${made.expect.line}: ${error.message}\n${made.text}`);
        if (made.expect.names && !match[2].startsWith(`${made.expect.names} `))
          throw new Error(`${kind}: does not name ${made.expect.names}: ${error.message}\n${made.text}`);
      }),
      { seed: SEED, numRuns: 500 },
    );
    // Every kind of mistake was tried.
    expect([...seen.keys()].sort()).toEqual(Object.keys(mistakes).sort());
  });

  it('well-formed files in any style start with exactly the settings they spell out', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(meaningArb, styleArb, (meaning, style) => {
        const text = write(meaning, style).lines.join('\n') + '\n';
        const config = load(text) as unknown as Record<string, unknown>;
        const expected = expectedConfig(meaning);
        for (const section of Object.keys(expected)) expect(config[section], text).toEqual(expected[section]);
      }),
      { seed: SEED + 1, numRuns: 200 },
    );
  });
});
