// Gives every request a header holding the address of the TCP peer, which a
// client cannot forge. `next start` passes a client-sent X-Forwarded-For on
// untouched (it only fills the header when it is absent), so without this a
// client could claim any address and slip past per-IP limits. Installed once
// from instrumentation.ts, before the server handles requests.
import http from 'node:http';

import { SOCKET_ADDRESS_HEADER } from './socket-address-header';

const marker = Symbol.for('flowforge.socketAddress');

export function installSocketAddressHeader(): void {
  const proto = http.Server.prototype as http.Server & { [marker]?: boolean };
  if (proto[marker]) return;
  proto[marker] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const request = args[0] as http.IncomingMessage;
      // Always overwritten, so a client-sent header of this name is discarded.
      request.headers[SOCKET_ADDRESS_HEADER] = request.socket?.remoteAddress ?? 'unknown';
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof proto.emit;
}
