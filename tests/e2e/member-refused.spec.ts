// A member can sign in but gets 403 on every admin page, and an admin server
// action replayed with the member's session changes nothing (the same replay
// with the admin's session does work, so the refusal is the role check).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from '@playwright/test';
import { expect, test, usePlatform } from './fixtures';
import { ROOT, seedUser, signInAs } from './platform';

const ids: Record<string, string> = {};
const platform = usePlatform({}, async ({ db }) => {
  await seedUser(db, { email: 'admin@example.com', role: 'admin' });
  const member = await seedUser(db, { email: 'member@example.com', name: 'Mia Member' });
  const team = await db.team.create({ data: { name: 'Team', slug: 'team' } });
  const project = await db.project.create({ data: { name: 'Project', teamId: team.id } });
  Object.assign(ids, { users: member.id, teams: team.id, projects: project.id });
});

/** Every page under app/(app)/admin, with [id] filled in by the record type of its folder. */
function adminPaths(): string[] {
  const root = path.join(ROOT, 'app/(app)/admin');
  const out: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full, [...segments, entry]);
      else if (entry === 'page.tsx') {
        const filled = segments.map((s, i) => (s.startsWith('[') ? (ids[segments[i - 1]] ?? 'unknown') : s));
        out.push(['/admin', ...filled].join('/'));
      }
    }
  };
  walk(root, []);
  return out.sort();
}

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, platform().url, email);
  return page;
}

test('a member signs in to their home page and gets 403 on every admin page', async ({ browser }) => {
  const page = await signedIn(browser, 'member@example.com');
  await expect(page).toHaveURL(`${platform().url}/`);
  await expect(page.getByText('You are signed in as member@example.com (member).')).toBeVisible();
  const paths = adminPaths();
  expect(paths).toEqual(
    expect.arrayContaining([
      '/admin',
      '/admin/users',
      `/admin/users/${ids.users}/delete`,
      `/admin/teams/${ids.teams}`,
      '/admin/projects/new',
    ]),
  );
  for (const p of paths) {
    const response = await page.goto(`${platform().url}${p}`);
    expect(response?.status(), p).toBe(403);
    await expect(page.getByRole('heading', { name: '403: admins only' })).toBeVisible();
  }
});

test('an admin delete action replayed with a member session deletes nothing', async ({ browser }) => {
  const target = await seedUser(platform().db, { email: 'target@example.com' });
  const admin = await signedIn(browser, 'admin@example.com');
  const url = `${platform().url}/admin/users/${target.id}/delete`;
  await admin.goto(url);
  // The no-JavaScript form: its hidden inputs carry the action id and the user id.
  const fields = await admin
    .locator('form:has(button:text("Delete user")) input[type=hidden]')
    .evaluateAll((inputs) => Object.fromEntries((inputs as HTMLInputElement[]).map((i) => [i.name, i.value])));
  expect(Object.keys(fields).some((name) => name.startsWith('$ACTION_ID_'))).toBe(true);

  const member = await signedIn(browser, 'member@example.com');
  const refused = await member.request.post(url, { multipart: fields, maxRedirects: 0 });
  // Next answers a refused no-JavaScript action with its not-found page (404); a JavaScript call gets 403.
  expect(refused.status()).toBeGreaterThanOrEqual(400);
  expect(await platform().db.user.count({ where: { id: target.id } })).toBe(1);

  const done = await admin.request.post(url, { multipart: fields, maxRedirects: 0 });
  expect(done.status()).toBe(303);
  expect(done.headers()['location']).toBe('/admin/users?notice=deleted');
  expect(await platform().db.user.count({ where: { id: target.id } })).toBe(0);
});

test('an admin create action (React form) replayed with a member session creates nothing', async ({ browser }) => {
  const admin = await signedIn(browser, 'admin@example.com');
  await admin.goto(`${platform().url}/admin/users/new`);
  // Capture the action request the admin's browser would send, without letting it through.
  let captured: { headers: Record<string, string>; body: Buffer } | undefined;
  await admin.route('**/admin/users/new', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    captured = { headers: await route.request().allHeaders(), body: route.request().postDataBuffer()! };
    await route.abort();
  });
  await admin.getByLabel('Email').fill('sneaky@example.com');
  await admin.getByLabel('Name').fill('Sneaky');
  await admin.getByLabel('Password').fill('Compiler-Pioneer-1952');
  await admin.getByRole('button', { name: 'Create user' }).click();
  await expect.poll(() => captured).toBeDefined();
  const headers = {
    'next-action': captured!.headers['next-action'],
    'content-type': captured!.headers['content-type'],
    accept: 'text/x-component',
  };
  expect(headers['next-action']).toBeTruthy();

  const member = await signedIn(browser, 'member@example.com');
  const refused = await member.request.post(`${platform().url}/admin/users/new`, {
    headers,
    data: captured!.body,
    maxRedirects: 0,
  });
  expect(refused.status()).toBe(403);
  expect(await platform().db.user.count({ where: { email: 'sneaky@example.com' } })).toBe(0);

  await admin.request.post(`${platform().url}/admin/users/new`, { headers, data: captured!.body, maxRedirects: 0 });
  expect(await platform().db.user.count({ where: { email: 'sneaky@example.com' } })).toBe(1);
});
