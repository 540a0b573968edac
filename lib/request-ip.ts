// The client address as seen by this server. `next start` appends the socket
// address to X-Forwarded-For, so the last entry is the one a client cannot forge
// when nothing else sits in front; with a trusted proxy, callers pass trustProxy
// and get the first (original client) entry instead.
export function clientIp(headers: Headers, { trustProxy = false } = {}): string {
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const ip = (trustProxy ? forwarded[0] : forwarded.at(-1)) ?? headers.get('x-real-ip') ?? 'unknown';
  return ip.replace(/^::ffff:/, '');
}
