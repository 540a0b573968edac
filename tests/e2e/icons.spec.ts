// public/: every page links a favicon, and the icons browsers ask for by
// themselves (/favicon.ico, /apple-touch-icon.png) answer 200 with an image,
// signed in or not (they were 404s).
import { expect, test, usePlatform } from './fixtures';

const platform = usePlatform();

test('the favicon and the icons Next.js and browsers expect are served', async ({ page }) => {
  for (const [path, type] of [
    ['/favicon.ico', 'image/x-icon'],
    ['/icon.svg', 'image/svg+xml'],
    ['/apple-touch-icon.png', 'image/png'],
    ['/icon-192.png', 'image/png'],
    ['/icon-512.png', 'image/png'],
    ['/manifest.webmanifest', 'application/manifest+json'],
  ]) {
    const response = await fetch(`${platform().url}${path}`);
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type'), path).toContain(type);
    expect((await response.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
  }

  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  await page.goto(`${platform().url}/login`);
  await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute('href', '/apple-touch-icon.png');
  const icon = await page.evaluate(async () => (await fetch('/favicon.ico')).status);
  expect(icon).toBe(200);
  expect(failed).toEqual([]);
});
