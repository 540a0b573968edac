// The built platform on PostgreSQL: a fresh database is migrated at start and
// the setup wizard completes in the browser; the collector stores pings and
// PostHog batches with its PostgreSQL statements (the built server bundles
// lib/db-client.ts per chunk, which once made its route handlers send SQLite's
// SQL: only a built server shows that). The database is dropped after.
import { randomUUID } from 'node:crypto';
import { expect, test } from './fixtures';
import { startPlatform, UNLIMITED_COLLECTOR, type Platform } from './platform';
import { createPostgresDatabase } from '../helpers/databases';
import { fillAdminStep } from './wizard';

let platform: Platform;
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
test.beforeAll(async () => {
  database = await createPostgresDatabase();
  platform = await startPlatform({
    config: { db: { type: 'postgres', url: database.url }, collector: UNLIMITED_COLLECTOR },
  });
});
test.afterAll(async () => {
  await platform?.stop();
  await database?.drop();
});

test('runs on PostgreSQL: migrations applied at start, the wizard creates the admin', async ({ page }) => {
  expect(platform.logs.join('')).toContain('[flowforge] ready: postgres database');
  await page.goto(platform.url);
  await expect(page).toHaveURL(/\/setup$/);
  await fillAdminStep(page, platform.url, 'pg-admin@example.com');
  await page.getByRole('button', { name: 'Finish setup' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId('total-users')).toHaveText('1');
  const admin = await platform.db.user.findUniqueOrThrow({ where: { email: 'pg-admin@example.com' } });
  expect(admin.role).toBe('admin');
  const rows = await platform.db.$queryRawUnsafe<Array<{ migration_name: string }>>(
    'SELECT migration_name FROM "_prisma_migrations"',
  );
  expect(rows.length).toBeGreaterThan(0);
});

/** A ping as the platform's sender builds it (tests/helpers/collector.ts imports lib/config: not here). */
const ping = (instanceId: string) => ({
  instanceId,
  os: { type: 'Linux', release: '6.1.0-18-amd64', arch: 'x64' },
  env: { nodejs: 'v20.20.2', flowforge: '0.1.0' },
  platform: { counts: { users: 12, teams: 3, projects: 40 }, config: { driver: 'postgres' } },
});

test('the collector stores pings and PostHog batches on PostgreSQL', async () => {
  const post = (path: string, body: unknown) =>
    fetch(`${platform.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const instanceId = randomUUID();
  // Several pings at once, so they share a batch of the PostgreSQL writer.
  const pings = await Promise.all(Array.from({ length: 5 }, () => post('/api/v1/ping', ping(randomUUID()))));
  expect(pings.map((response) => response.status)).toEqual([202, 202, 202, 202, 202]);
  expect((await post('/api/v1/ping', ping(instanceId))).status).toBe(202);
  const batch = {
    api_key: 'e2e',
    batch: Array.from({ length: 3 }, (_, i) => ({
      event: 'cli_command',
      distinct_id: instanceId,
      uuid: randomUUID(),
      properties: { command: 'status', success: i > 0 },
    })),
  };
  const stored = await post('/batch/', batch);
  expect(stored.status, await stored.text()).toBe(200);
  expect(platform.logs.join('')).not.toContain('could not store');
  expect(await platform.db.collectorPing.count()).toBe(6);
  expect(await platform.db.collectorInstance.count()).toBe(6);
  const [day] = await platform.db.collectorDay.findMany();
  expect({ pings: day.pings, instances: day.instances, senders: day.senders }).toEqual({
    pings: 6,
    instances: 6,
    senders: 1,
  });
  expect(await platform.db.collectorEvent.count()).toBe(3);
});
