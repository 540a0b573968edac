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
  // No page may be framed by another site (clickjacking: an invisible frame over a
  // decoy page would turn a click into an admin's action), and no answer is
  // sniffed into another content type. Applies to every page, API and collector route.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
        ],
      },
    ];
  },
};

export default nextConfig;
