// The one place that reads flowforge.yml and the environment. Everything else
// calls getConfig() and gets one validated, typed object. A bad file stops
// startup with `flowforge.yml:LINE key.path message`, never a stack trace.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document } from 'yaml';
import { z } from 'zod';

const mustBeBoolean = { error: 'must be true or false' };

const serverKeys = {
  // Behind your own reverse proxy: take the client address it appends to X-Forwarded-For
  // (sign-in limits per IP). Off: the TCP peer's address, which a client cannot forge.
  trustProxy: z.boolean(mustBeBoolean).default(false),
};

const dbKeys = {
  type: z.enum(['sqlite', 'postgres'], { error: 'must be one of: sqlite, postgres' }).default('sqlite'),
  // sqlite: a file path or file: URL (default ./data/flowforge.db); postgres: postgres://... (required)
  url: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
};

const telemetryKeys = {
  // Unset means "decided in Admin Settings"; true/false here locks the setting.
  enabled: z.boolean(mustBeBoolean).optional(),
  url: z.url({ error: 'must be an http(s) URL', protocol: /^https?$/ }).default('https://ping.flowforge.com'),
  timeoutMs: z
    .number({ error: 'must be a number of milliseconds' })
    .int({ error: 'must be a whole number of milliseconds' })
    .min(100, { error: 'must be at least 100' })
    .max(60_000, { error: 'must be at most 60000' })
    .default(3000),
};

const collectorKeys = {
  enabled: z.boolean(mustBeBoolean).default(false),
  trustProxy: z.boolean(mustBeBoolean).default(false),
  retentionDays: z
    .number({ error: 'must be a number of days' })
    .int({ error: 'must be a whole number of days' })
    .min(1, { error: 'must be at least 1' })
    .default(365),
  // Reports accepted per sender address per minute before answering 429.
  maxRequestsPerMinute: z
    .number({ error: 'must be a number of requests' })
    .int({ error: 'must be a whole number of requests' })
    .min(1, { error: 'must be at least 1' })
    .default(60),
};

/**
 * One section of the file. A section whose keys are all commented out is YAML null:
 * it means "defaults", like a missing section. Anything else that is not a mapping
 * is refused with the keys the section takes.
 */
function section<Shape extends z.core.$ZodLooseShape>(keys: Shape) {
  const expected = `must be a mapping of keys: ${Object.keys(keys).join(', ')}`;
  return z.preprocess((value) => value ?? {}, z.strictObject(keys, { error: (issue) => (issue.code === 'invalid_type' ? expected : undefined) }));
}

const configSchema = z.strictObject({
  server: section(serverKeys),
  db: section(dbKeys),
  telemetry: section(telemetryKeys),
  collector: section(collectorKeys),
});

/** Every key flowforge.yml accepts, as `section.key` (flowforge.yml.example documents each). */
export const CONFIG_KEYS: readonly string[] = Object.entries({ server: serverKeys, db: dbKeys, telemetry: telemetryKeys, collector: collectorKeys }).flatMap(
  ([name, keys]) => Object.keys(keys).map((key) => `${name}.${key}`),
);

export type FileConfig = z.infer<typeof configSchema>;

export interface Config extends FileConfig {
  db: FileConfig['db'] & { url: string };
  /** Where the settings came from, so the UI can say "set in flowforge.yml". */
  file: { path: string; exists: boolean };
  /** AUTH_SECRET from the environment; otherwise a secret is generated and kept in the database. */
  authSecret?: string;
  /** FLOWFORGE_TELEMETRY from the environment: it overrides the file and the database. */
  telemetryEnv?: boolean;
}

const ENV_TRUE = ['1', 'true', 'on', 'yes'];
const ENV_FALSE = ['0', 'false', 'off', 'no'];

/** FLOWFORGE_TELEMETRY: 0/false/off/no or 1/true/on/yes; anything else is a startup error. */
export function parseTelemetryEnv(value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const normalised = value.trim().toLowerCase();
  if (ENV_TRUE.includes(normalised)) return true;
  if (ENV_FALSE.includes(normalised)) return false;
  throw new ConfigError(`environment variable FLOWFORGE_TELEMETRY must be one of 0, false, off, no, 1, true, on, yes (got "${value}")`);
}

