// HTTP request events in the built platform, on SQLite and on PostgreSQL: a
// page, an API call, a server action, a 404 and a thrown 500 each leave one row
// with the real status, the route pattern (never the raw id) and the elapsed
// time; an admin reads them on /admin/traffic, a member cannot.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createPostgresDatabase } from '../helpers/databases';
import { seedUser, signInAs, startPlatform, type Platform } from './platform';

interface EventRow {
  worker_route: string;
  method: string;
  path: string;
  status: number;
  elapsed: number;
  ip_addr: string | null;
}

for (const driver of ['sqlite', 'postgres'] as const) {
  test.describe(`on ${driver}`, () => {
    let platform: Platform;
    let dropDatabase: (() => Promise<void>) | undefined;
    let userId: string;
    test.beforeAll(async () => {
      let db: Record<string, unknown> | undefined;
      if (driver === 'postgres') {
        const database = await createPostgresDatabase();
        dropDatabase = database.drop;
        db = { type: 'postgres', url: database.url };
      }
      platform = await startPlatform({
        config: { ...(db ? { db } : {}), telemetry: { httpEvents: { enabled: true } } },
      });
      userId = (await seedUser(platform.db, { email: 'admin@example.com', role: 'admin' })).id;
      await seedUser(platform.db, { email: 'member@example.com', role: 'member' });
    });
    test.afterAll(async () => {
      await platform?.stop();
      await dropDatabase?.();
    });

    async function rows(): Promise<EventRow[]> {
      const found = await platform.db.$queryRawUnsafe<EventRow[]>(
        `SELECT "worker_route", "method", "path", "status", "elapsed", CAST("ip_addr" AS TEXT) AS "ip_addr"
         FROM "flowforge_http_events" ORDER BY "time"`,
      );
      return found.map((row) => ({ ...row, status: Number(row.status), elapsed: Number(row.elapsed) }));
    }
    async function waitForRow(match: (row: EventRow) => boolean): Promise<EventRow> {
      let found: EventRow | undefined;
      await expect.poll(async () => (found = (await rows()).find(match)) !== undefined, { timeout: 15_000 }).toBe(true);
      return found!;
    }

    test('records pages, API calls, server actions, 404s and thrown 500s; the traffic page shows them', async ({
      page,
    }) => {
      await signInAs(page, platform.url, 'admin@example.com'); // GET /login, then the sign-in server action
      await page.goto(`${platform.url}/admin/users/${userId}?tab=details`);
      expect((await page.request.get(`${platform.url}/api/auth/session`)).status()).toBe(200);
      expect((await page.request.get(`${platform.url}/no-such-page/123`)).status()).toBe(404);
      // A thrown error: the audit page's table is gone, so its query throws and Next answers 500.
      await platform.db.$executeRawUnsafe('ALTER TABLE "AuditLog" RENAME TO "AuditLog_away"');
      try {
        expect((await page.request.get(`${platform.url}/admin/audit`)).status()).toBe(500);
      } finally {
        await platform.db.$executeRawUnsafe('ALTER TABLE "AuditLog_away" RENAME TO "AuditLog"');
      }

      const pageRow = await waitForRow((row) => row.path === `/admin/users/${userId}`);
      expect(pageRow).toMatchObject({ worker_route: '/admin/users/[id]', method: 'GET', status: 200 });
      const action = await waitForRow((row) => row.path === '/login' && row.method === 'POST');
      expect(action.worker_route).toBe('/login');
      expect(action.status).toBeLessThan(400);
      const api = await waitForRow((row) => row.path === '/api/auth/session');
      expect(api).toMatchObject({ worker_route: '/api/auth/[...nextauth]', status: 200 });
      const missing = await waitForRow((row) => row.path === '/no-such-page/123');
      expect(missing).toMatchObject({ worker_route: '(unmatched)', status: 404 });
      // (The nav links were prefetched with 200s before: the 500 is the row to find.)
      const thrown = await waitForRow((row) => row.path === '/admin/audit' && row.status === 500);
      expect(thrown).toMatchObject({ worker_route: '/admin/audit', method: 'GET' });
      const all = await rows();
      for (const row of all) {
        expect(row.elapsed).toBeGreaterThan(0);
        expect(row.worker_route).not.toContain(userId); // ids never reach the route column
        expect(row.ip_addr).toMatch(/^2001:db8:/); // keyed hash, not 127.0.0.1
      }
      expect(all.some((row) => row.path.startsWith('/_next/static/'))).toBe(false); // the documented rule

      await page.goto(`${platform.url}/admin`);
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Traffic' }).click();
      await expect(page.getByRole('heading', { name: 'Traffic' })).toBeVisible();
      const routes = page.getByTestId('table-routes');
      await expect(routes.locator('tr[data-route="/admin/users/[id]"]')).toBeVisible();
      await expect(routes.locator('tr[data-route="/admin/audit"] [data-cell="server-errors"]')).not.toHaveText('0%');
      await expect(page.getByTestId('table-errors').locator('tr[data-error="GET /admin/audit 500"]')).toBeVisible();
      await expect(page.getByTestId('table-errors').locator('tr[data-error="GET (unmatched) 404"]')).toBeVisible();
      await expect(page.getByTestId('dropped')).toHaveText('0');
      await expect(page.getByTestId('table-workers').locator('tbody tr')).toHaveCount(1);
      await expect(page.getByTestId('chart-requests')).toBeVisible();
      await expect(page.getByTestId('chart-latency')).toBeVisible();
      const total = Number((await page.getByTestId('total-requests').textContent())!.replace(/,/g, ''));
      expect(total).toBeGreaterThanOrEqual(6);

      await page.getByRole('link', { name: 'Last 7 days' }).click();
      await expect(page).toHaveURL(/window=week/);
      await expect(page.getByTestId('table-routes').locator('tr[data-route="/admin/users/[id]"]')).toBeVisible();
      // Nothing on the page names the database's connection string.
      if (driver === 'postgres') expect(await page.content()).not.toContain('postgres://');
    });

    test('members are refused the traffic page', async ({ browser }) => {
      const page: Page = await browser.newPage();
      await signInAs(page, platform.url, 'member@example.com');
      const response = await page.goto(`${platform.url}/admin/traffic`);
      expect(response!.status()).toBe(403);
      await page.close();
    });
  });
}
