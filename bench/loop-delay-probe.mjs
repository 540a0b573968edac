// Preloaded into the server by bench/hostile.ts (NODE_OPTIONS=--import): every
// 500 ms, appends the event loop's delay over that span (p50, p99, max in ms) to
// BENCH_LOOP_DELAY_FILE, so the benchmark sees how long the one JavaScript thread
// was held without adding an endpoint to the server. Does nothing without the variable.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_DELAY_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  setInterval(() => {
    const span = {
      pid: process.pid,
      at: Date.now(),
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
    };
    appendFileSync(file, `${JSON.stringify({ ...span, max: ms(histogram.max) })}\n`);
    histogram.reset();
  }, 500).unref();
}
