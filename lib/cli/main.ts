// The `flowforge` command (bin/flowforge.mjs runs this file through tsx). It
// reads the same configuration and database as the server, applies pending
// migrations first so it also works on a fresh database, and changes settings
// only through lib/data, which refuses what flowforge.yml or the environment
// decides and writes the audit entry.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config';
import { FLOWFORGE_VERSION } from '../version';
import { CLI_WORDS, commandName, EXIT, HELP, parseArgs } from './args';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** "cli:<OS user>" so the audit log says who typed the command. */
function cliActor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
}

const onOff = (value: boolean) => String(value);

/**
 * One `flowforge` run: the command, then its cli_command usage event (sent only
 * while events are on, waited for at most the telemetry timeout). The event
 * never changes the command's output or exit code.
 */
export async function runCli(argv: string[], io: Io = stdio): Promise<number> {
  const started = performance.now();
  let exitCode: number = EXIT.error;
  let errorClass: string | undefined;
  try {
    exitCode = await main(argv, io);
  } catch (error) {
    errorClass = error instanceof Error ? error.constructor.name : undefined;
    io.err(`flowforge: ${error instanceof Error ? error.message : String(error)}`);
  }
  const durationMs = performance.now() - started;
  try {
    const [{ loadCliConfig }, { createDb }, { reportCliCommand }] = await Promise.all([
      import('../config'),
      import('../db-client'),
      import('../events/cli'),
    ]);
    const config = loadCliConfig(projectRoot);
    await reportCliCommand(
      { argv, command: commandName(parseArgs(argv)), durationMs, exitCode, errorClass },
      { config, openDb: () => createDb(config.db), knownWords: CLI_WORDS },
    );
  } catch {
    // a configuration error was already reported by the command; no event then
  }
  return exitCode;
}

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const command = parseArgs(argv);
  if (command.kind === 'help') {
    io.out(HELP);
    return EXIT.ok;
  }
  if (command.kind === 'version') {
    io.out(FLOWFORGE_VERSION);
    return EXIT.ok;
  }
  if (command.kind === 'usage') {
    io.err(`flowforge: ${command.message}`);
    io.err('Run "flowforge --help" for usage.');
    return EXIT.usage;
  }

  // Loaded only now, so --help and usage errors answer at once.
  const [{ loadCliConfig, setConfig }, { createDb }, { migrate }, { databaseName, describeStartupFailure }, data] =
    await Promise.all([
      import('../config'),
      import('../db-client'),
      import('../migrate'),
      import('../startup-error'),
      import('../data/telemetry-setting'),
    ]);
  const { getTelemetrySetting, saveTelemetryEnabled, TelemetrySettingLockedError } = data;
  let config: Config | undefined;
  try {
    config = loadCliConfig(projectRoot);
    setConfig(config);
    if (!config.file.exists)
      io.err(`flowforge: note: no ${config.file.path}, so the defaults apply (${databaseName(config.db)})`);
    await migrate(config.db.type, config.db.url, projectRoot);
  } catch (error) {
    io.err(`flowforge: ${describeStartupFailure(error, config?.db).message}`);
    return EXIT.error;
  }

  const db = createDb(config.db);
  try {
    if (command.kind === 'get') {
      const setting = await getTelemetrySetting(db, config);
      if (command.json) {
        io.out(
          JSON.stringify({
            key: command.key,
            value: setting.enabled,
            source: setting.source,
            locked: setting.locked,
            reason: setting.reason,
          }),
        );
      } else {
        io.out(onOff(setting.enabled));
        io.out(`source: ${setting.source} (${setting.reason})`);
      }
      return EXIT.ok;
    }
    const { before, changed } = await saveTelemetryEnabled(command.value, cliActor(), db, config);
    if (!changed) {
      io.out(`${command.key} is already ${onOff(command.value)} in the database; nothing changed.`);
    } else {
      io.out(
        `${command.key} set to ${onOff(command.value)} in the database (was ${onOff(before.enabled)}, ` +
          `${before.source === 'default' ? 'the default' : 'from the database'}).`,
      );
      io.out('The running platform uses it from its next check; no restart needed.');
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof TelemetrySettingLockedError) {
      io.err(`flowforge: cannot set ${command.key}: ${error.message}`);
      return EXIT.locked;
    }
    io.err(`flowforge: ${databaseName(config.db)} error: ${(error as Error).message}`);
    return EXIT.error;
  } finally {
    await db.$disconnect();
  }
}
