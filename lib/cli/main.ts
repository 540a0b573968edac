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
import { EXIT, HELP, parseArgs } from './args';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: Io = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };

/** "cli:<OS user>" so the audit log says who typed the command. */
function cliActor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
}

const onOff = (value: boolean) => String(value);

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
  const [{ ConfigError, loadCliConfig, setConfig }, { createDb }, { migrate, MigrationError }, data] = await Promise.all([
    import('../config'),
    import('../db-client'),
    import('../migrate'),
    import('../data/telemetry-setting'),
  ]);
  const { getTelemetrySetting, saveTelemetryEnabled, TelemetrySettingLockedError } = data;
  let config: Config;
  try {
    config = loadCliConfig(projectRoot);
    setConfig(config);
    if (!config.file.exists) io.err(`flowforge: note: no ${config.file.path}, so the defaults apply (${describeDb(config)})`);
    await migrate(config.db.type, config.db.url, projectRoot);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof MigrationError) {
      io.err(`flowforge: ${error.message}`);
      return EXIT.error;
    }
    io.err(`flowforge: cannot open the ${describeDb(config!)}: ${(error as Error).message}`);
    return EXIT.error;
  }

  const db = createDb(config.db);
  try {
    if (command.kind === 'get') {
      const setting = await getTelemetrySetting(db, config);
      if (command.json) {
        io.out(JSON.stringify({ key: command.key, value: setting.enabled, source: setting.source, locked: setting.locked, reason: setting.reason }));
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
      io.out(`${command.key} set to ${onOff(command.value)} in the database (was ${onOff(before.enabled)}, ${before.source === 'default' ? 'the default' : 'from the database'}).`);
      io.out('The running platform uses it from its next check; no restart needed.');
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof TelemetrySettingLockedError) {
      io.err(`flowforge: cannot set ${command.key}: ${error.message}`);
      return EXIT.locked;
    }
    io.err(`flowforge: ${describeDb(config)} error: ${(error as Error).message}`);
    return EXIT.error;
  } finally {
    await db.$disconnect();
  }
}

function describeDb(config: Config | undefined): string {
  if (!config) return 'database';
  return config.db.type === 'sqlite' ? `SQLite database ${config.db.url}` : 'PostgreSQL database';
}
