// Sessions an operator can trust: sign-out ends the session for good (a copied
// cookie opens nothing, and /api/auth/session does not renew it); a password
// change, a demotion and an admin's "End all sessions" end every session of the
// user at once; a signed-out visitor returns to the page they asked for.
import type { Browser, BrowserContext, Cookie, Page } from '@playwright/test';
import { expect, test, usePlatform } from './fixtures';
import { PASSWORD, seedUser, signInAs } from './platform';

const platform = usePlatform({}, (started) => seedUser(started.db, { email: 'root@example.com', role: 'admin' }));

const SESSION_COOKIE = 'authjs.session-token';

async function signedIn(browser: Browser, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, platform().url, email);
  return { context, page };
}

async function sessionCookie(context: BrowserContext): Promise<Cookie> {
  const cookie = (await context.cookies(platform().url)).find((c) => c.name === SESSION_COOKIE);
  expect(cookie, 'a session cookie after signing in').toBeDefined();
  return cookie!;
}

/** A request made with a copied cookie, outside any browser. */
function withCookie(path: string, cookie: Cookie) {
  return fetch(`${platform().url}${path}`, {
    headers: { cookie: `${cookie.name}=${cookie.value}` },
    redirect: 'manual',
  });
}

test('a session cookie kept after Sign out opens nothing and is not renewed', async ({ browser }) => {
  const { context, page } = await signedIn(browser, 'root@example.com');
  const kept = await sessionCookie(context);
  expect((await withCookie('/admin/users', kept)).status).toBe(200); // the copy works while signed in

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);

  const users = await withCookie('/admin/users', kept);
  expect(users.status).toBe(307);
  expect(users.headers.get('location')).toMatch(/\/login/);
  const session = await withCookie('/api/auth/session', kept);
  expect(await session.json()).toBeNull();
  // No fresh cookie: only the old one cleared.
  const renewed = session.headers
    .getSetCookie()
    .filter((line) => line.startsWith(`${SESSION_COOKIE}=`) && !line.startsWith(`${SESSION_COOKIE}=;`));
  expect(renewed).toEqual([]);
  expect(await platform().db.session.count({ where: { user: { email: 'root@example.com' } } })).toBe(0);
  await context.close();
});

test('signing out in one browser leaves the same user signed in elsewhere', async ({ browser }) => {
  const first = await signedIn(browser, 'root@example.com');
  const second = await signedIn(browser, 'root@example.com');
  await first.page.getByRole('button', { name: 'Sign out' }).click();
  await first.page.waitForURL(/\/login/);
  await second.page.goto(`${platform().url}/admin/users`);
  await expect(second.page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await first.context.close();
  await second.context.close();
});

test('a password change and a demotion end every session of that user', async ({ browser, page }) => {
  await seedUser(platform().db, { email: 'pat@example.com', role: 'member' });
  await seedUser(platform().db, { email: 'deputy@example.com', role: 'admin' });
  const pat = await signedIn(browser, 'pat@example.com');
  const deputy = await signedIn(browser, 'deputy@example.com');
  const patCookie = await sessionCookie(pat.context);
  const deputyCookie = await sessionCookie(deputy.context);

  await signInAs(page, platform().url, 'root@example.com');
  await editUser(page, 'pat@example.com', async () => {
    await page.getByLabel('New password').fill('Another-Secret-77x');
  });
  await editUser(page, 'deputy@example.com', async () => {
    await page.getByLabel('Role').selectOption('member');
  });

  for (const cookie of [patCookie, deputyCookie]) {
    const home = await withCookie('/', cookie);
    expect(home.status).toBe(307);
    expect(home.headers.get('location')).toMatch(/\/login/);
  }
  await pat.page.reload();
  await expect(pat.page).toHaveURL(/\/login/);
  await pat.context.close();
  await deputy.context.close();
});

test('an admin ends all sessions of a user from the user page, and the audit log says so', async ({
  browser,
  page,
}) => {
  await seedUser(platform().db, { email: 'sam@example.com', role: 'member' });
  const sam = await signedIn(browser, 'sam@example.com');
  const samAgain = await signedIn(browser, 'sam@example.com');

  await signInAs(page, platform().url, 'root@example.com');
  await openUser(page, 'sam@example.com');
  await expect(page.getByTestId('live-sessions')).toHaveText('2 signed-in sessions');
  await page.getByRole('button', { name: 'End all sessions' }).click();
  await expect(page.locator('[data-notice]')).toHaveText('All sessions of this user ended.');
  await expect(page.getByTestId('live-sessions')).toHaveText('0 signed-in sessions');

  for (const { page: samPage } of [sam, samAgain]) {
    await samPage.reload();
    await expect(samPage).toHaveURL(/\/login/);
  }
  await page.goto(`${platform().url}/admin/audit`);
  await expect(page.getByRole('row').filter({ hasText: 'Sessions ended' })).toContainText('sam@example.com (2 ended)');
  await sam.context.close();
  await samAgain.context.close();
});

test('a signed-out visitor returns to the page they asked for after signing in, and only on this site', async ({
  page,
}) => {
  await page.goto(`${platform().url}/admin/audit?filter=none`);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await page.getByLabel('Email').fill('root@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/admin/audit?filter=none');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
  for (const hostile of ['//evil.example/x', 'https://evil.example/', '/.//evil.example', '/\\evil.example']) {
    await page.goto(`${platform().url}/login?callbackUrl=${encodeURIComponent(hostile)}`);
    await page.getByLabel('Email').fill('root@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    expect(new URL(page.url()).origin, hostile).toBe(platform().url);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
  }
});

async function openUser(page: Page, email: string) {
  await page.goto(`${platform().url}/admin/users`);
  await page.getByRole('link', { name: `Edit ${email}` }).click();
  await expect(page.getByRole('heading', { name: `Edit ${email}` })).toBeVisible();
}

async function editUser(page: Page, email: string, change: () => Promise<void>) {
  await openUser(page, email);
  await change();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('[data-notice]')).toHaveText('User saved.');
}
