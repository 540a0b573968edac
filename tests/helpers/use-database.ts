// Points the app's lib/db and lib/config at a test database for one test file; `db()` reads
// its client inside a test (it exists once beforeAll has run).
import { afterAll, beforeAll } from 'vitest';
import { setDb } from '../../lib/db';
import { senderLimits } from '../../lib/collector/sender-limits';
import { loadConfig, setConfig, type Config } from '../../lib/config';
import { createTestDatabase, type TestDatabase } from './databases';
import type { Db } from '../../lib/db-client';
import type { Driver } from '../../lib/db-driver';

export function useTestDatabase(
  driver: Driver,
  overrides: Partial<Omit<Config, 'db'>> = {},
): { current: TestDatabase; db(): Db } {
  const ref = { db: () => ref.current.db } as { current: TestDatabase; db(): Db };
  beforeAll(async () => {
    ref.current = await createTestDatabase(driver);
    setDb(ref.current.db);
    setConfig({
      ...loadConfig({ FLOWFORGE_CONFIG: '/nonexistent/flowforge.yml' }),
      ...overrides,
      db: ref.current.config,
    });
  });
  afterAll(async () => {
    setDb(undefined);
    setConfig(undefined);
    // The collector's limiter shares its counts on a timer: stopped first, so no sync reopens the
    // client while PostgreSQL drops the database under it (a connection it opened then was ended
    // by the drop, and the error surfaced once as an unhandled error in CI).
    if (ref.current) await senderLimits(ref.current.db).stop();
    await ref.current?.dispose();
  });
  return ref;
}
