// An admin signs in and manages users, teams, projects and memberships through
// the UI: bad input shown beside its field with what was typed kept, deletes
// behind a confirmation page, lists paginated with totals.
import { type Page } from '@playwright/test';
import { expect, test, usePlatform } from './fixtures';
import { PASSWORD, seedUser, signInAs } from './platform';

const platform = usePlatform({}, (started) =>
  seedUser(started.db, { email: 'root@example.com', name: 'Root Admin', role: 'admin' }),
);

const fieldError = (page: Page, name: string) => page.locator(`[data-field-error="${name}"]`);

test('sign-in: a wrong password is refused with a message keeping the email, the right one lands on /admin', async ({
  page,
}) => {
  await page.goto(`${platform().url}/admin`);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email').fill('root@example.com');
  await page.getByLabel('Password').fill('Wrong-Password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('[data-form-error]')).toHaveText('Wrong email or password');
  await expect(page).toHaveURL(/\/login/);
  // The email typed survives the refusal (React resets the form after an action); the password does not.
  await expect(page.getByLabel('Email')).toHaveValue('root@example.com');
  await expect(page.getByLabel('Password')).toHaveValue('');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  // The per-IP counter is keyed on the real peer address (lib/socket-address.ts); it and the
  // account counter keep only the failed attempt; the account-from-this-address counter is cleared.
  const limits = await platform().db.rateLimit.findMany({
    select: { key: true, count: true },
    orderBy: { key: 'asc' },
  });
  expect(limits).toEqual([
    { key: 'signin:account:root@example.com', count: 1 },
    { key: 'signin:ip:127.0.0.1', count: 1 },
  ]);
});

test('an admin creates a user, a team and a project and adds the user to the team', async ({ page }) => {
  await signInAs(page, platform().url, 'root@example.com');

  // User: a duplicate email is reported beside the field and what was typed stays.
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('link', { name: 'New user' }).click();
  await page.getByLabel('Email').fill('ROOT@example.com');
  await page.getByLabel('Name').fill('Grace Hopper');
  await page.getByLabel('Role').selectOption('member');
  await page.getByLabel('Password').fill('Compiler-Pioneer-1952');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(fieldError(page, 'email')).toHaveText('Email already in use');
  await expect(page.getByLabel('Name')).toHaveValue('Grace Hopper');
  await expect(page.getByLabel('Email')).toHaveValue('ROOT@example.com');
  expect(await platform().db.user.count()).toBe(1);

  await page.getByLabel('Email').fill('grace@example.com');
  await page.getByLabel('Password').fill('Compiler-Pioneer-1952');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page).toHaveURL(/\/admin\/users\?notice=created$/);
  await expect(page.getByTestId('list-total')).toHaveText('2 users');
  await expect(page.locator('tr[data-row="grace@example.com"]')).toContainText('Grace Hopper');
  const grace = await platform().db.user.findUniqueOrThrow({ where: { email: 'grace@example.com' } });
  expect(grace.role).toBe('member');

  // Team: a bad slug is reported beside the slug field.
  await page.goto(`${platform().url}/admin/teams/new`);
  await page.getByLabel('Team name').fill('Compilers');
  await page.getByLabel('Slug').fill('Compilers Team!');
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(fieldError(page, 'slug')).toContainText('lower-case letters');
  await expect(page.getByLabel('Team name')).toHaveValue('Compilers');
  await page.getByLabel('Slug').fill('compilers');
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.locator('[data-notice]')).toHaveText('Team created. Add its members below.');
  const team = await platform().db.team.findUniqueOrThrow({ where: { slug: 'compilers' } });

  // Membership: choose the user and the role.
  await page.getByLabel('User').selectOption('grace@example.com');
  await page.getByLabel('Team role').selectOption('owner');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.locator('[data-notice]')).toHaveText('Member added.');
  await expect(page.locator('tr[data-row="grace@example.com"]')).toContainText('owner');
  expect(
    await platform().db.teamMember.findUnique({ where: { teamId_userId: { teamId: team.id, userId: grace.id } } }),
  ).toMatchObject({ role: 'owner' });
  await page.getByLabel('User').selectOption('grace@example.com');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(fieldError(page, 'email')).toHaveText('Already a member of this team');

  // A second team with the same slug is refused beside the slug.
  await page.goto(`${platform().url}/admin/teams/new`);
  await page.getByLabel('Team name').fill('Another');
  await page.getByLabel('Slug').fill('compilers');
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(fieldError(page, 'slug')).toHaveText('Slug already in use');

  // Project: must name a team.
  await page.goto(`${platform().url}/admin/projects/new`);
  await page.getByLabel('Project name').fill('COBOL');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(fieldError(page, 'team')).toHaveText('Choose a team');
  await expect(page.getByLabel('Project name')).toHaveValue('COBOL');
  await page.getByLabel('Team').selectOption('compilers');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(/\/admin\/projects\?notice=created$/);
  await expect(page.locator('tr[data-row="COBOL"]')).toContainText('Compilers');
  expect(await platform().db.project.count({ where: { teamId: team.id, name: 'COBOL' } })).toBe(1);

  // The overview counts them.
  await page.goto(`${platform().url}/admin`);
  await expect(page.getByTestId('total-users')).toHaveText('2');
  await expect(page.getByTestId('total-teams')).toHaveText('1');
  await expect(page.getByTestId('total-projects')).toHaveText('1');
});

