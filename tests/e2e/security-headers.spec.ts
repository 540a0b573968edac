// The platform's answers carry a real Content-Security-Policy (scripts only with
// this response's nonce, no plugins, no <base> hijack), Referrer-Policy and
// Permissions-Policy; over HTTPS also HSTS and Secure session cookies. That every
// page works under the policy is checked by every spec (tests/e2e/fixtures.ts).
import { expect, test } from './fixtures';
import { httpSignIn } from './http-sign-in';
import { PASSWORD, seedUser, startPlatform, type Platform } from './platform';

let plain: Platform;
let https: Platform;
let proxied: Platform;
test.beforeAll(async () => {
  [plain, https, proxied] = await Promise.all([
    startPlatform(),
    startPlatform({ config: { server: { publicUrl: 'https://flowforge.example.com' } } }),
    startPlatform({ config: { server: { trustProxy: true } } }),
  ]);
  for (const platform of [plain, https, proxied])
    await seedUser(platform.db, { email: 'root@example.com', role: 'admin' });
});
test.afterAll(async () => Promise.all([plain?.stop(), https?.stop(), proxied?.stop()]));

const nonceOf = (policy: string) => /'nonce-([^']+)'/.exec(policy)?.[1];

test('pages carry a nonce-based policy; every script of the page carries that nonce', async () => {
  const first = await fetch(`${plain.url}/login`);
  const policy = first.headers.get('content-security-policy') ?? '';
  for (const directive of [
    "default-src 'self'",
    "'strict-dynamic'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ]) {
    expect(policy).toContain(directive);
  }
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).not.toContain('unsafe-eval');
  const nonce = nonceOf(policy);
  expect(nonce).toBeTruthy();
  const html = await first.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  // A fresh nonce for every answer.
  const second = await fetch(`${plain.url}/login`);
  expect(nonceOf(second.headers.get('content-security-policy') ?? '')).not.toBe(nonce);

  expect(first.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(first.headers.get('permissions-policy')).toContain('camera=()');
  expect(first.headers.get('strict-transport-security')).toBeNull();
  expect(policy).not.toContain('upgrade-insecure-requests');
});

test('over plain HTTP the session cookie is not Secure', async () => {
  const { sessionCookie } = await httpSignIn(plain.url, 'root@example.com', PASSWORD);
  expect(sessionCookie).toMatch(/^authjs\.session-token=/);
  expect(sessionCookie).not.toMatch(/;\s*Secure/i);
});

test('with an https:// public address: HSTS and a Secure session cookie', async () => {
  const page = await fetch(`${https.url}/login`);
  expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
  expect(page.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  const { sessionCookie } = await httpSignIn(https.url, 'root@example.com', PASSWORD);
  expect(sessionCookie).toMatch(/^__Secure-authjs\.session-token=/);
  expect(sessionCookie).toMatch(/;\s*Secure/i);
});

test("behind a trusted proxy its X-Forwarded-Proto decides; reached directly, a client's does not", async () => {
  const viaProxy = { 'x-forwarded-proto': 'https' };
  expect((await fetch(`${proxied.url}/login`, { headers: viaProxy })).headers.get('strict-transport-security')).toBe(
    'max-age=31536000',
  );
  expect((await httpSignIn(proxied.url, 'root@example.com', PASSWORD, viaProxy)).sessionCookie).toMatch(/;\s*Secure/i);
  expect((await fetch(`${proxied.url}/login`)).headers.get('strict-transport-security')).toBeNull();
  // Without trustProxy the header is the client's own word and changes nothing.
  const forged = await fetch(`${plain.url}/login`, { headers: viaProxy });
  expect(forged.headers.get('strict-transport-security')).toBeNull();
  expect((await httpSignIn(plain.url, 'root@example.com', PASSWORD, viaProxy)).sessionCookie).toMatch(
    /^authjs\.session-token=/,
  );
});
