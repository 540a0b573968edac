// Runs once when the Next.js server starts (never during `next build`).
// Boot applies migrations before the first request is served, then starts the
// background jobs without waiting for them.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { boot } = await import('./lib/boot');
  await boot();
}
