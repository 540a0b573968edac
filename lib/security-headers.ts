// Response headers that limit what a page may do in the browser, decided per
// request by proxy.ts (the Content-Security-Policy carries a fresh nonce, which
// Next.js reads from the request's policy and puts on its own scripts).
// Pure functions, so the policy is tested without a server.

/** Is this request served over HTTPS? The configured public address says so, or the proxy we trust. */
export function isHttpsRequest(
  headers: Headers,
  { publicUrl, trustProxy }: { publicUrl?: string; trustProxy: boolean },
): boolean {
  if (publicUrl?.startsWith('https://')) return true;
  if (!trustProxy) return false;
  // Our proxy appends its own value last (as with X-Forwarded-For); earlier ones are the client's.
  const forwarded = (headers.get('x-forwarded-proto') ?? '').split(',').map((part) => part.trim().toLowerCase());
  return forwarded.at(-1) === 'https';
}

/** A fresh, unguessable nonce for one response. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
}

/**
 * Scripts only from this origin and only with this response's nonce ('strict-dynamic'
 * lets Next's nonce-carrying loader load its chunks); no plugins, no <base> hijack,
 * no framing, forms post only here. Styles: the stylesheet from this origin and
 * nonce-carrying <style>; no inline style attributes. Development needs eval
 * (React's error overlay) and inline styles (the dev overlay).
 */
export function contentSecurityPolicy({ nonce, https, dev = false }: { nonce: string; https: boolean; dev?: boolean }) {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** One year; browsers then refuse plain HTTP for this host. Only sent when served over HTTPS. */
export const HSTS = 'max-age=31536000';

/** Headers that depend on the request (nonce, HTTPS); the fixed ones are in next.config.mjs. */
export function requestSecurityHeaders({
  nonce,
  https,
  dev = false,
}: {
  nonce: string;
  https: boolean;
  dev?: boolean;
}) {
  const headers: Record<string, string> = { 'Content-Security-Policy': contentSecurityPolicy({ nonce, https, dev }) };
  if (https) headers['Strict-Transport-Security'] = HSTS;
  return headers;
}