export class ConfigError extends Error {
  name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function configPath(env: Env = process.env, cwd = process.cwd()): string {
  return path.resolve(/*turbopackIgnore: true*/ cwd, env.FLOWFORGE_CONFIG || 'flowforge.yml');
}

/** Parses flowforge.yml text; `fileName` only labels error messages. */
export function parseConfig(text: string, fileName = 'flowforge.yml', cwd = process.cwd()): FileConfig & { db: { url: string } } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new ConfigError(`${fileName}:${line} is not valid YAML: ${first.message.split('\n')[0]}`);
  }
  const raw = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`${fileName}:1 must be a mapping of keys (server, db, telemetry, collector)`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const keys = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    const where = `${fileName}:${lineOf(doc, lineCounter, keys)}`;
    const name = keys.join('.') || '(top level)';
    const message = issue.code === 'unrecognized_keys' ? 'is not a known key' : issue.message;
    throw new ConfigError(`${where} ${name} ${message}`);
  }
  const parsed = result.data;
  if (parsed.db.type === 'postgres' && !parsed.db.url) {
    throw new ConfigError(`${fileName}:${lineOf(doc, lineCounter, ['db'])} db.url is required when db.type is postgres`);
  }
  if (parsed.db.type === 'postgres' && !/^postgres(ql)?:\/\//.test(parsed.db.url!)) {
    throw new ConfigError(`${fileName}:${lineOf(doc, lineCounter, ['db', 'url'])} db.url must start with postgres://`);
  }
  const url = parsed.db.type === 'sqlite' ? sqliteFile(parsed.db.url, cwd) : parsed.db.url!;
  return { ...parsed, db: { ...parsed.db, url } };
}

/** SQLite database file, absolute; relative paths are relative to the working directory. */
function sqliteFile(url: string | undefined, cwd: string): string {
  const file = (url ?? './data/flowforge.db').replace(/^file:/, '');
  return path.resolve(/*turbopackIgnore: true*/ cwd, file);
}

/** Line of the deepest node on `keys` that exists in the document (1 when none does). */
function lineOf(doc: Document, counter: LineCounter, keys: PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = 0;
  for (const key of keys) {
    if (!isMap(node)) break;
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
    if (!pair) break;
    const range = (pair.key as { range?: [number, number, number] }).range;
    if (range) offset = range[0];
    node = pair.value;
    if (isScalar(node) && node.range) offset = node.range[0];
  }
  return counter.linePos(offset).line;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const file = configPath(env, cwd);
  const exists = existsSync(file);
  const text = exists ? readFileSync(file, 'utf8') : '';
  // Errors name the file as typed from the working directory, or by its full path outside it.
  const relative = path.relative(cwd, file);
  const label = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  const parsed = parseConfig(text, label, cwd);
  return {
    ...parsed,
    file: { path: file, exists },
    authSecret: env.AUTH_SECRET || undefined,
    telemetryEnv: parseTelemetryEnv(env.FLOWFORGE_TELEMETRY),
  };
}

/**
 * The configuration the `flowforge` CLI shares with the server. FLOWFORGE_CONFIG
 * is taken relative to where the operator typed the command; without it the
 * project's own flowforge.yml is used, and a relative SQLite path is resolved
 * from the project folder, as `npm start` (run there) resolves it.
 */
export function loadCliConfig(projectRoot: string, callerCwd = process.cwd(), env: Env = process.env): Config {
  const file = env.FLOWFORGE_CONFIG ? path.resolve(/*turbopackIgnore: true*/ callerCwd, env.FLOWFORGE_CONFIG) : path.join(projectRoot, 'flowforge.yml');
  // A mistyped path must not quietly switch the command to the default database.
  if (env.FLOWFORGE_CONFIG && !existsSync(file)) throw new ConfigError(`FLOWFORGE_CONFIG points at ${file}, which does not exist`);
  return loadConfig({ ...env, FLOWFORGE_CONFIG: file }, projectRoot);
}

const cache = globalThis as unknown as { flowforgeConfig?: Config };

/** The configuration of this process, read once. Throws ConfigError on a bad file. */
export function getConfig(): Config {
  cache.flowforgeConfig ??= loadConfig();
  return cache.flowforgeConfig;
}

/** Tests and the CLI replace the process configuration (undefined: read the file again). */
export function setConfig(config: Config | undefined): void {
  cache.flowforgeConfig = config;
}
