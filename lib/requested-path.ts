// The path a request asked for, stamped by proxy.ts (which overwrites any value a
// client sent), so a page that sends a signed-out visitor to /login can say where
// to return. Only same-origin paths are ever used as a return address.

export const REQUESTED_PATH_HEADER = 'x-flowforge-requested-path';

/** A path on this site ("/admin/users?page=2"), or null for anything that could leave it. */
export function sameOriginPath(value: string | null | undefined): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  try {
    const url = new URL(value, 'http://platform.invalid');
    const path = url.pathname + url.search;
    // "/.//evil.example" normalises to "//evil.example", which a browser reads as another host.
    if (url.origin !== 'http://platform.invalid' || path.startsWith('//')) return null;
    return path;
  } catch {
    return null;
  }
}

/** /login, with the page to return to when it is worth returning to. */
export function loginPath(requested: string | null | undefined): string {
  const path = sameOriginPath(requested);
  if (!path || path === '/' || path.startsWith('/login')) return '/login';
  return `/login?callbackUrl=${encodeURIComponent(path)}`;
}
