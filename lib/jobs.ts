// Background jobs started once per server process after boot. Each job must
// coordinate through the database (leases), never through process memory, so
// that several replicas can run side by side. Starting must never throw or block.
import 'server-only';

type Job = { name: string; start: () => void | Promise<void> };

const jobs: Job[] = [
  // Imported lazily so that node-cron and the telemetry code load only in the server process.
  { name: 'telemetry', start: async () => void (await import('./telemetry/scheduler')).startTelemetryScheduler() },
  // Hourly; deletes collector data older than collector.retentionDays (lib/collector/retention.ts).
  { name: 'collector-retention', start: async () => (await import('./collector/retention')).startRetentionJob() },
  // Hourly, collector or not: sign-in limits leave a row per email and address (lib/rate-limit-pruning.ts).
  { name: 'rate-limit-pruning', start: async () => (await import('./rate-limit-pruning')).startRateLimitPruning() },
];

export function startBackgroundJobs(): void {
  for (const job of jobs) {
    Promise.resolve()
      .then(job.start)
      .catch((error) => console.warn(`[flowforge] job ${job.name} failed to start: ${(error as Error).message}`));
  }
}
