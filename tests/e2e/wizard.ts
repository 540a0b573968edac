import { expect, type Page } from '@playwright/test';

export const ADMIN_PASSWORD = 'Analytical-Engine-1843';

/** Fills step 1 of the setup wizard and waits for step 2 (Options). */
export async function fillAdminStep(page: Page, baseUrl: string, email: string, name = 'Ada Lovelace') {
  await page.goto(`${baseUrl}/setup`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByLabel('Confirm password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Step 2 of 2: options')).toBeVisible();
}
