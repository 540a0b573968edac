// The one place that reads flowforge.yml and the environment. Everything else
// calls getConfig() and gets one validated, typed object. A bad file stops
// startup with `flowforge.yml:LINE key.path message`, never a stack trace.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document } from 'yaml';
import { z } from 'zod';
import { DB_DRIVERS } from './db-driver';
import { firstIssue } from './zod-issue';
import { detectEnvironment, type RuntimeEnvironment } from './events/environment';

const mustBeBoolean = { error: 'must be true or false' };

/** A whole number of `unit`, at least `min` (and at most `max`), each refusal in its own words. */
function wholeNumber(unit: string, min: number, max?: number) {
  const number = z
    .number({ error: `must be a number of ${unit}` })
    .int({ error: `must be a whole number of ${unit}` })
    .min(min, { error: `must be at least ${min}` });
  return max === undefined ? number : number.max(max, { error: `must be at most ${max}` });
}

const serverKeys = {
  // Behind your own reverse proxy: take the client address it appends to X-Forwarded-For
  // (sign-in limits per IP). Off: the TCP peer's address, which a client cannot forge.
  trustProxy: z.boolean(mustBeBoolean).default(false),
  // The address users open, e.g. https://flowforge.example.com. An https:// address
  // turns on HSTS and Secure session cookies (lib/security-headers.ts).
  publicUrl: z.url({ error: 'must be an http(s) URL', protocol: /^https?$/ }).optional(),
};

const dbKeys = {
  type: z.enum(DB_DRIVERS, { error: `must be one of: ${DB_DRIVERS.join(', ')}` }).default('sqlite'),
  // sqlite: a file path or file: URL (default ./data/flowforge.db); postgres: postgres://... (required)
  url: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
};

// Per-request HTTP events in SQL (lib/http-events/): off unless enabled; independent of usage
// telemetry, nothing here leaves the operator's own database.
const httpEventsKeys = {
  enabled: z.boolean(mustBeBoolean).default(false),
  // A separate PostgreSQL database for the events (postgres://...); absent: the platform's own database.
  postgres: z
    .string({ error: 'must be a postgres:// connection string' })
    .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// connection string' })
    .optional(),
  namespace: z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(100)
    .default('flowforge'),
  version: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(100).optional(),
  // Store the client address as is (INET on PostgreSQL); false: a keyed hash of it.
  storeClientIp: z.boolean(mustBeBoolean).default(false),
  // Store query string values; false: only the parameter names.
  storeQueryValues: z.boolean(mustBeBoolean).default(false),
  retentionDays: wholeNumber('days', 1, 3650).default(30),
};

const eventsKeys = {
  // Unset: events follow the telemetry setting. false turns events off (pings are unaffected).
  enabled: z.boolean(mustBeBoolean).optional(),
  // PostHog-compatible host; unset: the collector of telemetry.url. FLOWFORGE_POSTHOG_HOST overrides it.
  host: z.url({ error: 'must be an http(s) URL', protocol: /^https?$/ }).optional(),
  // Project API key sent with each batch; FLOWFORGE_POSTHOG_API_KEY overrides it.
  apiKey: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(200).optional(),
};

const telemetryKeys = {
  // Unset means "decided in Admin Settings"; true/false here locks the setting.
  enabled: z.boolean(mustBeBoolean).optional(),
  url: z.url({ error: 'must be an http(s) URL', protocol: /^https?$/ }).default('https://ping.flowforge.com'),
  timeoutMs: wholeNumber('milliseconds', 100, 60_000).default(3000),
  httpEvents: section(httpEventsKeys),
  // Usage events in PostHog format (see TELEMETRY.md): a nested section.
  events: section(eventsKeys),
};

const collectorKeys = {
  enabled: z.boolean(mustBeBoolean).default(false),
  trustProxy: z.boolean(mustBeBoolean).default(false),
  retentionDays: wholeNumber('days', 1).default(365),
  // Reports accepted per sender address per minute before answering 429.
  maxRequestsPerMinute: wholeNumber('requests', 1).default(60),
  // PostHog-format events accepted per sender address per minute (a batch counts each event).
  maxEventsPerMinute: wholeNumber('events', 1).default(6000),
  // Body bytes (after gzip is inflated) accepted per sender address per minute.
  maxBytesPerMinute: wholeNumber('bytes', 1024).default(16 * 1024 * 1024),
};

