// The client address for rate limits and logs. `next start` keeps whatever
// X-Forwarded-For a client sends (it only fills the header when absent; seen
// with curl: a forged `X-Forwarded-For: 6.6.6.6` arrived unchanged), so that
// header is only believed behind a trusted proxy. Otherwise the address is the
// TCP peer, stamped on each request by lib/socket-address.ts.
import { SOCKET_ADDRESS_HEADER } from './socket-address-header';

/**
 * trustProxy: one trusted reverse proxy sits in front and appends the address
 * it saw to X-Forwarded-For, so the last entry is the client (earlier entries
 * are whatever the client sent and are ignored).
 */
export function clientIp(headers: Headers, { trustProxy = false } = {}): string {
  const socket = headers.get(SOCKET_ADDRESS_HEADER) || 'unknown';
  if (!trustProxy) return normalise(socket);
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return normalise(forwarded.at(-1) ?? socket);
}

function normalise(ip: string): string {
  return ip.replace(/^::ffff:/, '');
}
