// A platform started against a database migrated by a newer FlowForge stops
// with a clear message instead of serving with a schema it does not know.
import { writeFileSync } from 'node:fs';
import { expect, test, usePlatform } from './fixtures';

const platform = usePlatform();

test('refuses to start on a database with an unknown migration', async () => {
  await platform().db.$executeRawUnsafe(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
     VALUES ('00000000-0000-0000-0000-00000000f00d', 'x', '29991231000000_from_the_future',
             CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)`,
  );
  platform().logs.length = 0;
  await expect(platform().restart()).rejects.toThrow(/platform exited with 1/);
  expect(platform().logs.join('')).toContain(
    '[flowforge] cannot start: The database is newer than this version of FlowForge: ' +
      'it has migration 29991231000000_from_the_future which this code does not know.',
  );
  expect(await platform().db.user.count()).toBe(0); // nothing was touched
});

test('an unreachable database and a bad flowforge.yml stop the start with one line each', async () => {
  // A port nothing listens on; the password must not appear in the log.
  writeFileSync(
    platform().configPath,
    'db:\n  type: postgres\n  url: postgres://flowforge:Sup3r-Secret@127.0.0.1:9/flowforge\n',
  );
  platform().logs.length = 0;
  await expect(platform().restart()).rejects.toThrow(/platform exited with 1/);
  const logs = platform().logs.join('');
  expect(logs).toContain(
    '[flowforge] cannot start: cannot open the PostgreSQL database: connect ECONNREFUSED 127.0.0.1:9',
  );
  expect(logs).not.toContain('Sup3r-Secret');
  expect(logs).not.toMatch(/\n\s+at /); // no stack trace

  writeFileSync(platform().configPath, 'db: postgres\n');
  platform().logs.length = 0;
  await expect(platform().restart()).rejects.toThrow(/platform exited with 1/);
  expect(platform().logs.join('')).toContain(
    `[flowforge] cannot start: ${platform().configPath}:1 db must be a mapping of keys: type, url`,
  );
});
