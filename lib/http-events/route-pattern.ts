// Maps a request path to the route pattern Next matched, e.g.
// /admin/users/3f2a... -> /admin/users/[id], from the build's routes manifest
// (the same regexes Next's router uses), so worker_route never holds a raw id.
// Pure: the manifest is passed in; lib/http-events/recorder.ts reads the file.

export interface RoutesManifest {
  staticRoutes: { page: string; regex: string }[];
  dynamicRoutes: { page: string; regex: string }[];
}

/** Paths that match no route of the build (answered 404): their text may hold anything, so it is not kept. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Built static files (JavaScript, CSS, fonts under /_next/static/) are not recorded:
 * they are immutable, cached by browsers for a year and would outnumber the requests
 * operators care about. Everything else is recorded, 404s included.
 */
export function isExcludedPath(url: string): boolean {
  return url.startsWith('/_next/static/');
}

// Client navigations and prefetches fetch the React Server Component payload of a
// page at the page's own path with one of these endings.
const RSC_SUFFIX = /(?:\.prefetch)?\.rsc$|\.segments\/.*$/;
const CACHE_LIMIT = 5000;

export function createRouteMatcher(manifest: RoutesManifest): (pathname: string) => string {
  const statics = new Map<string, string>();
  const staticRegexes = manifest.staticRoutes.map((route) => ({ page: route.page, regex: new RegExp(route.regex) }));
  for (const route of manifest.staticRoutes) statics.set(route.page, route.page);
  // The manifest lists dynamic routes most specific first, as Next matches them.
  const dynamics = manifest.dynamicRoutes.map((route) => ({ page: route.page, regex: new RegExp(route.regex) }));
  const cache = new Map<string, string>();

  function match(pathname: string): string {
    const exact = statics.get(pathname);
    if (exact) return exact;
    for (const route of staticRegexes) if (route.regex.test(pathname)) return route.page;
    for (const route of dynamics) if (route.regex.test(pathname)) return route.page;
    if (pathname.startsWith('/_next/')) return pathname.split('/').slice(0, 3).join('/'); // e.g. /_next/image
    return UNMATCHED_ROUTE;
  }

  return (pathname: string) => {
    const cached = cache.get(pathname);
    if (cached !== undefined) return cached;
    let path = pathname;
    try {
      path = decodeURI(pathname);
    } catch {}
    const stripped = path.replace(RSC_SUFFIX, '') || '/';
    const route = match(stripped === '/index' ? '/' : stripped);
    if (cache.size >= CACHE_LIMIT) cache.clear(); // paths holding ids are endless; keep memory flat
    cache.set(pathname, route);
    return route;
  };
}
