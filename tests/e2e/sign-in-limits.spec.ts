// Sign-in limits that nobody can use to lock an account out: failures from one
// address refuse only that address; many failing addresses slow an account down
// (a growing delay) instead of refusing it; an admin sees and clears the limits;
// the per-address counter cannot be dodged with a forged X-Forwarded-For.
import { expect, test } from './fixtures';
import { httpSignIn } from './http-sign-in';
import { PASSWORD, seedUser, signInAs, startPlatform, type Platform } from './platform';

// Behind "our own proxy" (trustProxy), so each request can come from another address.
let proxied: Platform;
// Reached directly: the address is the TCP peer, whatever X-Forwarded-For says.
let direct: Platform;
test.beforeAll(async () => {
  [proxied, direct] = await Promise.all([startPlatform({ config: { server: { trustProxy: true } } }), startPlatform()]);
  await seedUser(proxied.db, { email: 'admin@example.com', role: 'admin' });
  await seedUser(proxied.db, { email: 'root@example.com', role: 'admin' });
  await seedUser(direct.db, { email: 'admin@example.com', role: 'admin' });
});
test.afterAll(async () => {
  await Promise.all([proxied?.stop(), direct?.stop()]);
});

const from = (address: string) => ({ 'x-forwarded-for': address });

test('failures from one address never stop the right password from another; many slow the account down', async ({
  page,
}) => {
  const attacker = from('203.0.113.66');
  for (let attempt = 1; attempt <= 10; attempt++) {
    expect((await httpSignIn(proxied.url, 'admin@example.com', `Wrong-Password-${attempt}`, attacker)).error).toBe(
      'credentials',
    );
  }
  // That address is done with this account, even with the right password...
  expect((await httpSignIn(proxied.url, 'admin@example.com', PASSWORD, attacker)).error).toBe('rate_limited');
  // ...but the owner, elsewhere, signs in: after a delay (10 failures on the account), not a refusal.
  const owner = await httpSignIn(proxied.url, 'admin@example.com', PASSWORD, from('198.51.100.7'));
  expect(owner.sessionCookie).toBeDefined();
  expect(owner.ms).toBeGreaterThanOrEqual(950);

  // Each further failure, from fresh addresses, doubles the wait of the next attempt.
  const waits: number[] = [];
  for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
    const guess = await httpSignIn(proxied.url, 'admin@example.com', 'Wrong-Password-x', from(address));
    expect(guess.error).toBe('credentials');
    waits.push(guess.ms);
  }
  expect(waits[0]).toBeGreaterThanOrEqual(950);
  expect(waits[1]).toBeGreaterThanOrEqual(1950);
  expect(waits[2]).toBeGreaterThanOrEqual(3950);

  // An admin sees the account's limits and clears them (audited).
  await signInAs(page, proxied.url, 'root@example.com');
  await page.goto(`${proxied.url}/admin/users`);
  await page.getByRole('link', { name: 'Edit admin@example.com' }).click();
  await expect(page.getByTestId('sign-in-limits')).toHaveText(
    '13 failed sign-ins in the last 15 minutes; each attempt now waits 8 s',
  );
  await expect(page.getByRole('list', { name: 'Addresses with failed sign-ins' })).toContainText(
    '203.0.113.66: 11 failed, refused until',
  );
  await page.getByRole('button', { name: 'Clear sign-in limits' }).click();
  await expect(page.locator('[data-notice]')).toHaveText('Sign-in limits cleared.');
  await expect(page.getByTestId('sign-in-limits')).toHaveText('No failed sign-ins in the last 15 minutes.');
  const hex = Buffer.from('admin@example.com').toString('hex');
  const left = await proxied.db.rateLimit.findMany({
    where: { OR: [{ key: 'signin:account:admin@example.com' }, { key: { startsWith: `signin:pair:${hex}:` } }] },
  });
  expect(left).toEqual([]);
  await page.goto(`${proxied.url}/admin/audit`);
  await expect(page.getByRole('row').filter({ hasText: 'Sign-in limits cleared' })).toContainText('admin@example.com');

  // The cleared address may try again, at once.
  const again = await httpSignIn(proxied.url, 'admin@example.com', PASSWORD, attacker);
  expect(again.sessionCookie).toBeDefined();
  expect(again.ms).toBeLessThan(900);
});

test('the login form says when an address has used up its attempts', async ({ page }) => {
  await page.goto(`${direct.url}/login`);
  const error = page.locator('[data-form-error]');
  const attempts = async () =>
    (await direct.db.rateLimit.findFirst({ where: { key: { startsWith: 'signin:pair:' } } }))?.count ?? 0;
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
  await page.getByLabel('Password').fill(PASSWORD);
  await submit();
  await expect(error).toHaveText('Too many sign-in attempts from your address. Wait 15 minutes and try again.');
  await expect(page).toHaveURL(/\/login/);
});

test('a forged X-Forwarded-For does not give a client a fresh per-IP counter', async ({ browser }) => {
  const before = (await direct.db.rateLimit.findUnique({ where: { key: 'signin:ip:127.0.0.1' } }))?.count ?? 0;
  for (const forged of ['6.6.6.1', '6.6.6.2', '10.1.1.1, 6.6.6.3']) {
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': forged } });
    const page = await context.newPage();
    await page.goto(`${direct.url}/login`);
    await page.getByLabel('Email').fill(`nobody-${forged.length}-${forged.at(-1)}@example.com`);
    await page.getByLabel('Password').fill('Wrong-Password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('[data-form-error]')).toHaveText('Wrong email or password');
    await context.close();
  }
  const ipKeys = await direct.db.rateLimit.findMany({ where: { key: { startsWith: 'signin:ip:' } } });
  expect(ipKeys.map((r) => r.key)).toEqual(['signin:ip:127.0.0.1']);
  expect(ipKeys[0].count).toBe(before + 3);
});
