import { describe, expect, it } from 'vitest';
import { payloadFieldPaths, telemetryPayloadSchema } from '../../lib/telemetry/payload-schema';

const valid = {
  instanceId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  os: { type: 'Linux', release: '6.1.0-18-amd64', arch: 'x64' },
  env: { nodejs: 'v20.20.2', flowforge: '0.1.0' },
  platform: { counts: { users: 3, teams: 1, projects: 2 }, config: { driver: 'sqlite' } },
};

describe('telemetry payload schema', () => {
  it('accepts the documented payload', () => {
    expect(telemetryPayloadSchema.parse(valid)).toEqual(valid);
  });

  it('rejects an unexpected field anywhere', () => {
    expect(telemetryPayloadSchema.safeParse({ ...valid, email: 'a@b.c' }).success).toBe(false);
    expect(telemetryPayloadSchema.safeParse({ ...valid, os: { ...valid.os, hostname: 'db1' } }).success).toBe(false);
  });

  it('rejects an email, IP address or path smuggled into a known field', () => {
    for (const release of ['ada@example.com', '10.0.0.1', '/home/ada']) {
      expect(telemetryPayloadSchema.safeParse({ ...valid, os: { ...valid.os, release } }).success).toBe(false);
    }
  });

  it('lists every leaf field', () => {
    expect(payloadFieldPaths()).toEqual([
      'instanceId',
      'os.type',
      'os.release',
      'os.arch',
      'env.nodejs',
      'env.flowforge',
      'platform.counts.users',
      'platform.counts.teams',
      'platform.counts.projects',
      'platform.config.driver',
    ]);
  });
});
