// What the server (lib/boot.ts) and the `flowforge` CLI (lib/cli/main.ts) say
// when they cannot start: one sentence, the same for both. A bad flowforge.yml
// or variable and a failed or unknown migration carry their own message; any
// other error while opening the database is the database failing (unreachable,
// refused, wrong password, unwritable folder), named by driver and, for SQLite,
// by file, never by URL (a PostgreSQL URL may hold a password).
import type { Config } from './config';
import { ConfigError } from './config';
import { errorLine } from './error-line';
import { MigrationError } from './migrate';

export interface StartupFailure {
  /** One line, without a prefix: each caller adds its own ("[flowforge] cannot start: ", "flowforge: "). */
  message: string;
  /** Neither a known failure nor a driver/system error (no `code`): probably a bug, so its stack is worth printing. */
  unexpected: boolean;
}

/** "SQLite database ./data/flowforge.db" or "PostgreSQL database". */
export function databaseName(db: Config['db'] | undefined): string {
  if (!db) return 'database';
  return db.type === 'sqlite' ? `SQLite database ${db.url}` : 'PostgreSQL database';
}

export function describeStartupFailure(error: unknown, db: Config['db'] | undefined): StartupFailure {
  if (error instanceof ConfigError || error instanceof MigrationError)
    return { message: error.message, unexpected: false };
  const hasCode = error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
  return { message: `cannot open the ${databaseName(db)}: ${errorLine(error)}`, unexpected: !hasCode };
}
