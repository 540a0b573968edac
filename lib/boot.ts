// Server start-up: configuration, migrations, instance id, background jobs.
// A bad flowforge.yml or a database newer than the code stops the process with
// one clear line instead of serving a half-working platform.
import 'server-only';
import { ConfigError, getConfig } from './config';
import { migrate, MigrationError } from './migrate';
import { getInstanceId } from './data/settings';
import { startBackgroundJobs } from './jobs';

const state = globalThis as unknown as { flowforgeBooted?: boolean };

export async function boot(): Promise<void> {
  if (state.flowforgeBooted) return; // dev-server reloads and double registration
  state.flowforgeBooted = true;
  try {
    const config = getConfig();
    const { applied } = await migrate(config.db.type, config.db.url);
    if (applied.length > 0) console.log(`[flowforge] applied ${applied.length} migration(s): ${applied.join(', ')}`);
    await getInstanceId();
    console.log(`[flowforge] ready: ${config.db.type} database, config ${config.file.exists ? config.file.path : '(defaults, no flowforge.yml)'}`);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof MigrationError) {
      console.error(`[flowforge] cannot start: ${error.message}`);
      process.exit(1);
    }
    // Anything else here is the database failing (unreachable, refused, wrong password):
    // one line naming it (never its URL, which may hold a password) instead of a stack trace.
    const { type } = getConfig().db;
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`[flowforge] cannot start: cannot open the ${type === 'postgres' ? 'PostgreSQL' : 'SQLite'} database: ${reason}`);
    // An error without a system/driver code is probably a bug: keep its stack for the report.
    if (!(error instanceof Error && typeof (error as { code?: unknown }).code === 'string')) console.error(error);
    process.exit(1);
  }
  startBackgroundJobs();
}