test('deleting asks for confirmation first; a team takes its projects and memberships with it', async ({ page }) => {
  const team = await platform().db.team.create({ data: { name: 'Doomed', slug: 'doomed' } });
  const user = await seedUser(platform().db, { email: 'temp@example.com' });
  await platform().db.teamMember.create({ data: { teamId: team.id, userId: user.id } });
  await platform().db.project.create({ data: { name: 'Doomed project', teamId: team.id } });
  await signInAs(page, platform().url, 'root@example.com');

  await page.goto(`${platform().url}/admin/teams`);
  await page.getByRole('link', { name: 'Delete doomed' }).click();
  await expect(page.getByRole('heading', { name: 'Delete Doomed (doomed)?' })).toBeVisible();
  await expect(page.getByText('1 project')).toBeVisible();
  // Cancel keeps everything.
  await page.getByRole('link', { name: 'Cancel' }).click();
  expect(await platform().db.team.count({ where: { id: team.id } })).toBe(1);

  await page.goto(`${platform().url}/admin/teams/${team.id}/delete`);
  await page.getByRole('button', { name: 'Delete team' }).click();
  await expect(page.locator('[data-notice]')).toContainText('Team deleted');
  expect(await platform().db.team.count({ where: { id: team.id } })).toBe(0);
  expect(await platform().db.project.count({ where: { teamId: team.id } })).toBe(0);
  expect(await platform().db.teamMember.count({ where: { teamId: team.id } })).toBe(0);

  await page.goto(`${platform().url}/admin/users`);
  await page.getByRole('link', { name: 'Delete temp@example.com' }).click();
  await page.getByRole('button', { name: 'Delete user' }).click();
  await expect(page.locator('[data-notice]')).toHaveText('User deleted.');
  expect(await platform().db.user.count({ where: { email: 'temp@example.com' } })).toBe(0);
});

test('an admin cannot delete or demote themselves', async ({ page }) => {
  const me = await platform().db.user.findUniqueOrThrow({ where: { email: 'root@example.com' } });
  await signInAs(page, platform().url, 'root@example.com');
  await page.goto(`${platform().url}/admin/users/${me.id}/delete`);
  await expect(page.locator('[data-form-error]')).toHaveText(
    'You cannot delete your own account. Ask another admin to do it.',
  );
  await expect(page.getByRole('button', { name: 'Delete user' })).toHaveCount(0);

  await page.goto(`${platform().url}/admin/users/${me.id}`);
  await page.getByLabel('Role').selectOption('member');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(fieldError(page, 'role')).toContainText('You cannot remove your own admin role');
  expect((await platform().db.user.findUniqueOrThrow({ where: { id: me.id } })).role).toBe('admin');
});

test('lists are paginated 20 to a page with the total', async ({ page }) => {
  const before = await platform().db.user.count();
  await platform().db.user.createMany({
    data: Array.from({ length: 41 - before }, (_, i) => ({
      email: `bulk${String(i).padStart(2, '0')}@example.com`,
      name: `Bulk ${i}`,
      passwordHash: 'x',
    })),
  });
  await signInAs(page, platform().url, 'root@example.com');
  await page.goto(`${platform().url}/admin/users`);
  await expect(page.getByTestId('list-total')).toHaveText('41 users');
  await expect(page.locator('tbody tr')).toHaveCount(20);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: '3' }).click();
  await expect(page).toHaveURL(/\?page=3$/);
  await expect(page.locator('tbody tr')).toHaveCount(1);
  await expect(page.locator('[aria-current="page"]')).toHaveText('3');
  // Out-of-range and junk page numbers land on a real page.
  await page.goto(`${platform().url}/admin/users?page=999`);
  await expect(page.locator('[aria-current="page"]')).toHaveText('3');
  await page.goto(`${platform().url}/admin/users?page=abc`);
  await expect(page.locator('[aria-current="page"]')).toHaveText('1');
});

test('on a phone-sized screen no admin page scrolls sideways', async ({ page }) => {
  await signInAs(page, platform().url, 'root@example.com');
  await page.setViewportSize({ width: 390, height: 800 });
  await platform().db.auditLog.create({
    data: { actor: 'root@example.com', event: 'team.created', newValue: 'platform-team' },
  });
  await page.goto(`${platform().url}/admin/audit`);
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  for (const path of [
    '/admin',
    '/admin/users',
    '/admin/users/new',
    '/admin/teams',
    '/admin/teams/new',
    '/admin/projects',
    '/admin/projects/new',
    '/admin/settings',
    '/admin/audit',
  ]) {
    await page.goto(`${platform().url}${path}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect({ path, width }).toEqual({ path, width: 390 });
  }
});
