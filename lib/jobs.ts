// Background jobs: one registry of { name, schedule, run }, started once per
// server process after boot. Jobs coordinate through the database (leases,
// unique keys), never through process memory, so replicas can run side by side.
// This file owns the rules every job shares:
//   - started at most once per process (dev reloads, a second register());
//   - never during `next build` (its workers import server code too);
//   - a run that throws or rejects is caught here and logged as one line, once
//     per distinct message until the job succeeds again (a database that is
//     down would otherwise log every minute); nothing escapes to the process;
//   - starting never awaits a run, so boot is never blocked by a job.
// A job module exports plain functions that may throw; it needs no guard,
// no try/catch and no global flag of its own.
import 'server-only';
import { errorLine } from './error-line';
import { BOOT_DELAY_MS } from './telemetry/schedule';

/** A node-cron expression (UTC minutes and hours), or once, this long after the jobs start. */
export type JobSchedule = string | { afterStartMs: number };

export interface Job {
  /** Short and unique: it names the job in log lines and its node-cron task. */
  name: string;
  schedule: JobSchedule;
  /** One run; may throw. Runs of one job never overlap. */
  run: () => Promise<unknown>;
}

export interface JobTimers {
  /** Calls fn on a cron schedule; returns a stop function. */
  cron(expression: string, fn: () => void, name: string): () => void;
  /** Calls fn once after ms; returns a stop function. */
  after(ms: number, fn: () => void): () => void;
}

type Warn = (line: string) => void;

/**
 * Wraps a job's run: the one place that catches and logs. A run still going
 * when the next is due is skipped (a slow database must not pile runs up).
 */
export function guardedRun(job: Job, warn: Warn = console.warn): () => Promise<void> {
  let running = false;
  let lastWarning = '';
  return async () => {
    if (running) return;
    running = true;
    try {
      await job.run();
      lastWarning = '';
    } catch (error) {
      const line = `[flowforge] job ${job.name} failed (will try again at its next run): ${errorLine(error)}`;
      if (line !== lastWarning) warn(line);
      lastWarning = line;
    } finally {
      running = false;
    }
  };
}

/** Starts every job on its schedule and returns a function that stops them all. Never throws, never awaits. */
export function startJobs(jobs: readonly Job[], timers: JobTimers, warn: Warn = console.warn): () => void {
  const stops = jobs.map((job) => {
    const run = guardedRun(job, warn);
    const fire = () => void run();
    return typeof job.schedule === 'string'
      ? timers.cron(job.schedule, fire, job.name)
      : timers.after(job.schedule.afterStartMs, fire);
  });
  return () => stops.forEach((stop) => stop());
}

/** Memoises an async factory (a module imported and an object built on first use). */
function lazy<T>(create: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= create());
}

// Job code is imported on first run, so node-cron, the telemetry sender and the
// collector load only in the server process, never during the build or in pages.
const telemetryScheduler = lazy(async () =>
  // The boot ping counts from the process start (performance.timeOrigin), as its timer does.
  (await import('./telemetry/scheduler')).createTelemetryScheduler({ startedAt: new Date(performance.timeOrigin) }),
);

async function maintainHttpEvents(): Promise<void> {
  await (await import('./http-events/recorder')).getHttpEventsRecorder()?.maintain();
}

