// Benchmark: does telemetry slow the platform's start? The built server (next
// start of a production build in .next-bench) is started ROUNDS times with
// telemetry on and ROUNDS times with it off, interleaved (on, off, off, on, ...
// so drift in the machine's load hits both alike), each time on a fresh copy
// of a database that has an admin and setup complete, and timed from spawning
// the process to the first 200 on /login. "On" sends to a real local collector
// (a loopback HTTP sink), so nothing is skipped because the collector is absent.
// Target: median on / median off <= 1.02.
//
//   npm run bench:boot            (BENCH_ROUNDS=10 starts of each)
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { benchOptions, median, reportRow, thousands } from './harness';
import { ensureBuilt, platformDatabase, startBuiltServer } from './server';
import { startCollector } from '../tests/helpers/ping-receiver';

const { ROUNDS } = benchOptions({ ROUNDS: 10 });
const TARGET = 1.02;

ensureBuilt();
const template = await platformDatabase();
const sink = await startCollector(200);
const config = (telemetry: Record<string, unknown>, file: string) => ({
  db: { type: 'sqlite', url: file },
  telemetry: { url: sink.url, ...telemetry },
});
const modes = {
  on: (file: string) => config({ enabled: true }, file),
  off: (file: string) => config({ enabled: false }, file),
};

type Mode = keyof typeof modes;
const times: Record<Mode, number[]> = { on: [], off: [] };
// One unmeasured start of each first (it warms the file cache), then ROUNDS pairs in alternating order.
const order: Mode[] = ['on', 'off'];
for (let i = 0; i < ROUNDS; i++) order.push(...(i % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const)));

try {
  for (const mode of order) {
    const file = path.join(path.dirname(template.url), `${mode}-${Date.now()}.db`);
    copyFileSync(template.url, file);
    const server = await startBuiltServer(modes[mode](file));
    await server.stop();
    times[mode].push(server.bootMs);
    console.log(`  ${mode.padEnd(3)} ${thousands(server.bootMs)} ms`);
  }
} finally {
  await sink.close();
  template.remove();
}
// The first start of each mode was the warm-up.
const [on, off] = [median(times.on.slice(1)), median(times.off.slice(1))];
const ratio = on / off;
reportRow({
  bench: 'boot',
  figure: `start to first 200 on /login, telemetry on vs off (SQLite, median of ${ROUNDS} interleaved starts)`,
  measured: `${thousands(on)} ms on, ${thousands(off)} ms off`,
  ratio: `${ratio.toFixed(3)}x`,
  target: `<= ${TARGET}x`,
  pass: ratio <= TARGET,
});
