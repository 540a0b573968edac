// No page of the platform may be shown inside another site's frame: a framed
// admin page (a delete confirmation, say) could be clicked through by an
// invisible overlay (clickjacking), and server actions would accept the click
// because it comes from the platform's own origin.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, usePlatform } from './fixtures';

// A fresh platform (setup not done) answers every path too: the headers do not depend on a session.
const platform = usePlatform();

test('every answer forbids framing and content sniffing', async () => {
  for (const path of ['/login', '/setup', '/admin', '/api/admin/telemetry/last-payload', '/no-such-page']) {
    const response = await fetch(`${platform().url}${path}`, { redirect: 'manual' });
    expect(response.headers.get('x-frame-options'), path).toBe('DENY');
    expect(response.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
  }
});

test('another site cannot show the platform in a frame', async ({ page, cspViolations }) => {
  // The "other site": http://localhost:<port> is another origin than the platform's http://127.0.0.1:<port>.
  const attacker = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(
      `<h1>Win a prize</h1><iframe name="victim" src="${platform().url}/setup" width="800" height="600"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  try {
    const framed = page.waitForResponse((response) => response.url() === `${platform().url}/setup`);
    await page.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`);
    expect((await framed).status()).toBe(200); // the page was served...
    await expect(page.getByRole('heading', { name: 'Win a prize' })).toBeVisible();
    // ...but the browser refused to show it in the frame.
    const frame = page.frame({ name: 'victim' })!;
    await frame.waitForLoadState('load');
    const shown = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    expect(shown).not.toContain('Welcome to FlowForge');
    // The refusal is the policy at work, reported as a violation: expected here, and only this one.
    await expect.poll(() => cspViolations.join('\n')).toContain('frame-ancestors');
    expect(cspViolations.every((violation) => violation.includes('frame-ancestors'))).toBe(true);
    cspViolations.length = 0;
  } finally {
    attacker.close();
  }
});
