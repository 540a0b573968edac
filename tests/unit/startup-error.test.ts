// One formatter for "cannot start" (server boot and the CLI).
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config';
import { MigrationError } from '../../lib/migrate';
import { describeStartupFailure } from '../../lib/startup-error';

const postgres = { type: 'postgres' as const, url: 'postgres://flowforge:s3cret@db.example.com/flowforge' };
const sqlite = { type: 'sqlite' as const, url: '/srv/flowforge/data/flowforge.db' };

describe('describeStartupFailure', () => {
  it('passes configuration and migration errors through as they are', () => {
    expect(
      describeStartupFailure(new ConfigError('flowforge.yml:7 telemetry.enabled must be true or false'), sqlite),
    ).toEqual({ message: 'flowforge.yml:7 telemetry.enabled must be true or false', unexpected: false });
    expect(describeStartupFailure(new MigrationError('migration x failed: syntax error'), postgres).message).toBe(
      'migration x failed: syntax error',
    );
  });

  it('names a database that cannot be opened by driver, never by URL (it may hold a password)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const failure = describeStartupFailure(refused, postgres);
    expect(failure).toEqual({
      message: 'cannot open the PostgreSQL database: connect ECONNREFUSED 127.0.0.1:5432',
      unexpected: false,
    });
    expect(failure.message).not.toContain('s3cret');
  });

  it('names the SQLite file, on one line, and marks an error without a code as unexpected', () => {
    const failure = describeStartupFailure(new Error('Invalid call:\n\n  unable to open database file'), sqlite);
    expect(failure).toEqual({
      message: 'cannot open the SQLite database /srv/flowforge/data/flowforge.db: unable to open database file',
      unexpected: true,
    });
  });
});
