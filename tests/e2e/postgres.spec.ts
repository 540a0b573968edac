// The built platform on PostgreSQL: a fresh database is migrated at start and
// the setup wizard completes in the browser. The database is dropped after.
import { expect, test } from '@playwright/test';
import { startPlatform, type Platform } from './platform';
import { createPostgresDatabase } from '../helpers/databases';
import { fillAdminStep } from './wizard';

let platform: Platform;
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
test.beforeAll(async () => {
  database = await createPostgresDatabase();
  platform = await startPlatform({ config: { db: { type: 'postgres', url: database.url } } });
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
  const rows = await platform.db.$queryRawUnsafe<Array<{ migration_name: string }>>('SELECT migration_name FROM "_prisma_migrations"');
  expect(rows.length).toBeGreaterThan(0);
});
