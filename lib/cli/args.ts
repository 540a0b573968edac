// Command-line parsing for `flowforge`: pure, so every mistake an operator can
// type is unit-tested. Mistakes become a usage error naming what was wrong.
import { parseBooleanWord } from '../telemetry/setting';
import type { CliCommandName } from '../events/catalog';

export const EXIT = { ok: 0, error: 1, usage: 2, locked: 3 } as const;

/** Settings the CLI reads and writes. */
export const SETTINGS = {
  'telemetry.enabled': 'Share anonymous usage statistics: true or false (see TELEMETRY.md)',
} as const;
export type SettingName = keyof typeof SETTINGS;

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'get'; key: SettingName; json: boolean }
  | { kind: 'set'; key: SettingName; value: boolean }
  | { kind: 'usage'; message: string };

export const HELP = `Usage: flowforge <command> [options]

Commands:
  config get <key> [--json]   Print the value in force and where it comes from
  config set <key> <value>    Save a value in the platform's database
  help, --help, -h            Show this help
  version, --version, -v      Print the FlowForge version

Settings:
${Object.entries(SETTINGS)
  .map(([key, text]) => `  ${key.padEnd(26)}${text}`)
  .join('\n')}

Which value wins, highest first: the FLOWFORGE_TELEMETRY environment variable,
telemetry.enabled in flowforge.yml, the value saved in the database (setup
wizard, Admin Settings, this command), the default (on). \`config set\` refuses,
saving nothing, while the environment or the file decides.

The command uses the server's configuration: FLOWFORGE_CONFIG if set (relative
to the current folder), otherwise flowforge.yml in the FlowForge folder, and the
database configured there. It applies pending database migrations first. A
change is recorded in the audit log (actor "cli:<your user name>") and the
running platform uses it from its next check, without a restart.

Exit codes: 0 success, 1 error (configuration, database), 2 bad usage,
3 refused because flowforge.yml or FLOWFORGE_TELEMETRY decides the setting.

Examples:
  flowforge config get telemetry.enabled
  flowforge config set telemetry.enabled false
`;

/** The CLI's own words: kept as typed in the cli_command event (anything else is a value). */
export const CLI_WORDS: ReadonlySet<string> = new Set([
  'config',
  'get',
  'set',
  'help',
  'version',
  ...Object.keys(SETTINGS),
]);

/** The command's name in the cli_command event. */
export function commandName(command: Command): CliCommandName {
  if (command.kind === 'get' || command.kind === 'set') return `config ${command.kind}`;
  if (command.kind === 'usage') return 'usage error';
  return command.kind;
}

const usage = (message: string): Command => ({ kind: 'usage', message });

function settingName(key: string | undefined): SettingName | string {
  if (key === undefined) return 'missing a setting name, e.g. telemetry.enabled';
  if (key in SETTINGS) return key as SettingName;
  return `unknown setting "${key}" (known: ${Object.keys(SETTINGS).join(', ')})`;
}

export function parseArgs(argv: string[]): Command {
  const flags = argv.filter((a) => a.startsWith('-'));
  const words = argv.filter((a) => !a.startsWith('-'));
  if (flags.includes('--help') || flags.includes('-h') || words[0] === 'help') return { kind: 'help' };
  if (flags.includes('--version') || flags.includes('-v') || words[0] === 'version') return { kind: 'version' };
  if (words.length === 0) return usage('missing a command');
  if (words[0] !== 'config') return usage(`unknown command "${words[0]}"`);
  const [, action, key, value, ...rest] = words;
  if (action !== 'get' && action !== 'set')
    return usage(
      action ? `unknown config action "${action}" (use get or set)` : 'missing "get" or "set" after "config"',
    );
  const name = settingName(key);
  if (!(name in SETTINGS)) return usage(name);
  const known = action === 'get' ? ['--json'] : [];
  const unknownFlag = flags.find((f) => !known.includes(f));
  if (unknownFlag) return usage(`unknown option ${unknownFlag}`);
  if (action === 'get') {
    if (value !== undefined) return usage(`config get takes one setting name, got extra "${value}"`);
    return { kind: 'get', key: name as SettingName, json: flags.includes('--json') };
  }
  if (value === undefined) return usage(`missing the value: flowforge config set ${name} true|false`);
  if (rest.length > 0) return usage(`config set takes one value, got extra "${rest[0]}"`);
  const parsed = parseBooleanWord(value);
  if (parsed === null) return usage(`${name} must be true or false (got "${value}")`);
  return { kind: 'set', key: name as SettingName, value: parsed };
}
