// The client address for rate limits and logs. `next start` keeps whatever
// X-Forwarded-For a client sends (it only fills the header when absent; seen
// with curl: a forged `X-Forwarded-For: 6.6.6.6` arrived unchanged), so that
// header is only believed behind a trusted proxy. Otherwise the address is the
// TCP peer, stamped on each request by lib/socket-address.ts.
import { SOCKET_ADDRESS_HEADER } from './socket-address-header';

export class MissingClientAddressError extends Error {
  name = 'MissingClientAddressError';
  constructor() {
    super(
      `the request has no ${SOCKET_ADDRESS_HEADER} header: installSocketAddressHeader() (instrumentation.ts) ` +
        'did not run, so the client address is unknown',
    );
  }
}

/**
 * trustProxy: one trusted reverse proxy sits in front and appends the address
 * it saw to X-Forwarded-For, so the last entry is the client (earlier entries
 * are whatever the client sent and are ignored).
 */
export function clientIp(headers: Headers, { trustProxy = false } = {}): string {
  const socket = headers.get(SOCKET_ADDRESS_HEADER);
  // Without the hook every client would share one address, and so one sign-in and collector
  // bucket: a wrong setup must fail the request, not quietly merge everybody.
  if (!socket) throw new MissingClientAddressError();
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
