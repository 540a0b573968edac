// The telemetry payload's shape, strict: an unexpected field fails validation
// before anything is sent. TELEMETRY.md documents these fields and a test keeps
// the two in step. String fields are short and may not look like an email,
// an IP address or a path, so a mistake cannot leak one.
import { z } from 'zod';

const safeText = z
  .string()
  .max(100)
  .refine((s) => !/@/.test(s), 'must not contain an email address')
  .refine((s) => !/\b\d{1,3}(\.\d{1,3}){3}\b/.test(s), 'must not contain an IPv4 address')
  .refine((s) => !/[\\/]/.test(s), 'must not contain a path');

const count = z.number().int().min(0);

export const telemetryPayloadSchema = z.strictObject({
  instanceId: z.uuid(),
  os: z.strictObject({ type: safeText, release: safeText, arch: safeText }),
  env: z.strictObject({ nodejs: safeText, flowforge: safeText }),
  platform: z.strictObject({
    counts: z.strictObject({ users: count, teams: count, projects: count }),
    config: z.strictObject({ driver: z.enum(['sqlite', 'postgres']) }),
  }),
});

export type TelemetryPayloadShape = z.infer<typeof telemetryPayloadSchema>;

/** Dotted paths of every leaf field, e.g. "platform.counts.users" (for docs and tests). */
export function payloadFieldPaths(schema: z.ZodType = telemetryPayloadSchema, prefix = ''): string[] {
  if (schema instanceof z.ZodObject) {
    return Object.entries(schema.shape).flatMap(([key, value]) => payloadFieldPaths(value as z.ZodType, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}
