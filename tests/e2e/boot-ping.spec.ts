// The boot ping of the built server, with the real job registry and timers: about 30 s after
// start, once setup is complete, one ping, recorded as "After start" in the history.
import { createServer, type Server } from 'node:http';
import { expect, test } from './fixtures';
import { seedUser, startPlatform, type Platform } from './platform';

let platform: Platform;
let collector: Server;
const pings: number[] = [];
let launchedAt = 0;

test.beforeAll(async () => {
  collector = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/api/v1/ping')) pings.push(Date.now());
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const { port } = collector.address() as { port: number };
  launchedAt = Date.now();
  platform = await startPlatform({ config: { telemetry: { url: `http://127.0.0.1:${port}/api/v1/ping` } } });
  await seedUser(platform.db, { email: 'root@example.com', role: 'admin' }); // setup complete
});
test.afterAll(async () => {
  await platform?.stop();
  await new Promise((resolve) => collector?.close(resolve));
});

test('the boot ping goes out about 30 s after start, once', async () => {
  test.setTimeout(120_000);
  await expect.poll(() => pings.length, { timeout: 75_000, intervals: [500] }).toBe(1);
  const afterLaunch = (pings[0] - launchedAt) / 1000;
  expect(afterLaunch).toBeGreaterThanOrEqual(29);
  expect(afterLaunch).toBeLessThan(70); // 30 s after the process started, plus a slow machine's start
  const rows = await platform.db.telemetrySend.findMany();
  expect(rows).toMatchObject([{ trigger: 'boot', ok: true, status: 200 }]);
});
