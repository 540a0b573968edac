// A PostHog-speaking receiver for bench:events, in a process of its own: the benchmark's
// load generator must not parse (and keep) the "on" servers' batches, or its own work and
// garbage collections would land on their turns only. Listens on BENCH_SINKS loopback ports,
// prints them as one JSON line, answers every request 200, and counts what each port
// received: GET /counts -> { requests, pings, events: { name: count }, duplicates }. An event
// is counted once by its uuid: a batch whose answer came after the sender's timeout is sent
// again (at least once, as PostHog's clients do), and that is not a second event. Only the
// uuids are kept.
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

async function listen() {
  const counts = { requests: 0, pings: 0, events: {}, duplicates: 0 };
  const seen = new Set();
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/counts') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counts));
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      counts.requests += 1;
      try {
        const raw = Buffer.concat(chunks);
        const text = (req.headers['content-encoding'] === 'gzip' ? await gunzipAsync(raw) : raw).toString('utf8');
        if (req.url?.startsWith('/batch'))
          for (const { event, uuid } of JSON.parse(text).batch ?? []) {
            if (uuid && seen.has(uuid)) counts.duplicates += 1;
            else counts.events[event] = (counts.events[event] ?? 0) + 1;
            if (uuid) seen.add(uuid);
          }
        else if (req.url?.includes('ping')) counts.pings += 1;
      } catch {
        counts.events['(unreadable)'] = (counts.events['(unreadable)'] ?? 0) + 1;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":1}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

const ports = [];
for (let i = 0; i < Number(process.env.BENCH_SINKS ?? 1); i++) ports.push(await listen());
console.log(JSON.stringify(ports));
// Ends with the benchmark (its stdin closes).
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
