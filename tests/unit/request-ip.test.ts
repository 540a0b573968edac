// The per-IP sign-in limit must not be dodged with a forged X-Forwarded-For.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIp, MissingClientAddressError } from '../../lib/request-ip';
import { installSocketAddressHeader } from '../../lib/socket-address';
import { SOCKET_ADDRESS_HEADER } from '../../lib/socket-address-header';

describe('clientIp', () => {
  it('uses the TCP peer and ignores X-Forwarded-For unless a proxy is trusted', () => {
    const headers = new Headers({ 'x-forwarded-for': '6.6.6.6, 7.7.7.7', [SOCKET_ADDRESS_HEADER]: '::ffff:10.0.0.5' });
    expect(clientIp(headers)).toBe('10.0.0.5');
  });

  it('behind a trusted proxy takes the entry the proxy appended (the last), not what the client wrote first', () => {
    const headers = new Headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9', [SOCKET_ADDRESS_HEADER]: '10.0.0.1' });
    expect(clientIp(headers, { trustProxy: true })).toBe('203.0.113.9');
    expect(clientIp(new Headers({ [SOCKET_ADDRESS_HEADER]: '10.0.0.1' }), { trustProxy: true })).toBe('10.0.0.1');
  });

  it('fails loudly when the address was not stamped, rather than putting every client in one bucket', () => {
    expect(() => clientIp(new Headers({ 'x-forwarded-for': '6.6.6.6' }))).toThrow(MissingClientAddressError);
    expect(() => clientIp(new Headers({ 'x-forwarded-for': '6.6.6.6' }), { trustProxy: true })).toThrow(
      /installSocketAddressHeader\(\) \(instrumentation.ts\) did not run/,
    );
  });
});

describe('installSocketAddressHeader', () => {
  it('stamps every request with the real peer address, overwriting a forged header', async () => {
    installSocketAddressHeader();
    installSocketAddressHeader(); // idempotent
    const server = http.createServer((req, res) => res.end(JSON.stringify(req.headers)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { 'x-forwarded-for': '6.6.6.6', [SOCKET_ADDRESS_HEADER]: '9.9.9.9' },
      });
      const seen = (await response.json()) as Record<string, string>;
      expect(seen[SOCKET_ADDRESS_HEADER]).toBe('127.0.0.1');
      expect(clientIp(new Headers(seen))).toBe('127.0.0.1');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
