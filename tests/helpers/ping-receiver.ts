// A tiny telemetry collector on localhost for tests: records every request and
// answers as told (a status code, never, late, or by dropping the connection
// before or in the middle of its answer). Real HTTP, real sockets.
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
  mode: CollectorMode;
  /** Called with each request as it is received, before the collector answers. */
  onRequest?: (ping: ReceivedPing) => void;
  /** Answers every request still hanging with `status`. */
  release(status: number): void;
  close(): Promise<void>;
}

/**
 * A status code to answer with; 'hang': accept the request and never answer;
 * 'reset': close the connection without answering; 'truncate': send a 200 with
 * half of its announced body, then close; { delayMs, status }: answer late.
 */
export type CollectorMode = number | 'hang' | 'reset' | 'truncate' | { delayMs: number; status: number };

export async function startCollector(mode: CollectorMode = 200): Promise<TestCollector> {
  const received: ReceivedPing[] = [];
  const hanging: ServerResponse[] = [];
  const late: ServerResponse[] = [];
  const collector = { received, mode } as TestCollector;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const ping = {
        method: req.method ?? '',
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      received.push(ping);
      collector.onRequest?.(ping);
      const mode = collector.mode;
      if (mode === 'hang') hanging.push(res);
      else if (mode === 'reset') req.socket.destroy();
      else if (mode === 'truncate') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '64' });
        res.write('{"status":', () => req.socket.destroy());
      } else if (typeof mode === 'object') {
        late.push(res);
        setTimeout(() => {
          if (!res.headersSent && !res.destroyed)
            res.writeHead(mode.status, { 'content-type': 'application/json' }).end('{}');
        }, mode.delayMs).unref();
      } else res.writeHead(mode, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  collector.url = `http://127.0.0.1:${port}/api/v1/ping`;
  collector.release = (status) => {
    for (const res of hanging.splice(0))
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  };
  collector.close = async () => {
    for (const res of [...hanging, ...late]) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return collector;
}
