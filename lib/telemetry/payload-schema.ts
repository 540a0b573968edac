// The telemetry payload's shape, strict: an unexpected field fails validation
// before anything is sent. TELEMETRY.md documents these fields and a test keeps
// the two in step. String fields are short and pass the privacy rule of
// lib/sensitive-text.ts (no email, address or path; versions checked as
// versions), the same rule the collector applies, so a mistake cannot leak one.
import { z } from 'zod';
import { DB_DRIVERS } from '../db-driver';
import { safeTextSchema, versionTextSchema } from '../sensitive-text';

const safeText = safeTextSchema();
const version = versionTextSchema();

const count = z.number().int().min(0);

export const telemetryPayloadSchema = z.strictObject({
  instanceId: z.uuid(),
  os: z.strictObject({ type: safeText, release: version, arch: safeText }),
  env: z.strictObject({ nodejs: version, flowforge: version }),
  platform: z.strictObject({
    counts: z.strictObject({ users: count, teams: count, projects: count }),
    config: z.strictObject({ driver: z.enum(DB_DRIVERS) }),
  }),
});

export type TelemetryPayloadShape = z.infer<typeof telemetryPayloadSchema>;

/** Dotted paths of every leaf field, e.g. "platform.counts.users" (for docs and tests). */
export function payloadFieldPaths(schema: z.ZodType = telemetryPayloadSchema, prefix = ''): string[] {
  if (schema instanceof z.ZodObject) {
    return Object.entries(schema.shape).flatMap(([key, value]) =>
      payloadFieldPaths(value as z.ZodType, prefix ? `${prefix}.${key}` : key),
    );
  }
  return [prefix];
}
