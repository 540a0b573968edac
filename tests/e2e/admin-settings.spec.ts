// Admin Settings and the audit log in the browser: a telemetry toggle locked by
// flowforge.yml or FLOWFORGE_TELEMETRY (shown disabled with its reason, and
// refused by the server when forged), an unlocked toggle that persists across a
// restart, the CLI changing the running platform, and the audit log pages.
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Page } from '@playwright/test';
import { expect, test, usePlatform } from './fixtures';
import { PASSWORD, seedUser, signInAs, type Platform } from './platform';

const ADMIN = 'admin@example.com';
const seedAdmin = (platform: Platform) => seedUser(platform.db, { email: ADMIN, role: 'admin' });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function signIn(page: Page, platform: Platform, email = ADMIN) {
  await page.goto(`${platform.url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

/** Signs the admin in and opens Admin Settings. */
async function openSettings(page: Page, platform: Platform) {
  await signIn(page, platform);
  await page.goto(`${platform.url}/admin/settings`);
}

const toggle = (page: Page) => page.getByRole('checkbox', { name: /Share anonymous usage statistics/ });
const storedValue = async (platform: Platform) =>
  (await platform.db.setting.findUnique({ where: { key: 'telemetry.enabled' } }))?.value ?? null;

/** The preview must be the payload the next ping would send, built from this platform's database. */
async function expectPreviewMatchesDatabase(page: Page, platform: Platform) {
  const preview = JSON.parse((await page.getByTestId('telemetry-preview').textContent())!);
  const instanceId = (await platform.db.setting.findUniqueOrThrow({ where: { key: 'instanceId' } })).value;
  expect(preview).toMatchObject({
    instanceId,
    env: { nodejs: process.version },
    platform: {
      counts: {
        users: await platform.db.user.count(),
        teams: await platform.db.team.count(),
        projects: await platform.db.project.count(),
      },
      config: { driver: 'sqlite' },
    },
  });
}

test.describe('telemetry locked by flowforge.yml', () => {
  const platform = usePlatform({ config: { telemetry: { enabled: false } } }, seedAdmin);

  test('shows the toggle disabled with the value in force and the reason, and the next payload', async ({ page }) => {
    await openSettings(page, platform());
    await expect(toggle(page)).toBeDisabled();
    await expect(toggle(page)).not.toBeChecked();
    await expect(page.getByTestId('telemetry-reason')).toContainText(
      'Set to off by telemetry.enabled in flowforge.yml. It cannot be changed here.',
    );
    await expect(page.getByTestId('telemetry-reason')).toContainText(
      'remove telemetry.enabled from flowforge.yml and restart FlowForge',
    );
    await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
    await expect(page.getByTestId('telemetry-status')).toContainText('Telemetry is off: nothing is sent.');
    // Shown even while off.
    await expect(page.getByTestId('telemetry-preview')).toBeVisible();
    await expectPreviewMatchesDatabase(page, platform());
  });

  test('refuses a forged change on the server, saving nothing and auditing nothing', async ({ page }) => {
    await openSettings(page, platform());
    const auditsBefore = await platform().db.auditLog.count();
    // Undo what the browser was told, as a crafted request would.
    await page.evaluate(() => {
      document
        .querySelectorAll<HTMLInputElement | HTMLButtonElement>(
          '[data-testid="telemetry-form"] input, [data-testid="telemetry-form"] button',
        )
        .forEach((el) => {
          el.disabled = false;
          el.removeAttribute('disabled');
        });
      (document.querySelector('input[name="telemetry"]') as HTMLInputElement).checked = true;
    });
    await expect(toggle(page)).toBeChecked();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('[data-form-error]')).toContainText(
      'Set to off by telemetry.enabled in flowforge.yml, which overrides the value saved in the database.' +
        ' Nothing was saved.',
    );
    expect(await storedValue(platform())).toBeNull();
    expect(await platform().db.auditLog.count()).toBe(auditsBefore);
    await page.reload();
    await expect(toggle(page)).not.toBeChecked();
  });
});

test.describe('setup wizard while flowforge.yml decides', () => {
  const platform = usePlatform({ config: { telemetry: { enabled: false } } });

  test('shows the locked value and reason, and stores no choice of its own', async ({ page }) => {
    await page.goto(`${platform().url}/setup`);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Password', { exact: true }).fill('Analytical-Engine-1843');
    await page.getByLabel('Confirm password').fill('Analytical-Engine-1843');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(toggle(page)).toBeDisabled();
    await expect(toggle(page)).not.toBeChecked();
    await expect(page.getByTestId('telemetry-reason')).toContainText(
      'Set to off by telemetry.enabled in flowforge.yml',
    );
    await page.getByRole('button', { name: 'Finish setup' }).click();
    await expect(page).toHaveURL(/\/admin$/);
    expect(await storedValue(platform())).toBeNull();
    expect((await platform().db.auditLog.findMany()).map((a) => a.event)).toEqual(['setup.completed']);
  });
});

test.describe('telemetry locked by FLOWFORGE_TELEMETRY', () => {
  const platform = usePlatform({ env: { FLOWFORGE_TELEMETRY: 'on' } }, async (started) => {
    await seedAdmin(started);
    await started.db.setting.create({ data: { key: 'telemetry.enabled', value: 'false' } });
  });

  test('shows the environment value, not the saved one, disabled with its reason', async ({ page }) => {
    await openSettings(page, platform());
    await expect(toggle(page)).toBeDisabled();
    await expect(toggle(page)).toBeChecked();
    await expect(page.getByTestId('telemetry-reason')).toContainText(
      'Set to on by the FLOWFORGE_TELEMETRY environment variable',
    );
    await expect(page.getByTestId('telemetry-status')).toContainText('Telemetry is on');
  });

  test('members get 403 on the settings and audit pages', async ({ page }) => {
    await seedUser(platform().db, { email: 'member@example.com' });
    await signInAs(page, platform().url, 'member@example.com');
    for (const pagePath of ['/admin/settings', '/admin/audit']) {
      expect((await page.goto(`${platform().url}${pagePath}`))?.status()).toBe(403);
      await expect(page.getByTestId('telemetry-preview')).toHaveCount(0);
      await expect(page.getByTestId('audit-table')).toHaveCount(0);
    }
  });
});

test.describe('telemetry decided in Admin Settings', () => {
  const platform = usePlatform({}, seedAdmin);

  test('a change is saved, audited, effective at once and kept across a restart', async ({ page }) => {
    await openSettings(page, platform());
    await expect(toggle(page)).toBeEnabled();
    await expect(toggle(page)).toBeChecked();
    await expect(page.getByTestId('telemetry-reason')).toHaveText('On by default.');

    await toggle(page).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status')).toHaveText('Saved: telemetry is now off.');
    await expect(page.getByTestId('telemetry-status')).toContainText('Telemetry is off');
    await expect(page.getByTestId('telemetry-reason')).toHaveText(
      'Set to off in the database by the setup wizard, Admin Settings or the flowforge CLI.',
    );
    expect(await storedValue(platform())).toBe('false');
    const audit = await platform().db.auditLog.findMany({ where: { event: 'settings.telemetry.enabled' } });
    expect(audit.map((a) => [a.actor, a.oldValue, a.newValue])).toEqual([[ADMIN, null, 'false']]);
    await expectPreviewMatchesDatabase(page, platform());

    await platform().restart();
    await page.reload();
    await expect(toggle(page)).not.toBeChecked();
    await expect(toggle(page)).toBeEnabled();
    await expect(page.getByTestId('telemetry-reason')).toContainText('Set to off in the database');

    await page.goto(`${platform().url}/admin/audit`);
    const row = page.getByTestId('audit-row').first();
    await expect(row).toContainText(ADMIN);
    await expect(row).toContainText('Telemetry setting changed');
    await expect(row).toContainText('not set (default: on) → off');
  });

  test('the CLI changes the setting of the running platform, without a restart', async ({ page }) => {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(root, 'bin/flowforge.mjs'), 'config', 'set', 'telemetry.enabled', 'true'],
        { env: { ...process.env, FLOWFORGE_CONFIG: platform().configPath } },
        (error, _out, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
      );
    });
    expect(result).toEqual({ code: 0, stderr: '' });
    await openSettings(page, platform());
    await expect(toggle(page)).toBeChecked();
    await page.goto(`${platform().url}/admin/audit`);
    await expect(page.getByTestId('audit-row').first()).toContainText(`cli:${os.userInfo().username}`);
    await expect(page.getByTestId('audit-row').first()).toContainText('off → on');
  });

  test('the save action checks the role itself', async ({ page }) => {
    await openSettings(page, platform());
    const before = { value: await storedValue(platform()), audits: await platform().db.auditLog.count() };
    // Demoted while the page is open: the action must refuse, whatever the page showed.
    await platform().db.user.update({ where: { email: ADMIN }, data: { role: 'member' } });
    try {
      await toggle(page).click();
      const answer = page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith('/admin/settings'),
      );
      await page.getByRole('button', { name: 'Save' }).click();
      expect((await answer).status()).toBe(403);
      await expect(page.getByRole('status')).toHaveCount(0);
      expect(await storedValue(platform())).toBe(before.value);
      expect(await platform().db.auditLog.count()).toBe(before.audits);
    } finally {
      await platform().db.user.update({ where: { email: ADMIN }, data: { role: 'admin' } });
    }
  });

  test('the audit log pages newest first', async ({ page }) => {
    const base = Date.UTC(2026, 0, 1);
    await platform().db.auditLog.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        actor: `seed${i}@example.com`,
        event: 'test.seeded',
        newValue: `#${i}`,
        createdAt: new Date(base + i * 60_000),
      })),
    });
    const all = await platform().db.auditLog.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    await signIn(page, platform());
    await page.goto(`${platform().url}/admin/audit`);
    const rows = page.getByTestId('audit-row');
    await expect(rows).toHaveCount(25);
    await expect(rows.first()).toContainText(all[0].actor);
    await expect(rows.last()).toContainText(all[24].actor);
    await expect(page.getByRole('link', { name: /Newer entries/ })).toHaveCount(0);
    await page.getByRole('link', { name: /Older entries/ }).click();
    await expect(rows).toHaveCount(all.length - 25);
    await expect(rows.first()).toContainText(all[25].actor);
    await expect(rows.last()).toContainText('seed0@example.com');
    await expect(page.getByRole('link', { name: /Older entries/ })).toHaveCount(0);
    await page.getByRole('link', { name: /Newer entries/ }).click();
    await expect(rows).toHaveCount(25);
    await expect(rows.first()).toContainText(all[0].actor);
    await expect(page.getByRole('link', { name: /Newer entries/ })).toHaveCount(0);
  });
});
