// Runs once when the Next.js server starts (never during `next build`).
// First the request hook that records each client's real address (per-IP sign-in
// limits rely on it), then boot applies migrations before the first request is
// served and starts the background jobs without waiting for them.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installSocketAddressHeader } = await import('./lib/socket-address');
  installSocketAddressHeader();
  const { boot } = await import('./lib/boot');
  await boot();
}
