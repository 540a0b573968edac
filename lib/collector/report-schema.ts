// What the collector accepts. Lenient where the sender's schema is strict:
// an older or newer platform may omit a field or add one, so known fields are
// typed when present, unknown fields are dropped (and counted), and only
// instanceId is required. Text fields refuse anything that looks like an
// email, an IP address or a path, so the collector never stores one by mistake.
import { z } from 'zod';

const text = z
  .string()
  .max(100)
  .refine((s) => !s.includes('@'), 'must not contain an email address')
  .refine((s) => !/\b\d{1,3}(\.\d{1,3}){3}\b/.test(s) && !/\b[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,7}\b/i.test(s), 'must not contain an IP address')
  .refine((s) => !/[\\/]/.test(s), 'must not contain a path');

const count = z.number().int().min(0).max(1_000_000_000);

/** Everything but instanceId: also read from PostHog event properties. */
export const instanceStateSchema = z.object({
  os: z.object({ type: text, release: text, arch: text }).partial().optional(),
  env: z.object({ nodejs: text, flowforge: text }).partial().optional(),
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

export type ParseResult<T> = { ok: true; value: T; droppedFields: number } | { ok: false; issues: { path: string; message: string }[] };

export function parsePing(body: unknown): ParseResult<Ping> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '(body)', message: 'must be a JSON object' }] };
  }
  const result = pingSchema.safeParse(body);
  if (!result.success) return { ok: false, issues: describeIssues(result.error) };
  return { ok: true, value: result.data, droppedFields: countUnknownFields(body) };
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
