// What the collector accepts. Lenient where the sender's schema is strict:
// an older or newer platform may omit a field or add one, so known fields are
// typed when present, unknown fields are dropped (and counted), and only
// instanceId is required. Text fields pass the privacy rule of
// lib/sensitive-text.ts (the sender applies the same one), so the collector
// never stores an email, an address or a path; version fields are checked as versions.
import { z } from 'zod';
import { findSensitiveText, normaliseText, safeTextSchema, versionTextSchema } from '../sensitive-text';

const text = safeTextSchema();
const version = versionTextSchema();

const count = z.number().int().min(0).max(1_000_000_000);

/** Everything but instanceId: also read from PostHog event properties. */
export const instanceStateSchema = z.object({
  os: z.object({ type: text, release: version, arch: text }).partial().optional(),
  env: z.object({ nodejs: version, flowforge: version }).partial().optional(),
  platform: z
    .object({
      counts: z.object({ users: count, teams: count, projects: count }).partial().optional(),
      config: z.object({ driver: text }).partial().optional(),
    })
    .partial()
    .optional(),
});

export const pingSchema = instanceStateSchema.extend({ instanceId: z.uuid({ error: 'must be a UUID' }) });

export type InstanceState = z.infer<typeof instanceStateSchema>;
export type Ping = z.infer<typeof pingSchema>;

type Known = { [key: string]: true | Known };
const KNOWN_PING_FIELDS: Known = {
  instanceId: true,
  os: { type: true, release: true, arch: true },
  env: { nodejs: true, flowforge: true },
  platform: { counts: { users: true, teams: true, projects: true }, config: { driver: true } },
};

/** How many fields of `value` the schema does not know (an unknown object counts once). */
export function countUnknownFields(value: unknown, known: Known = KNOWN_PING_FIELDS): number {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 0;
  let unknown = 0;
  for (const [key, child] of Object.entries(value)) {
    const rule = known[key];
    if (rule === undefined) unknown += 1;
    else if (rule !== true) unknown += countUnknownFields(child, rule);
  }
  return unknown;
}

/** "os.arch: must be a string"-style reasons, at most a few. */
export function describeIssues(error: z.ZodError, prefix = ''): { path: string; message: string }[] {
  return error.issues.slice(0, 10).map((issue) => ({
    path: prefix + (issue.path.length ? issue.path.join('.') : '(body)'),
    message: issue.message,
  }));
}

export type ParseResult<T> =
  | { ok: true; value: T; droppedFields: number; extras?: ExtraMetrics }
  | { ok: false; issues: { path: string; message: string }[] };

/** One metric a sender reports beyond the known fields, e.g. platform.counts.devices = 12. */
export interface ExtraMetric {
  metric: string;
  kind: 'number' | 'boolean' | 'text';
  numberValue: number | null;
  textValue: string | null;
}

/** The extra metrics of a ping; null when it carries no `platform` object (then nothing is replaced). */
export type ExtraMetrics = ExtraMetric[] | null;

export const MAX_EXTRA_METRICS = 64;
const MAX_METRIC_DEPTH = 4;
const MAX_METRIC_TEXT = 64;
/** Keys of letters and digits; a key may itself hold dots ("broker.enabled"), as FlowFuse's flat keys do. */
const METRIC_KEY = /^[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*$/;
const KNOWN_PLATFORM_LEAVES = new Set(['counts.users', 'counts.teams', 'counts.projects', 'config.driver']);

/**
 * Every leaf under `platform` that the schema does not know and that is a number, a boolean
 * or a short text passing the privacy rule: kept as `platform.<path>`, at most
 * MAX_EXTRA_METRICS a ping, at most MAX_METRIC_DEPTH keys deep. Anything else is dropped and counted.
 */
export function extractExtraMetrics(platform: unknown): { metrics: ExtraMetrics; dropped: number } {
  if (typeof platform !== 'object' || platform === null || Array.isArray(platform))
    return { metrics: null, dropped: 0 };
  const metrics: ExtraMetric[] = [];
  let dropped = 0;
  const pending: Array<[string, unknown]> = Object.entries(platform).map(([key, value]) => [key, value]);
  for (let next = pending.shift(); next; next = pending.shift()) {
    const [path, value] = next;
    if (KNOWN_PLATFORM_LEAVES.has(path)) continue;
    const depth = path.split('.').length;
    if (!METRIC_KEY.test(path) || depth > MAX_METRIC_DEPTH) {
      dropped += 1;
      continue;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) pending.push([`${path}.${key}`, child]);
      continue;
    }
    const metric = toMetric(`platform.${path}`, value);
    if (!metric || metrics.length >= MAX_EXTRA_METRICS) dropped += 1;
    else metrics.push(metric);
  }
  return { metrics, dropped };
}

function toMetric(metric: string, value: unknown): ExtraMetric | null {
  if (typeof value === 'number')
    return Number.isFinite(value) && Math.abs(value) <= 1e15
      ? { metric, kind: 'number', numberValue: value, textValue: null }
      : null;
  if (typeof value === 'boolean') return { metric, kind: 'boolean', numberValue: value ? 1 : 0, textValue: null };
  if (typeof value === 'string') {
    const text = normaliseText(value);
    if (text.length > MAX_METRIC_TEXT || findSensitiveText(text)) return null;
    return { metric, kind: 'text', numberValue: null, textValue: text };
  }
  return null;
}

export function parsePing(body: unknown): ParseResult<Ping> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '(body)', message: 'must be a JSON object' }] };
  }
  const result = pingSchema.safeParse(body);
  if (!result.success) return { ok: false, issues: describeIssues(result.error) };
  // Unknown fields under platform are extra metrics (kept or counted there); elsewhere they are dropped.
  const { platform, ...rest } = body as Record<string, unknown>;
  const extras = extractExtraMetrics(platform);
  const knownPlatform =
    typeof platform === 'object' && platform !== null && !Array.isArray(platform) ? {} : { platform };
  const droppedFields = countUnknownFields({ ...rest, ...knownPlatform }) + extras.dropped;
  return { ok: true, value: result.data, droppedFields, extras: extras.metrics };
}

/** Size class of a count, so distributions are a GROUP BY on a stored label. */
export const BUCKETS = ['0', '1-9', '10-99', '100-999', '1,000-9,999', '10,000+'] as const;

export function bucketOf(value: number): string {
  if (value <= 0) return BUCKETS[0];
  if (value < 10) return BUCKETS[1];
  if (value < 100) return BUCKETS[2];
  if (value < 1000) return BUCKETS[3];
  if (value < 10_000) return BUCKETS[4];
  return BUCKETS[5];
}

/** "v20.20.2" -> "v20"; the dashboard groups Node.js by major version. */
export function nodeMajor(version: string): string {
  const match = /^v?(\d+)/.exec(version);
  return match ? `v${match[1]}` : version;
}
