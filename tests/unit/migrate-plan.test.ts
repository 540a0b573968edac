import { describe, expect, it } from 'vitest';
import { MigrationError, migrationsDir, planMigrations, readMigrations } from '../../lib/migrate';

const m = (name: string) => ({ name, sql: `-- ${name}`, checksum: name });
const known = [m('20260101000000_init'), m('20260201000000_teams'), m('20260301000000_audit')];

describe('planMigrations', () => {
  it('runs everything on an empty database, in order', () => {
    expect(planMigrations(known, []).map((x) => x.name)).toEqual(known.map((x) => x.name));
  });

  it('runs only what is missing', () => {
    expect(planMigrations(known, ['20260101000000_init', '20260201000000_teams']).map((x) => x.name)).toEqual([
      '20260301000000_audit',
    ]);
    expect(
      planMigrations(
        known,
        known.map((x) => x.name),
      ),
    ).toEqual([]);
  });

  it('refuses a database that has a migration this code does not know, naming it', () => {
    expect(() => planMigrations(known, ['20260101000000_init', '20270101000000_future'])).toThrow(MigrationError);
    expect(() => planMigrations(known, ['20270101000000_future'])).toThrow(
      /The database is newer than this version of FlowForge: it has migration 20270101000000_future which this code does not know.*nothing was changed/,
    );
  });
});

describe('the checked-in migrations', () => {
  it('are read in name order with a checksum each, for both databases', () => {
    for (const driver of ['sqlite', 'postgres'] as const) {
      const migrations = readMigrations(migrationsDir(driver));
      expect(migrations.length).toBeGreaterThan(0);
      expect(migrations.map((x) => x.name)).toEqual([...migrations.map((x) => x.name)].sort());
      for (const migration of migrations) expect(migration.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('a missing folder is a clear error', () => {
    expect(() => readMigrations('/nonexistent/migrations')).toThrow(
      'migrations folder not found: /nonexistent/migrations',
    );
  });
});
