import { expect, test, usePlatform } from './fixtures';

const platform = usePlatform();

test('a new platform sends every page to the setup wizard, which completes once and signs the admin in', async ({
  page,
}) => {
  for (const path of ['/', '/login', '/admin']) {
    await page.goto(`${platform().url}${path}`);
    await expect(page).toHaveURL(/\/setup$/);
  }

  // Bad input is reported beside the field, and nothing is saved.
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Name').fill('Ada');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Confirm password').fill('different');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.locator('[data-field-error="email"]')).toHaveText('Enter a valid email address');
  await expect(page.locator('[data-field-error="password"]')).toContainText('at least 10 characters');
  await expect(page.locator('[data-field-error="confirmPassword"]')).toHaveText('Passwords do not match');
  expect(await platform().db.user.count()).toBe(0);

  // What was typed is kept (but for the passwords).
  await expect(page.getByLabel('Name')).toHaveValue('Ada');
  await expect(page.getByLabel('Email')).toHaveValue('not-an-email');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Password', { exact: true }).fill('Analytical-Engine-1843');
  await page.getByLabel('Confirm password').fill('Analytical-Engine-1843');
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByText('Step 2 of 2: options')).toBeVisible();
  const telemetry = page.getByRole('checkbox', { name: /Share anonymous usage statistics/ });
  await expect(telemetry).toBeChecked();
  await page.getByText('Show exactly what would be sent').click();
  await expect(page.getByTestId('telemetry-preview')).toContainText('"instanceId"');
  // The first ping goes out after setup, when the admin exists: the preview counts them already.
  const wizardPreview = (await page.getByTestId('telemetry-preview').textContent())!;
  expect(JSON.parse(wizardPreview).platform.counts.users).toBe(1);
  await telemetry.uncheck();
  await page.getByRole('button', { name: 'Finish setup' }).click();

  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId('total-users')).toHaveText('1');
  const admin = await platform().db.user.findUniqueOrThrow({ where: { email: 'ada@example.com' } });
  expect(admin.role).toBe('admin');
  expect(admin.passwordHash).not.toContain('Analytical');
  expect((await platform().db.setting.findUnique({ where: { key: 'telemetry.enabled' } }))?.value).toBe('false');
  expect(await platform().db.auditLog.count({ where: { event: 'setup.completed' } })).toBe(1);

  // What the wizard promised is, byte for byte, what Admin Settings now says the next ping sends.
  await page.goto(`${platform().url}/admin/settings`);
  expect(await page.getByTestId('telemetry-preview').textContent()).toBe(wizardPreview);

  // Completed for good: the wizard is gone.
  const response = await page.goto(`${platform().url}/setup`);
  expect(response?.status()).toBe(404);
});
