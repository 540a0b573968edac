// Usage events between two running platforms: the sender's events travel over
// real HTTP (posthog-node, gzip /batch/) to a platform running the collector.
// server_started arrives, a SIGTERM'd server still delivers server_stopped with
// a plausible uptime, finishing the wizard and an admin change arrive as
// admin_action, the sender's Admin Settings and wizard show every event,
// and the collector's Events section shows what arrived.
import { expect, test } from './fixtures';
import { seedUser, signInAs, startPlatform, type Platform } from './platform';
import { fillAdminStep } from './wizard';
import { EVENT_NAMES } from '../../lib/events/catalog';

let collector: Platform;
let sender: Platform;
let senderLaunchedAt: number;
test.beforeAll(async () => {
  collector = await startPlatform({ config: { collector: { enabled: true } } });
  senderLaunchedAt = Date.now();
  // CI=false: the sender is an installation here, whatever runs the tests. Its events go to the collector,
  // its pings (the boot ping, 30 s after start) to a closed port: the collector's ping statistics stay empty.
  sender = await startPlatform({
    config: { telemetry: { url: 'http://127.0.0.1:9/ping', events: { host: collector.url } } },
    env: { CI: 'false' },
  });
  await seedUser(collector.db, { email: 'collector-admin@example.com', role: 'admin' });
});
test.afterAll(async () => {
  await sender?.stop();
  await collector?.stop();
});

async function eventsOf(instanceId: string, event: string) {
  const rows = await collector.db.collectorEvent.findMany({ where: { instanceId, event }, orderBy: { id: 'asc' } });
  return rows.map((row) => ({ ...row, props: JSON.parse(row.properties) as Record<string, unknown> }));
}

async function waitFor<T>(read: () => Promise<T[]>, count: number, ms = 20_000): Promise<T[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const rows = await read();
    if (rows.length >= count || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('the wizard says events are shared and previews every one of them', async ({ page }) => {
  await fillAdminStep(page, sender.url, 'ada@example.com');
  await expect(page.getByTestId('events-sentence')).toContainText('Usage events are part of what is shared');
  await page.getByText('Show the usage events that would be sent').click();
  const preview = JSON.parse((await page.getByTestId('events-preview').textContent())!) as Array<{ event: string }>;
  expect(preview.map((e) => e.event)).toEqual([...EVENT_NAMES]);
  // Finished with telemetry ticked: the admin created and the choice stored are admin actions (checked below).
  await expect(page.getByRole('checkbox', { name: /Share anonymous usage statistics/ })).toBeChecked();
  await page.getByRole('button', { name: 'Finish setup' }).click();
  await expect(page).toHaveURL(/\/admin$/);
});

test('lifecycle events reach our own collector, server_stopped after SIGTERM with a plausible uptime', async ({
  browser,
}) => {
  const instanceId = (await sender.db.setting.findUniqueOrThrow({ where: { key: 'instanceId' } })).value;
  // Batches leave every 10 s: server_started arrives within that.
  const [started] = await waitFor(() => eventsOf(instanceId, 'server_started'), 1);
  // Detected from the machine (tests/unit/events-environment.test.ts checks each kind).
  expect(started?.props).toMatchObject({ setup_complete: false, is_ci: false });
  expect(['bare', 'docker', 'kubernetes']).toContain(started?.props.deployment);

  // An admin change on the sender: admin_action with the kind, never the name (the wizard's come first).
  await seedUser(sender.db, { email: 'sender-admin@example.com', role: 'admin' });
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, sender.url, 'sender-admin@example.com');
  await page.goto(`${sender.url}/admin/teams/new`);
  await page.getByLabel('Team name').fill('Secret Team Name');
  await page.getByLabel('Slug').fill('secret-team');
  await page.getByRole('button', { name: 'Create team' }).click();
  await page.waitForURL(/\/admin\/teams\/[^/]+\?notice=created/);

  // Admin Settings: on, why, every event with its example, counters since start.
  await page.goto(`${sender.url}/admin/settings`);
  await expect(page.getByTestId('events-status')).toContainText('Usage events are on');
  await expect(page.getByTestId('events-catalog').locator('li')).toHaveCount(EVENT_NAMES.length);
  await expect(page.getByTestId('event-example-server_started')).toContainText(`"distinct_id": "${instanceId}"`);
  await expect(page.getByTestId('events-sent')).not.toHaveText('0');

  const stoppedAt = Date.now();
  await sender.restart(); // SIGTERM (SIGKILL only if it has not exited 5 s later), then a new start
  const [stopped] = await waitFor(() => eventsOf(instanceId, 'server_stopped'), 1, 5_000);
  expect(stopped?.props.signal).toBe('SIGTERM');
  const uptime = stopped!.props.uptime_seconds as number;
  expect(uptime).toBeGreaterThanOrEqual(1);
  expect(uptime).toBeLessThanOrEqual(Math.ceil((stoppedAt - senderLaunchedAt) / 1000) + 1);

  const actions = await waitFor(() => eventsOf(instanceId, 'admin_action'), 3, 1_000);
  expect(actions.map((a) => [a.props.record, a.props.verb])).toEqual([
    ['user', 'created'],
    ['setting', 'updated'],
    ['team', 'created'],
  ]);
  const everything = JSON.stringify(await collector.db.collectorEvent.findMany());
  expect(everything).not.toContain('Secret Team Name');
  expect(everything).not.toContain('sender-admin@example.com');
  expect(everything).not.toContain('ada@example.com');
  expect(everything).not.toContain('Ada Lovelace');

  // The restarted server says hello again, with a new session.
  const restarts = await waitFor(() => eventsOf(instanceId, 'server_started'), 2);
  expect(restarts).toHaveLength(2);
  expect(restarts[1].props.setup_complete).toBe(true);
  expect(restarts[1].props.session_id).not.toBe(restarts[0].props.session_id);
});

test("the collector's Events section shows what arrived, apart from pings", async ({ page }) => {
  await signInAs(page, collector.url, 'collector-admin@example.com');
  await page.goto(`${collector.url}/admin/collector`);
  const section = page.getByTestId('events-section');
  await expect(section).toBeVisible();
  const names = section.getByTestId('table-event-names');
  await expect(names.locator('tr[data-event="server_started"] td').nth(1)).toHaveText('2');
  await expect(names.locator('tr[data-event="server_started"] td').nth(2)).toHaveText('1');
  await expect(names.locator('tr[data-event="server_stopped"] td').nth(1)).toHaveText('1');
  for (const label of ['team created', 'user created', 'setting updated'])
    await expect(section.getByTestId('table-admin-actions').locator(`tr[data-label="${label}"] td`).nth(1)).toHaveText(
      '1',
    );
  await expect(section.getByTestId('events-ci-share')).toContainText('0% came from CI runs');
  const today = new Date().toISOString().slice(0, 10);
  await expect(
    section.getByTestId('table-event-days').locator(`tr[data-day="${today}"] td[data-event="server_stopped"]`),
  ).toHaveText('1');
  await expect(section.getByTestId('chart-events-per-day')).toBeVisible();
  const uptimeRows = section.getByTestId('table-uptime').locator('tbody tr');
  await expect(uptimeRows).toHaveCount(5);
  // Events are not pings: the ping statistics count no instance.
  await expect(page.getByTestId('active-1')).toHaveText('0');
});
