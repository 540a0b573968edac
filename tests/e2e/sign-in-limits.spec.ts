// Sign-in attempts are limited per account (10 per 15 minutes) and per IP,
// and the per-IP counter cannot be dodged with a forged X-Forwarded-For.
import { expect, test } from '@playwright/test';
import { PASSWORD, seedUser, startPlatform, type Platform } from './platform';

let platform: Platform;
test.beforeAll(async () => {
  platform = await startPlatform();
  await seedUser(platform.db, { email: 'admin@example.com', role: 'admin' });
});
test.afterAll(async () => {
  await platform?.stop();
});

test('the 11th wrong attempt for an account is refused with "Too many sign-in attempts", even with the right password', async ({ page }) => {
  await page.goto(`${platform.url}/login`);
  const error = page.locator('[data-form-error]');
  const attempts = async () => (await platform.db.rateLimit.findUnique({ where: { key: 'signin:account:admin@example.com' } }))?.count ?? 0;
  let sent = 0;
  const submit = async () => {
    // Every wrong attempt shows the same message: wait until the server has counted this one
    // and the form is idle again before looking at it.
    await page.getByRole('button', { name: 'Sign in' }).click();
    sent += 1;
    await expect.poll(attempts, { timeout: 30_000 }).toBe(sent);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled({ timeout: 30_000 });
  };
  for (let attempt = 1; attempt <= 10; attempt++) {
    await page.getByLabel('Email').fill('admin@example.com');
    await page.getByLabel('Password').fill(`Wrong-Password-${attempt}`);
    await submit();
    await expect(error).toHaveText('Wrong email or password');
  }
  await page.getByLabel('Email').fill('admin@example.com');
  await page.getByLabel('Password').fill('Wrong-Password-11');
  await submit();
  await expect(error).toHaveText('Too many sign-in attempts. Wait 15 minutes and try again.');

  await page.getByLabel('Email').fill('admin@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await submit();
  await expect(error).toHaveText('Too many sign-in attempts. Wait 15 minutes and try again.');
  await expect(page).toHaveURL(/\/login/);
  expect((await platform.db.rateLimit.findUniqueOrThrow({ where: { key: 'signin:account:admin@example.com' } })).count).toBe(12);
});

test('a forged X-Forwarded-For does not give a client a fresh per-IP counter', async ({ browser }) => {
  const before = (await platform.db.rateLimit.findUnique({ where: { key: 'signin:ip:127.0.0.1' } }))?.count ?? 0;
  for (const forged of ['6.6.6.1', '6.6.6.2', '10.1.1.1, 6.6.6.3']) {
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': forged } });
    const page = await context.newPage();
    await page.goto(`${platform.url}/login`);
    await page.getByLabel('Email').fill(`nobody-${forged.length}-${forged.at(-1)}@example.com`);
    await page.getByLabel('Password').fill('Wrong-Password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('[data-form-error]')).toHaveText('Wrong email or password');
    await context.close();
  }
  const ipKeys = await platform.db.rateLimit.findMany({ where: { key: { startsWith: 'signin:ip:' } } });
  expect(ipKeys.map((r) => r.key)).toEqual(['signin:ip:127.0.0.1']);
  expect(ipKeys[0].count).toBe(before + 3);
});
