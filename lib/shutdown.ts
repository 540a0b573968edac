// The server's stop path. `next start` answers SIGTERM/SIGINT itself: it closes
// the HTTP server, then calls process.exit(143 / 130). Work that must finish
// before the process ends (the last usage events, the collector's pending
// writes and rate-limit counts) registers a hook here; on the signal every hook
// runs, and the exit is deferred until all of them have settled (each bounds its
// own time). Hooks run side by side; none of them closes the database client,
// so no hook finds it closed while another still writes.
import os from 'node:os';

type Signal = 'SIGTERM' | 'SIGINT';
type Hook = (signal: Signal) => Promise<void>;

const state = globalThis as unknown as { flowforgeShutdown?: { hooks: Hook[]; running?: Promise<void> } };

/** Runs `hook` on SIGTERM/SIGINT and holds the process's exit until it settles. */
export function onShutdown(hook: Hook): void {
  if (!state.flowforgeShutdown) {
    const registry: { hooks: Hook[]; running?: Promise<void> } = { hooks: [] };
    state.flowforgeShutdown = registry;
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      process.once(signal, () => {
        if (registry.running) return;
        registry.running = runHooks(registry.hooks, signal);
        holdExitUntil(registry.running, signal);
      });
  }
  state.flowforgeShutdown.hooks.push(hook);
}

async function runHooks(hooks: Hook[], signal: Signal): Promise<void> {
  await Promise.allSettled(hooks.map(async (hook) => hook(signal)));
}

/**
 * Next's own handler is kept; this only defers its exit until `done`. If nobody
 * else handles the signal (NEXT_MANUAL_SIG_HANDLE), exit as the signal would have.
 */
function holdExitUntil(done: Promise<void>, signal: Signal) {
  const exit = process.exit.bind(process);
  let finished = false;
  let requested: { code: number | string | null | undefined } | null = null;
  void done.finally(() => {
    finished = true;
    if (requested) exit(requested.code as number);
    else if (process.listenerCount(signal) === 0) exit(128 + os.constants.signals[signal]);
  });
  process.exit = ((code?: number | string | null) => {
    if (finished) return exit(code as number);
    requested ??= { code };
    return undefined as never;
  }) as typeof process.exit;
}