/** The platform's jobs. Add one here; it gets the guard, the logging and the once-per-process start. */
export const PLATFORM_JOBS: readonly Job[] = [
  // Picks the platform's daily ping time now, so Admin Settings can show it before the first tick.
  {
    name: 'telemetry-daily-time',
    schedule: { afterStartMs: 0 },
    run: async () => (await telemetryScheduler()).minuteOfDay(),
  },
  // The boot ping, if due (lib/telemetry/schedule.ts decides; the scheduler claims it under a lease).
  {
    name: 'telemetry-boot',
    schedule: { afterStartMs: BOOT_DELAY_MS },
    run: async () => (await telemetryScheduler()).bootCheck(),
  },
  // The daily ping: outside its hour a tick does no query.
  { name: 'telemetry-daily', schedule: '* * * * *', run: async () => (await telemetryScheduler()).tick() },
  // Usage events (lib/events/runtime.ts): server_started at once, server_stopped on SIGTERM/SIGINT.
  {
    name: 'usage-events',
    schedule: { afterStartMs: 0 },
    run: async () => (await import('./events/runtime')).startUsageEvents(),
  },
  // server_heartbeat once an hour, at a minute picked per process so platforms do not all send at :00.
  {
    name: 'usage-events-heartbeat',
    schedule: `${Math.floor(Math.random() * 60)} * * * *`,
    run: async () => (await import('./events/runtime')).sendHeartbeat(),
  },
  // Deletes collector data older than collector.retentionDays (a no-op while the collector is off).
  {
    name: 'collector-retention',
    schedule: '17 * * * *',
    run: async () => (await import('./collector/retention')).runRetention(),
  },
  // Finished rate-limit windows, in every configuration: sign-in leaves a row per email and per
  // address tried, and the collector's retention (which prunes too) only runs when the collector is
  // on. Deleting finished windows is idempotent, so every replica may do it without a lease.
  {
    name: 'rate-limit-pruning',
    schedule: '41 * * * *',
    run: async () => (await import('./data/rate-limit')).pruneRateLimits(new Date()),
  },
  // Expired sessions (lib/data/sessions.ts): a session check already refuses them; this keeps the
  // table to the live ones. Idempotent, so every replica may do it without a lease.
  {
    name: 'session-pruning',
    schedule: '43 * * * *',
    run: async () => (await import('./data/sessions')).pruneExpiredSessions(new Date()),
  },
  // HTTP request events (telemetry.httpEvents, lib/http-events/recorder.ts): on PostgreSQL today's and
  // tomorrow's partitions are created ahead of time, then everything older than retentionDays goes.
  // Idempotent, so every replica runs it without a lease; a no-op while the recorder is off.
  { name: 'http-events-maintenance', schedule: '23 * * * *', run: maintainHttpEvents },
  // Once soon after start too: a platform restarted every hour would otherwise never reach minute 23.
  { name: 'http-events-maintenance-at-start', schedule: { afterStartMs: 10_000 }, run: maintainHttpEvents },
];

const nodeTimers: JobTimers = {
  cron(expression, fn, name) {
    // node-cron is loaded once, on the first job; its own import failing is logged like a job failure.
    let stopped = false;
    let destroy = () => {};
    import('node-cron')
      .then(({ default: cron }) => {
        if (stopped) return;
        const task = cron.schedule(expression, fn, { name: `flowforge-${name}` });
        destroy = () => void task.destroy();
      })
      .catch((error) => console.warn(`[flowforge] job ${name} could not be scheduled: ${errorLine(error)}`));
    return () => {
      stopped = true;
      destroy();
    };
  },
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref(); // a pending boot ping never keeps a stopping process alive
    return () => clearTimeout(timer);
  },
};

const state = globalThis as unknown as { flowforgeStopJobs?: () => void };

/** `next build` imports server modules in its workers; nothing may start there. */
export function isBuildPhase(): boolean {
  return process.env.NEXT_PHASE === 'phase-production-build';
}

/**
 * Called by lib/boot.ts after migrations. Starts PLATFORM_JOBS (or `jobs`) once per process;
 * returns false when they were already started or this is the build.
 */
export function startBackgroundJobs(jobs: readonly Job[] = PLATFORM_JOBS, timers: JobTimers = nodeTimers): boolean {
  if (state.flowforgeStopJobs || isBuildPhase()) return false;
  state.flowforgeStopJobs = startJobs(jobs, timers);
  return true;
}

/** Tests: stops the jobs so the process can exit, and allows a new start. */
export function stopBackgroundJobs(): void {
  state.flowforgeStopJobs?.();
  state.flowforgeStopJobs = undefined;
}
