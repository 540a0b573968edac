import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isHttpsRequest, newNonce, requestSecurityHeaders } from '../../lib/security-headers';

describe('contentSecurityPolicy', () => {
  it('allows scripts and styles only from this origin with the nonce, and no plugins, base or framing', () => {
    // Written out on purpose rather than imported: this is the policy the platform promises.
    const policy = contentSecurityPolicy({ nonce: 'abc', https: false });
    const sources = policy.split('; ').map((directive) => directive.split(' '));
    expect(Object.fromEntries(sources.map(([name, ...values]) => [name, values.join(' ')]))).toEqual({
      'default-src': "'self'",
      'script-src': "'self' 'nonce-abc' 'strict-dynamic'",
      'style-src': "'self' 'nonce-abc'",
      'img-src': "'self' blob: data:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'self'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(sources).toHaveLength(10); // no directive twice
  });

  it('upgrades insecure requests over HTTPS; allows eval and inline styles only in development', () => {
    expect(contentSecurityPolicy({ nonce: 'n', https: true })).toContain('upgrade-insecure-requests');
    const dev = contentSecurityPolicy({ nonce: 'n', https: false, dev: true });
    expect(dev).toContain("'unsafe-eval'");
    expect(dev).toContain("style-src 'self' 'unsafe-inline'");
  });
});

describe('requestSecurityHeaders', () => {
  it('adds HSTS only over HTTPS', () => {
    expect(requestSecurityHeaders({ nonce: 'n', https: false })).not.toHaveProperty('Strict-Transport-Security');
    expect(requestSecurityHeaders({ nonce: 'n', https: true })['Strict-Transport-Security']).toBe('max-age=31536000');
  });
});

describe('isHttpsRequest', () => {
  const forwarded = (proto: string) => new Headers({ 'x-forwarded-proto': proto });
  it('is HTTPS when the public address is https://', () => {
    expect(isHttpsRequest(new Headers(), { publicUrl: 'https://ff.example.com', trustProxy: false })).toBe(true);
    expect(isHttpsRequest(new Headers(), { publicUrl: 'http://ff.example.com', trustProxy: false })).toBe(false);
  });
  it("believes X-Forwarded-Proto only behind a trusted proxy, and only the proxy's (last) value", () => {
    expect(isHttpsRequest(forwarded('https'), { trustProxy: false })).toBe(false);
    expect(isHttpsRequest(forwarded('https'), { trustProxy: true })).toBe(true);
    expect(isHttpsRequest(forwarded('https, http'), { trustProxy: true })).toBe(false);
    expect(isHttpsRequest(new Headers(), { trustProxy: true })).toBe(false);
  });
});

describe('newNonce', () => {
  it('is fresh each time and long enough not to be guessed', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(18);
  });
});
