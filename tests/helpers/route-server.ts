// A plain Node HTTP server in front of the collector's route handlers, so a
// real HTTP client (posthog-node) can talk to them inside an integration test
// on any database. Paths match with or without a trailing slash, as in the app.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handlePing, handlePosthog } from '../../lib/collector/handlers';
import { SOCKET_ADDRESS_HEADER } from '../../lib/socket-address-header';

const ROUTES: Record<string, (request: Request) => Promise<Response>> = {
  '/api/v1/ping': handlePing,
  '/ping': handlePing,
  '/capture': handlePosthog,
  '/e': handlePosthog,
  '/i/v0/e': handlePosthog,
  '/batch': handlePosthog,
};

export interface SeenRequest {
  method: string;
  path: string;
  contentEncoding?: string;
  status: number;
}

export async function startRouteServer(): Promise<{ url: string; seen: SeenRequest[]; close(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers))
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    // what lib/socket-address.ts does in the app
    headers.set(SOCKET_ADDRESS_HEADER, req.socket.remoteAddress ?? 'unknown');
    const handler = ROUTES[url.pathname.replace(/\/+$/, '') || '/'];
    const response = handler
      ? await handler(
          new Request(url, {
            method: req.method,
            headers,
            body: chunks.length ? new Uint8Array(Buffer.concat(chunks)) : undefined,
          }),
        )
      : Response.json({ error: 'not_found' }, { status: 404 });
    seen.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      contentEncoding: req.headers['content-encoding'],
      status: response.status,
    });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
