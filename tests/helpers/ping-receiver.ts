// A tiny telemetry collector on localhost for tests: records every request and
// answers as told (a status code, or never). Real HTTP, real sockets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ReceivedPing {
  method: string;
  contentType: string | undefined;
  body: string;
  at: number;
}

export interface TestCollector {
  url: string;
  received: ReceivedPing[];
  /** 'hang': accept the request and never answer. */
  mode: number | 'hang';
  close(): Promise<void>;
}

export async function startCollector(mode: number | 'hang' = 200): Promise<TestCollector> {
  const received: ReceivedPing[] = [];
  const hanging: ServerResponse[] = [];
  const collector = { received, mode } as TestCollector;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      if (collector.mode === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(collector.mode, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  collector.url = `http://127.0.0.1:${port}/api/v1/ping`;
  collector.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return collector;
}
