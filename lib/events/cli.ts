// The cli_command event of one `flowforge` run. The CLI is a short process of
// its own: it checks the same effective setting as the server (in its own
// environment), queues one event and waits for it at most the telemetry
// timeout. It never changes the command's output or exit code; a database
// that cannot be read (not created yet, unreachable) means no event.
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import type { Db } from '../db';
import { buildEventMessage, type CliCommandName } from './catalog';
import { sanitiseCliArguments } from './cli-args';
import { createEventsClient } from './client';

export interface CliRun {
  argv: string[];
  command: CliCommandName;
  durationMs: number;
  exitCode: number;
  /** Class name of an error that escaped the command, if one did. */
  errorClass?: string;
}

export interface CliReportDeps {
  config: Config;
  /** Opens the database (only when it exists: a --help on a fresh folder must not create one). */
  openDb: () => Db;
  knownWords: ReadonlySet<string>;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** "NotFoundError" for a named class, "exit_<code>" otherwise; null on success. */
export function cliErrorType(run: Pick<CliRun, 'exitCode' | 'errorClass'>): string | null {
  if (run.errorClass && /^[A-Z][A-Za-z0-9]{0,63}$/.test(run.errorClass)) return run.errorClass;
  return run.exitCode === 0 ? null : `exit_${Math.min(Math.max(run.exitCode, 0), 255)}`;
}

/**
 * Sends the cli_command event if events are on. Never throws; gives up after
 * twice the telemetry timeout whatever hangs (the database read included).
 */
export async function reportCliCommand(
  run: CliRun,
  deps: CliReportDeps,
): Promise<'sent' | 'off' | 'failed' | 'skipped'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'failed'>((resolve) => {
    timer = setTimeout(() => resolve('failed'), 2 * deps.config.telemetry.timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([report(run, deps), bound]);
  } finally {
    clearTimeout(timer);
  }
}

async function report(run: CliRun, deps: CliReportDeps): Promise<'sent' | 'off' | 'failed' | 'skipped'> {
  const { config } = deps;
  if (config.db.type === 'sqlite' && !existsSync(config.db.url)) return 'skipped';
  let db: Db | undefined;
  try {
    db = deps.openDb();
    const [{ readEventsSetting, commonProperties }, { getInstanceId }] = await Promise.all([
      import('./context'),
      import('../data/settings'),
    ]);
    const setting = await readEventsSetting(db, config);
    if (!setting.enabled) return 'off';
    const distinctId = config.environment.ci.isCi ? `ci-${randomUUID()}` : await getInstanceId(db);
    const message = buildEventMessage(
      'cli_command',
      {
        command: run.command,
        arguments: sanitiseCliArguments(run.argv, deps.knownWords),
        duration_ms: Math.max(0, Math.round(run.durationMs)),
        success: run.exitCode === 0 && !run.errorClass,
        error_type: cliErrorType(run),
      },
      { distinctId, common: commonProperties(config, randomUUID()) },
    );
    const client = createEventsClient({
      host: config.eventsTarget.host,
      apiKey: config.eventsTarget.apiKey,
      timeoutMs: config.telemetry.timeoutMs,
      fetch: deps.fetch,
      warn: () => {}, // a command's output is not the place for our network trouble
    });
    client.capture(message);
    await client.close(config.telemetry.timeoutMs);
    return client.counters().sent > 0 ? 'sent' : 'failed';
  } catch {
    return 'failed';
  } finally {
    await db?.$disconnect().catch(() => {});
  }
}
