// A PostHog-speaking receiver on localhost for usage-event tests: records every
// /batch/ request (gunzipped and parsed) and answers as told: a status code,
// 'hang' (accept and never answer). Real HTTP, real sockets.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface ReceivedBatch {
  path: string;
  gzip: boolean;
  body: { api_key: string; batch: Array<Record<string, unknown>>; sent_at: string };
  at: number;
}

export interface EventsReceiver {
  host: string;
  batches: ReceivedBatch[];
  mode: number | 'hang';
  /** Every event received, in order. */
  events(): Array<
    { event: string; distinct_id: string; properties: Record<string, unknown> } & Record<string, unknown>
  >;
  close(): Promise<void>;
}

export async function startEventsReceiver(mode: number | 'hang' = 200): Promise<EventsReceiver> {
  const batches: ReceivedBatch[] = [];
  const hanging: ServerResponse[] = [];
  const receiver = { batches, mode } as EventsReceiver;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const gzip = req.headers['content-encoding'] === 'gzip';
      const raw = Buffer.concat(chunks);
      batches.push({
        path: req.url ?? '',
        gzip,
        body: JSON.parse((gzip ? gunzipSync(raw) : raw).toString('utf8')),
        at: Date.now(),
      });
      if (receiver.mode === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(receiver.mode, { 'content-type': 'application/json' }).end('{"status":1}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.host = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  receiver.events = () => batches.flatMap((b) => b.body.batch) as ReturnType<EventsReceiver['events']>;
  receiver.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return receiver;
}
