// The collector as a user meets it: a platform with collector.enabled receives
// a seeded mix of pings over HTTP (and events from the official posthog-node
// client, gzip on, which are not pings), and an admin reads the picture on /admin/collector.
import { randomUUID } from 'node:crypto';
import { type Page } from '@playwright/test';
import { expect, test, usePlatform } from './fixtures';
import { PostHog } from 'posthog-node';
import { PASSWORD, seedUser } from './platform';

const platform = usePlatform({ config: { collector: { enabled: true, trustProxy: true } } }, async (started) => {
  await seedUser(started.db, { email: 'admin@example.com', role: 'admin' });
  await seedUser(started.db, { email: 'member@example.com', role: 'member' });
});

async function signIn(page: Page, email: string) {
  await page.goto(`${platform().url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

const MIX = [
  { version: '1.2.0', os: 'Linux', arch: 'x64', node: 'v20.11.1', driver: 'sqlite', users: 3, teams: 1, projects: 4 },
  {
    version: '1.2.0',
    os: 'Linux',
    arch: 'arm64',
    node: 'v20.18.0',
    driver: 'postgres',
    users: 250,
    teams: 12,
    projects: 90,
  },
  { version: '1.2.0', os: 'Darwin', arch: 'arm64', node: 'v22.3.0', driver: 'sqlite', users: 1, teams: 0, projects: 0 },
  {
    version: '1.1.0',
    os: 'Linux',
    arch: 'x64',
    node: 'v20.11.1',
    driver: 'postgres',
    users: 40,
    teams: 5,
    projects: 12,
  },
  {
    version: '1.0.0',
    os: 'Windows_NT',
    arch: 'x64',
    node: 'v18.19.0',
    driver: 'sqlite',
    users: 8,
    teams: 2,
    projects: 2,
  },
];

test('an admin sees active instances, versions, platforms and sizes of a seeded mix of pings', async ({ page }) => {
  for (const [index, entry] of MIX.entries()) {
    const body = {
      instanceId: randomUUID(),
      os: { type: entry.os, release: '1.0', arch: entry.arch },
      env: { nodejs: entry.node, flowforge: entry.version },
      platform: {
        counts: { users: entry.users, teams: entry.teams, projects: entry.projects },
        config: { driver: entry.driver },
      },
    };
    const path = index % 2 ? '/ping' : '/api/v1/ping';
    const response = await fetch(`${platform().url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${index}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(202);
    // Through Next.js as served: the count in a header, no body (lib/collector/handlers.ts).
    expect(response.headers.get('flowforge-dropped-fields')).toBe('0');
    expect(await response.text()).toBe('');
  }
  // A bad report is refused with a reason and changes nothing.
  const refused = await fetch(`${platform().url}/api/v1/ping`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"instanceId":"nope"}',
  });
  expect(refused.status).toBe(400);
  expect((await refused.json()).message).toContain('instanceId');

  // The official PostHog client against this host: /batch/ with a gzip body. Events are
  // kept apart from pings: even one carrying a platform payload adds no instance.
  const posthogInstance = randomUUID();
  const posthog = new PostHog('phc_e2e', { host: platform().url, flushAt: 10, flushInterval: 0, fetchRetryCount: 0 });
  const state = {
    os: { type: 'Linux', release: '6.1', arch: 'x64' },
    env: { nodejs: 'v20.1.0', flowforge: '1.1.0' },
    platform: { counts: { users: 2, teams: 1, projects: 1 }, config: { driver: 'sqlite' } },
  };
  posthog.capture({ distinctId: posthogInstance, event: 'ping', properties: state });
  posthog.capture({ distinctId: randomUUID(), event: 'server started' });
  await posthog.shutdown(5000);
  expect(await platform().db.collectorEvent.count()).toBe(2);
  expect(await platform().db.collectorPing.count()).toBe(MIX.length);
  // The same state as a ping from this machine is an instance.
  const ping = await fetch(`${platform().url}/api/v1/ping`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // FlowFuse-style extra metrics under platform are kept and shown in their own table.
    body: JSON.stringify({
      instanceId: posthogInstance,
      ...state,
      platform: { ...state.platform, counts: { ...state.platform.counts, devices: 12_345 }, license: { type: 'CE' } },
    }),
  });
  expect(ping.status).toBe(202);

  await signIn(page, 'admin@example.com');
  await page.getByRole('link', { name: 'Collector' }).click();
  await expect(page).toHaveURL(/\/admin\/collector$/);
  await expect(page.getByTestId('collector-window')).toContainText('kept for 365 days');
  for (const id of ['active-1', 'active-7', 'active-30']) await expect(page.getByTestId(id)).toHaveText('6');

  const row = (table: string, label: string) =>
    page.getByTestId(`table-${table}`).locator(`tr[data-label="${label}"] td`);
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
  await expect(page.getByTestId('table-days').locator(`tr[data-day="${today}"] td`)).toHaveText([today, '6', '6', '6']);

  await expect(
    page.getByTestId('table-extra-metrics').locator('tr[data-metric="platform.counts.devices"] td'),
  ).toHaveText(['platform.counts.devices', '1', '12.3K', '12.3K', '12.3K']);
  await expect(
    page.getByTestId('table-extra-metrics').locator('tr[data-metric="platform.counts.devices"] td span').first(),
  ).toHaveAttribute('title', '12,345');
  await expect(
    page.getByTestId('table-extra-metrics').locator('tr[data-metric="platform.license.type"] td'),
  ).toHaveText(['platform.license.type', '1', '–', '–', 'CE']);

  // The charts are drawn (SVG from the chart library), beside the tables.
  await expect(page.getByTestId('chart-versions').locator('.recharts-bar-rectangle')).toHaveCount(3);
  await expect(page.getByTestId('chart-pings-per-day').locator('.recharts-line-dot')).toHaveCount(3);
});

test('members are refused the dashboard', async ({ page }) => {
  await signIn(page, 'member@example.com');
  const response = await page.goto(`${platform().url}/admin/collector`);
  expect(response?.status()).toBe(403);
});
