// Runs before every page and API route (not static files or the collector): sets the
// per-request security headers (a Content-Security-Policy with a fresh nonce,
// HSTS over HTTPS) and tells the page which path was asked for, so a signed-out
// visitor can be sent back there after signing in (lib/session.ts).
import { NextResponse, type NextRequest } from 'next/server';
import { getConfig } from './lib/config';
import { isHttpsRequest, newNonce, requestSecurityHeaders } from './lib/security-headers';
import { REQUESTED_PATH_HEADER } from './lib/requested-path';

export function proxy(request: NextRequest) {
  const { server } = getConfig();
  const nonce = newNonce();
  const headers = requestSecurityHeaders({
    nonce,
    https: isHttpsRequest(request.headers, server),
    dev: process.env.NODE_ENV === 'development',
  });
  // Next.js reads the nonce from the request's policy and puts it on the scripts it renders.
  const forwarded = new Headers(request.headers);
  forwarded.set('content-security-policy', headers['Content-Security-Policy']);
  forwarded.set(REQUESTED_PATH_HEADER, requestedPath(request.nextUrl));
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** The page as the visitor would link it: without the router's own cache-busting `_rsc` parameter. */
function requestedPath(url: URL): string {
  const search = new URLSearchParams(url.search);
  search.delete('_rsc');
  const query = search.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

// Not for static files, nor for the collector's endpoints and the health check: they answer
// JSON, need no nonce or return path, and a public collector takes the most requests of all
// (the fixed headers of next.config.mjs still apply to them).
export const config = {
  matcher: [
    '/((?!_next/static|_next/image|favicon.ico|api/health|api/v1/ping|(?:ping|capture|batch|e|i/v0/e)(?:/|$)).*)',
  ],
};