/**
 * One section of the file. A section whose keys are all commented out is YAML null:
 * it means "defaults", like a missing section. Anything else that is not a mapping
 * is refused with the keys the section takes.
 */
function section<Shape extends z.core.$ZodLooseShape>(keys: Shape) {
  const expected = `must be a mapping of keys: ${Object.keys(keys).join(', ')}`;
  return z.preprocess(
    (value) => value ?? {},
    z.strictObject(keys, { error: (issue) => (issue.code === 'invalid_type' ? expected : undefined) }),
  );
}

/** Sections inside sections, by key: their keys are listed one level deeper. */
const NESTED_SECTIONS: Record<string, z.core.$ZodLooseShape> = { httpEvents: httpEventsKeys, events: eventsKeys };

const configSchema = z.strictObject({
  server: section(serverKeys),
  db: section(dbKeys),
  telemetry: section(telemetryKeys),
  collector: section(collectorKeys),
});

/** Every key flowforge.yml accepts, as `section.key` or `section.sub.key` (flowforge.yml.example documents each). */
export const CONFIG_KEYS: readonly string[] = Object.entries({
  server: serverKeys,
  db: dbKeys,
  telemetry: telemetryKeys,
  collector: collectorKeys,
}).flatMap(([name, keys]) =>
  Object.keys(keys).flatMap((key) =>
    key in NESTED_SECTIONS ? Object.keys(NESTED_SECTIONS[key]).map((sub) => `${name}.${key}.${sub}`) : `${name}.${key}`,
  ),
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
  /** Next's build folder (FLOWFORGE_DIST_DIR, as next.config.mjs reads it): route patterns come from its manifest. */
  nextDistDir: string;
  /** Where usage events go: FLOWFORGE_POSTHOG_HOST / _API_KEY > telemetry.events > the ping's collector. */
  eventsTarget: EventsTarget;
  /** CI system and deployment kind, detected from the environment at start. */
  environment: RuntimeEnvironment;
}

export interface EventsTarget {
  host: string;
  apiKey: string;
  /** Who chose the host, for Admin Settings. */
  hostFrom: 'env' | 'file' | 'telemetry.url';
}

/** The API key sent when none is configured: our collector ignores it; a PostHog project needs its own. */
export const DEFAULT_EVENTS_API_KEY = 'flowforge';

/**
 * The PostHog host for events. Unset: the collector that receives pings, i.e.
 * telemetry.url without its ping path (our collector serves /batch/ beside /ping).
 */
