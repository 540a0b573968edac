// Two running platforms: one is a collector (collector.enabled), the other
// sends its telemetry there. The sender's admin presses "Send now"; the ping
// travels over real HTTP and shows up on the collector's dashboard.
import { expect, test } from './fixtures';
import { seedUser, signInAs, startPlatform, type Platform } from './platform';

let collector: Platform;
let sender: Platform;
test.beforeAll(async () => {
  collector = await startPlatform({ config: { collector: { enabled: true } } });
  sender = await startPlatform({ config: { telemetry: { url: `${collector.url}/ping` } } });
  await seedUser(collector.db, { email: 'collector-admin@example.com', role: 'admin' });
  await seedUser(sender.db, { email: 'sender-admin@example.com', role: 'admin' });
  await seedUser(sender.db, { email: 'sender-member@example.com' });
});
test.afterAll(async () => {
  await sender?.stop();
  await collector?.stop();
});

test('a ping sent by one platform appears on the dashboard of the collector platform', async ({ browser }) => {
  // Both run on 127.0.0.1 and would share cookies: one browser context per platform.
  const senderPage = await (await browser.newContext()).newPage();
  await signInAs(senderPage, sender.url, 'sender-admin@example.com');
  await senderPage.goto(`${sender.url}/admin/settings`);
  await senderPage.getByRole('button', { name: 'Send now' }).click();
  await expect(senderPage.getByTestId('send-now-result')).toContainText('Sent: the collector answered HTTP 202');

  // The sender is no collector: no nav link, an explanation instead of a dashboard, 404 on the endpoints.
  await expect(
    senderPage.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Collector' }),
  ).toHaveCount(0);
  await senderPage.goto(`${sender.url}/admin/collector`);
  await expect(senderPage.getByText('This instance does not run a collector')).toBeVisible();
  for (const path of ['/ping', '/api/v1/ping', '/batch/']) {
    const refused = await fetch(`${sender.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(404);
  }

  const senderInstanceId = (await sender.db.setting.findUniqueOrThrow({ where: { key: 'instanceId' } })).value;
  const stored = await collector.db.collectorPing.findFirstOrThrow({ where: { instanceId: senderInstanceId } });
  expect(JSON.parse(stored.payload).platform.counts.users).toBe(2);
  expect(stored.droppedFields).toBe(0);

  const collectorPage = await (await browser.newContext()).newPage();
  await signInAs(collectorPage, collector.url, 'collector-admin@example.com');
  await collectorPage.goto(`${collector.url}/admin/collector`);
  await expect(collectorPage.getByTestId('active-1')).toHaveText('1');
  await expect(collectorPage.getByTestId('sum-users')).toHaveText('2');
  await expect(collectorPage.getByTestId('table-drivers').locator('tr[data-label="sqlite"] td').nth(1)).toHaveText('1');
  const today = new Date().toISOString().slice(0, 10);
  await expect(collectorPage.getByTestId('table-days').locator(`tr[data-day="${today}"] td`).nth(2)).toHaveText('1');
});
