/** @type {import('next').NextConfig} */
const nextConfig = {
  // The test suite builds into its own folder so it never disturbs a running platform.
  distDir: process.env.FLOWFORGE_DIST_DIR || '.next',
  // Native and Node-only packages stay outside the server bundle.
  serverExternalPackages: ['better-sqlite3', '@node-rs/argon2', 'pg', 'node-cron'],
  poweredByHeader: false,
  // PostHog clients post to /batch/ and /capture/ with a trailing slash; a 308 to
  // the slashless path would cost a round trip (and some clients do not follow
  // redirects on POST), so both forms reach the same route handler.
  skipTrailingSlashRedirect: true,
  // forbidden() answers 403 for members on admin pages.
  experimental: { authInterrupts: true },
  // Headers every answer carries, static files included. No page may be framed by
  // another site (clickjacking: an invisible frame over a decoy page would turn a
  // click into an admin's action), no answer is sniffed into another content type,
  // other sites learn only our origin from links, and no page may use the camera,
  // microphone, location, payments or USB. The Content-Security-Policy (with a
  // nonce per answer) and HSTS depend on the request: proxy.ts sets them.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