export function eventsTarget(telemetry: Pick<FileConfig['telemetry'], 'url' | 'events'>, env: Env): EventsTarget {
  const envHost = env.FLOWFORGE_POSTHOG_HOST?.trim();
  if (envHost && !isHttpUrl(envHost))
    throw new ConfigError(`environment variable FLOWFORGE_POSTHOG_HOST must be an http(s) URL (got "${envHost}")`);
  const apiKey = env.FLOWFORGE_POSTHOG_API_KEY?.trim() || telemetry.events.apiKey || DEFAULT_EVENTS_API_KEY;
  if (envHost) return { host: stripSlash(envHost), apiKey, hostFrom: 'env' };
  if (telemetry.events.host) return { host: stripSlash(telemetry.events.host), apiKey, hostFrom: 'file' };
  const url = new URL(telemetry.url);
  const base = url.pathname.replace(/\/(api\/v1\/)?ping\/?$/, '');
  return { host: stripSlash(`${url.origin}${base}`), apiKey, hostFrom: 'telemetry.url' };
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const stripSlash = (url: string) => url.replace(/\/+$/, '');

const ENV_TRUE = ['1', 'true', 'on', 'yes'];
const ENV_FALSE = ['0', 'false', 'off', 'no'];

/** FLOWFORGE_TELEMETRY: 0/false/off/no or 1/true/on/yes; anything else is a startup error. */
export function parseTelemetryEnv(value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const normalised = value.trim().toLowerCase();
  if (ENV_TRUE.includes(normalised)) return true;
  if (ENV_FALSE.includes(normalised)) return false;
  throw new ConfigError(
    `environment variable FLOWFORGE_TELEMETRY must be one of 0, false, off, no, 1, true, on, yes (got "${value}")`,
  );
}

export class ConfigError extends Error {
  name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function configPath(env: Env = process.env, cwd = process.cwd()): string {
  return path.resolve(/*turbopackIgnore: true*/ cwd, env.FLOWFORGE_CONFIG || 'flowforge.yml');
}

/** Parses flowforge.yml text; `fileName` only labels error messages. */
export function parseConfig(
  text: string,
  fileName = 'flowforge.yml',
  cwd = process.cwd(),
): FileConfig & { db: { url: string } } {
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
    const issue = firstIssue(result.error, 'is not a known key');
    throw new ConfigError(`${fileName}:${lineOf(doc, lineCounter, issue.path)} ${issue.where} ${issue.message}`);
  }
  const parsed = result.data;
  if (parsed.db.type === 'postgres' && !parsed.db.url) {
    throw new ConfigError(
      `${fileName}:${lineOf(doc, lineCounter, ['db'])} db.url is required when db.type is postgres`,
    );
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
  const parsed = withHttpEventsEnv(parseConfig(text, label, cwd), env);
  return {
    ...parsed,
    nextDistDir: path.resolve(/*turbopackIgnore: true*/ cwd, env.FLOWFORGE_DIST_DIR || '.next'),
    file: { path: file, exists },
    authSecret: env.AUTH_SECRET || undefined,
    telemetryEnv: parseTelemetryEnv(env.FLOWFORGE_TELEMETRY),
    eventsTarget: eventsTarget(parsed.telemetry, env),
    environment: detectEnvironment(env),
  };
}

/**
 * FLOWFORGE_HTTP_EVENTS_POSTGRES / _NAMESPACE / _VERSION override the file's
 * telemetry.httpEvents keys. Errors never repeat the connection string (it may hold a password).
 */
function withHttpEventsEnv<T extends FileConfig>(parsed: T, env: Env): T {
  const overrides = [
    ['FLOWFORGE_HTTP_EVENTS_POSTGRES', 'postgres'],
    ['FLOWFORGE_HTTP_EVENTS_NAMESPACE', 'namespace'],
    ['FLOWFORGE_HTTP_EVENTS_VERSION', 'version'],
  ] as const;
  const httpEvents = { ...parsed.telemetry.httpEvents };
  for (const [name, key] of overrides) {
    const value = env[name]?.trim();
    if (!value) continue;
    const result = httpEventsKeys[key].safeParse(value);
    if (!result.success) throw new ConfigError(`environment variable ${name} ${result.error.issues[0].message}`);
    httpEvents[key] = result.data as string;
  }
  return { ...parsed, telemetry: { ...parsed.telemetry, httpEvents } };
}

/**
 * The configuration the `flowforge` CLI shares with the server. FLOWFORGE_CONFIG
 * is taken relative to where the operator typed the command; without it the
 * project's own flowforge.yml is used, and a relative SQLite path is resolved
 * from the project folder, as `npm start` (run there) resolves it.
 */
export function loadCliConfig(projectRoot: string, callerCwd = process.cwd(), env: Env = process.env): Config {
  const file = env.FLOWFORGE_CONFIG
    ? path.resolve(/*turbopackIgnore: true*/ callerCwd, env.FLOWFORGE_CONFIG)
    : path.join(projectRoot, 'flowforge.yml');
  // A mistyped path must not quietly switch the command to the default database.
  if (env.FLOWFORGE_CONFIG && !existsSync(file))
    throw new ConfigError(`FLOWFORGE_CONFIG points at ${file}, which does not exist`);
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
