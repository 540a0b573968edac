// Admin Settings against a local collector: "Send now" delivers the exact
// payload the preview shows, the history lists it, the last payload downloads
// byte for byte, and the collector failing shows up in the history too.
import { createServer, type Server } from 'node:http';
import { expect, test } from './fixtures';
import { seedUser, signInAs, startPlatform, type Platform } from './platform';

let platform: Platform;
let collector: Server;
let status = 200;
const received: string[] = [];

test.beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Pings only: usage events (gzip batches to /batch/) reach the same host.
      if (req.url?.startsWith('/api/v1/ping')) received.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const { port } = collector.address() as { port: number };
  platform = await startPlatform({ config: { telemetry: { url: `http://127.0.0.1:${port}/api/v1/ping` } } });
  await seedUser(platform.db, { email: 'root@example.com', name: 'Root Admin', role: 'admin' });
  await seedUser(platform.db, { email: 'member@example.com', name: 'Member' });
});
test.afterAll(async () => {
  await platform?.stop();
  await new Promise((resolve) => collector?.close(resolve));
});

test('"Send now" reaches the collector and the history shows it; the last payload downloads', async ({ page }) => {
  // The server started the schedule at boot (instrumentation -> jobs): the platform's daily time was picked.
  await expect
    .poll(async () => (await platform.db.setting.findUnique({ where: { key: 'telemetry.dailyTime' } }))?.value)
    .toMatch(/^\d\d:\d\d$/);
  await signInAs(page, platform.url, 'root@example.com');
  await page.goto(`${platform.url}/admin/settings`);
  // The boot ping goes out 30 s after start: on a slow machine it can come before this page.
  // Counted after the page was rendered, no row means the page was rendered without one.
  if ((await platform.db.telemetrySend.count()) === 0) {
    await expect(page.getByTestId('telemetry-history-empty')).toBeVisible();
    await expect(page.getByTestId('telemetry-last-success')).toHaveText('Never');
    await expect(page.getByTestId('telemetry-download')).toHaveCount(0);
  }
  await expect(page.getByTestId('telemetry-next')).toContainText(/UTC/);
  const preview = await page.getByTestId('telemetry-preview').textContent();

  await page.getByRole('button', { name: 'Send now' }).click();
  await expect(page.getByTestId('send-now-result')).toContainText('Sent: the collector answered HTTP 200');
  // (The boot ping, 30 s after start, is skipped because this ping went out within the hour;
  // on a very slow machine it may come first, so only manual rows and the last body are checked.)
  const sent = received.at(-1)!;
  expect(sent).toBe(preview); // byte for byte what the preview showed
  expect(JSON.parse(sent).platform.counts).toEqual({ users: 2, teams: 0, projects: 0 });

  const rows = page.getByTestId('telemetry-history').locator('tbody tr[data-trigger="manual"]');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Send now');
  await expect(rows.first()).toContainText('Delivered (HTTP 200)');
  await expect(page.getByTestId('telemetry-last-success')).toContainText('(Send now)');

  // The download is the exact body that was sent.
  const download = await page.request.get(`${platform.url}/api/admin/telemetry/last-payload`);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="flowforge-telemetry-.*\.json"$/);
  expect(await download.text()).toBe(sent);
  await expect(page.getByTestId('telemetry-download')).toBeVisible();

  // A failing collector: the attempt is recorded and reported, the page keeps working.
  status = 503;
  await page.getByRole('button', { name: 'Send now' }).click();
  await expect(page.getByTestId('send-now-result')).toContainText('Not delivered: HTTP 503');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('HTTP 503');
  expect(await platform.db.telemetrySend.count({ where: { trigger: 'manual' } })).toBe(2);

  // Turned off with the toggle: at once no "Send now" and no next ping; the history stays.
  await page.getByRole('checkbox', { name: /Share anonymous usage statistics/ }).uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('telemetry-status')).toContainText('Telemetry is off');
  await expect(page.getByRole('button', { name: 'Send now' })).toHaveCount(0);
  await expect(page.getByTestId('telemetry-next')).toContainText('None: telemetry is off');
  await expect(rows).toHaveCount(2);
  await platform.db.setting.update({ where: { key: 'telemetry.enabled' }, data: { value: 'true' } });
});

test('"Send now" is checked on the server: refused when turned off meanwhile, or for a demoted admin', async ({
  page,
}) => {
  await platform.db.setting.deleteMany({ where: { key: 'telemetry.enabled' } }); // back to the default: on
  await signInAs(page, platform.url, 'root@example.com');
  await page.goto(`${platform.url}/admin/settings`);
  const manualRows = () => platform.db.telemetrySend.count({ where: { trigger: 'manual' } });
  const before = { pings: received.length, rows: await platform.db.telemetrySend.count(), manual: await manualRows() };

  // Turned off elsewhere (the CLI, another admin) while this page still shows the button.
  await platform.db.setting.create({ data: { key: 'telemetry.enabled', value: 'false' } });
  await page.getByRole('button', { name: 'Send now' }).click();
  await expect(page.getByTestId('send-now-result')).toContainText('Telemetry is off');
  await platform.db.setting.deleteMany({ where: { key: 'telemetry.enabled' } });

  // Demoted while the page is open.
  await platform.db.user.update({ where: { email: 'root@example.com' }, data: { role: 'member' } });
  try {
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/admin/settings'));
    await page.getByRole('button', { name: 'Send now' }).click();
    expect((await answer).status()).toBe(403);
  } finally {
    await platform.db.user.update({ where: { email: 'root@example.com' }, data: { role: 'admin' } });
  }
  // No "Send now" went out. The platform's daily ping may (its random time of day can fall in
  // this test): any ping the collector got meanwhile must be such a scheduled one, whose row is
  // claimed before it leaves (so it may still be on its way).
  expect(await manualRows()).toBe(before.manual);
  const rowsAdded = (await platform.db.telemetrySend.count()) - before.rows;
  expect(received.length - before.pings).toBeLessThanOrEqual(rowsAdded);
});

test('the last payload is for admins only', async ({ page, request }) => {
  expect((await request.get(`${platform.url}/api/admin/telemetry/last-payload`)).status()).toBe(401);
  await signInAs(page, platform.url, 'member@example.com');
  expect((await page.request.get(`${platform.url}/api/admin/telemetry/last-payload`)).status()).toBe(403);
});

test('on a phone-sized screen Settings with its ping history does not scroll sideways', async ({ page }) => {
  await signInAs(page, platform.url, 'root@example.com');
  // Its own row to show: after a failure Playwright runs the rest of a file with a fresh platform.
  if ((await platform.db.telemetrySend.count()) === 0) {
    await page.goto(`${platform.url}/admin/settings`);
    await page.getByRole('button', { name: 'Send now' }).click();
    await expect(page.getByTestId('send-now-result')).toContainText('Sent');
  }
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${platform.url}/admin/settings`);
  await expect(page.getByTestId('telemetry-history').locator('tbody tr').first()).toBeVisible();
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
});
