// The collector as a user meets it: a platform with collector.enabled receives
// a seeded mix of pings over HTTP (and events from the official posthog-node
// client, gzip on), and an admin reads the picture on /admin/collector.
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { PostHog } from 'posthog-node';
import { PASSWORD, seedUser, startPlatform, type Platform } from './platform';

let platform: Platform;
test.beforeAll(async () => {
  platform = await startPlatform({ config: { collector: { enabled: true, trustProxy: true } } });
  await seedUser(platform.db, { email: 'admin@example.com', role: 'admin' });
  await seedUser(platform.db, { email: 'member@example.com', role: 'member' });
});
test.afterAll(async () => {
  await platform?.stop();
});

async function signIn(page: Page, email: string) {
  await page.goto(`${platform.url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

const MIX = [
  { version: '1.2.0', os: 'Linux', arch: 'x64', node: 'v20.11.1', driver: 'sqlite', users: 3, teams: 1, projects: 4 },
  { version: '1.2.0', os: 'Linux', arch: 'arm64', node: 'v20.18.0', driver: 'postgres', users: 250, teams: 12, projects: 90 },
  { version: '1.2.0', os: 'Darwin', arch: 'arm64', node: 'v22.3.0', driver: 'sqlite', users: 1, teams: 0, projects: 0 },
  { version: '1.1.0', os: 'Linux', arch: 'x64', node: 'v20.11.1', driver: 'postgres', users: 40, teams: 5, projects: 12 },
  { version: '1.0.0', os: 'Windows_NT', arch: 'x64', node: 'v18.19.0', driver: 'sqlite', users: 8, teams: 2, projects: 2 },
];

test('an admin sees active instances, versions, platforms and sizes of a seeded mix of pings', async ({ page }) => {
  for (const [index, entry] of MIX.entries()) {
    const body = {
      instanceId: randomUUID(),
      os: { type: entry.os, release: '1.0', arch: entry.arch },
      env: { nodejs: entry.node, flowforge: entry.version },
      platform: { counts: { users: entry.users, teams: entry.teams, projects: entry.projects }, config: { driver: entry.driver } },
    };
    const path = index % 2 ? '/ping' : '/api/v1/ping';
    const response = await fetch(`${platform.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${index}` }, body: JSON.stringify(body) });
    expect(response.status).toBe(202);
  }
  // A bad report is refused with a reason and changes nothing.
  const refused = await fetch(`${platform.url}/api/v1/ping`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"instanceId":"nope"}' });
  expect(refused.status).toBe(400);
  expect((await refused.json()).message).toContain('instanceId');

  // The official PostHog client against this host: /batch/ with a gzip body.
  const posthogInstance = randomUUID();
  const posthog = new PostHog('phc_e2e', { host: platform.url, flushAt: 10, flushInterval: 0, fetchRetryCount: 0 });
  posthog.capture({ distinctId: posthogInstance, event: 'ping', properties: { os: { type: 'Linux', release: '6.1', arch: 'x64' }, env: { nodejs: 'v20.1.0', flowforge: '1.1.0' }, platform: { counts: { users: 2, teams: 1, projects: 1 }, config: { driver: 'sqlite' } } } });
  posthog.capture({ distinctId: posthogInstance, event: 'server started' });
  await posthog.shutdown(5000);
  expect(await platform.db.collectorPing.count({ where: { instanceId: posthogInstance, source: 'posthog' } })).toBe(2);
  expect(await platform.db.collectorPing.count()).toBe(MIX.length + 2);

  await signIn(page, 'admin@example.com');
  await page.getByRole('link', { name: 'Collector' }).click();
  await expect(page).toHaveURL(/\/admin\/collector$/);
  await expect(page.getByTestId('collector-window')).toContainText('kept for 365 days');
  for (const id of ['active-1', 'active-7', 'active-30']) await expect(page.getByTestId(id)).toHaveText('6');

  const row = (table: string, label: string) => page.getByTestId(`table-${table}`).locator(`tr[data-label="${label}"] td`);
  await expect(row('versions', '1.2.0').nth(1)).toHaveText('3');
  await expect(row('versions', '1.1.0').nth(1)).toHaveText('2');
  await expect(row('versions', '1.0.0').nth(1)).toHaveText('1');
  await expect(row('versions', '1.2.0').nth(2)).toHaveText('50%');
  await expect(row('os', 'Linux').nth(1)).toHaveText('4');
  await expect(row('arch', 'arm64').nth(1)).toHaveText('2');
  await expect(row('node', 'v20').nth(1)).toHaveText('4');
  await expect(row('drivers', 'postgres').nth(1)).toHaveText('2');
  await expect(page.getByTestId('sum-users')).toHaveText('304');
  await expect(page.getByTestId('sum-teams')).toHaveText('21');
  await expect(page.getByTestId('sum-projects')).toHaveText('109');
  await expect(row('users-distribution', '100-999').nth(1)).toHaveText('1');
  await expect(row('users-distribution', '1-9').nth(1)).toHaveText('4');
  const today = new Date().toISOString().slice(0, 10);
  await expect(page.getByTestId('table-days').locator(`tr[data-day="${today}"] td`)).toHaveText([today, '7', '6', '6']);

  // The charts are drawn (SVG from the chart library), beside the tables.
  await expect(page.getByTestId('chart-versions').locator('.recharts-bar-rectangle')).toHaveCount(3);
  await expect(page.getByTestId('chart-pings-per-day').locator('.recharts-line-dot')).toHaveCount(3);
});

test('members are refused the dashboard', async ({ page }) => {
  await signIn(page, 'member@example.com');
  const response = await page.goto(`${platform.url}/admin/collector`);
  expect(response?.status()).toBe(403);
});
