// Server start-up: configuration, migrations, instance id, background jobs.
// A bad flowforge.yml or a database newer than the code stops the process with
// one clear line instead of serving a half-working platform.
import 'server-only';
import { getConfig } from './config';
import { migrate, migrateHttpEvents } from './migrate';
import { getInstanceId } from './data/settings';
import { startBackgroundJobs } from './jobs';
import { describeStartupFailure } from './startup-error';

const state = globalThis as unknown as { flowforgeBooted?: boolean };

export async function boot(): Promise<void> {
  if (state.flowforgeBooted) return; // dev-server reloads and double registration
  state.flowforgeBooted = true;
  try {
    const config = getConfig();
    const { applied } = await migrate(config.db.type, config.db.url);
    if (applied.length > 0) console.log(`[flowforge] applied ${applied.length} migration(s): ${applied.join(', ')}`);
    const { httpEvents } = config.telemetry;
    // Events kept in the platform's own database: its tables are part of start-up, like the
    // platform's (a separate events database is migrated by the writer, which retries while it is down).
    if (httpEvents.enabled && !httpEvents.postgres) await migrateHttpEvents(config.db.type, config.db.url);
    await getInstanceId();
    console.log(
      `[flowforge] ready: ${config.db.type} database, config ` +
        (config.file.exists ? config.file.path : '(defaults, no flowforge.yml)'),
    );
  } catch (error) {
    const failure = describeStartupFailure(error, safeDbConfig());
    console.error(`[flowforge] cannot start: ${failure.message}`);
    if (failure.unexpected) console.error(error); // keep the stack for the bug report
    process.exit(1);
  }
  const config = getConfig();
  if (config.telemetry.httpEvents.enabled) {
    // Before the first request (register() is awaited by Next), so every request is recorded.
    const { startHttpEvents } = await import('./http-events/recorder');
    startHttpEvents({ config, migrate: Boolean(config.telemetry.httpEvents.postgres) });
  }
  startBackgroundJobs();
}

/** The database settings for the message, or none when the configuration itself failed. */
function safeDbConfig() {
  try {
    return getConfig().db;
  } catch {
    return undefined;
  }
}
