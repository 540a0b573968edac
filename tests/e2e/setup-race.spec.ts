// Two people finish the setup wizard at the same moment: one becomes the
// admin, the other is told clearly that setup is already complete.
import { expect, test, usePlatform } from './fixtures';
import { fillAdminStep } from './wizard';

const platform = usePlatform();

test('two browsers finishing the wizard at once make exactly one admin', async ({ browser }) => {
  const [a, b] = await Promise.all([1, 2].map(async () => (await browser.newContext()).newPage()));
  await fillAdminStep(a, platform().url, 'first@example.com', 'First');
  await fillAdminStep(b, platform().url, 'second@example.com', 'Second');

  await Promise.all([
    a.getByRole('button', { name: 'Finish setup' }).click(),
    b.getByRole('button', { name: 'Finish setup' }).click(),
  ]);
  const outcome = async (page: typeof a) => {
    await expect(page.locator('[data-form-error]').or(page.getByRole('heading', { name: 'Overview' }))).toBeVisible();
    return page.url().endsWith('/admin') ? 'won' : 'lost';
  };
  const results = await Promise.all([outcome(a), outcome(b)]);
  expect([...results].sort()).toEqual(['lost', 'won']);
  const loser = results[0] === 'lost' ? a : b;
  await expect(loser.locator('[data-form-error]')).toHaveText(
    'Setup has already been completed on this platform. Sign in instead.',
  );

  const users = await platform().db.user.findMany();
  expect(users).toHaveLength(1);
  expect(users[0].role).toBe('admin');
  expect(await platform().db.auditLog.count({ where: { event: 'setup.completed' } })).toBe(1);
});
