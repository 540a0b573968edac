// The cli_command event's arguments on real command lines: flag names and the
// CLI's own words survive, every value becomes a placeholder, secrets
// <redacted>, paths <path> (POSIX, Windows, UNC, quoted), URLs <value> even
// with credentials in them.
import { describe, expect, it } from 'vitest';
import { sanitiseCliArguments } from '../../lib/events/cli-args';
import { cliArgument } from '../../lib/events/catalog';
import { CLI_WORDS } from '../../lib/cli/args';

/** Splits a command line as a POSIX shell would for these cases (quotes group words; no escapes). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|([^\s"']+)/g;
  let current: string | null = null;
  let lastEnd = -1;
  for (const match of line.matchAll(pattern)) {
    const text = match[1] ?? match[2] ?? match[3];
    // Adjacent pieces (--config="a b") form one word.
    if (current !== null && match.index === lastEnd) current += text;
    else {
      if (current !== null) words.push(current);
      current = text;
    }
    lastEnd = match.index! + match[0].length;
  }
  if (current !== null) words.push(current);
  return words.slice(1); // drop "flowforge"
}

const table: Array<[string, string | string[], string[]]> = [
  ['a setting read', 'flowforge config get telemetry.enabled', ['config', 'get', 'telemetry.enabled']],
  [
    'a setting written',
    'flowforge config set telemetry.enabled false',
    ['config', 'set', 'telemetry.enabled', '<value>'],
  ],
  [
    'a flag without value',
    'flowforge config get telemetry.enabled --json',
    ['config', 'get', 'telemetry.enabled', '--json'],
  ],
  ['help', 'flowforge --help', ['--help']],
  ['short version flag', 'flowforge -v', ['-v']],
  ['a value joined to a key', 'flowforge config set telemetry.enabled=false', ['config', 'set', '<value>']],
  [
    'an =-joined POSIX path',
    'flowforge --config=/etc/flowforge/flowforge.yml config get telemetry.enabled',
    ['--config=<path>', 'config', 'get', 'telemetry.enabled'],
  ],
  [
    'a quoted path with spaces',
    'flowforge --config "/home/alice/My Files/flowforge.yml" config get',
    ['--config', '<path>', 'config', 'get'],
  ],
  ['a quoted =-joined path', 'flowforge --config="/srv/flow forge/ff.yml"', ['--config=<path>']],
  ['a Windows path, quotes kept by cmd.exe', ['--config="C:\\Users\\Alice\\flowforge.yml"'], ['--config=<path>']],
  ['a Windows path', ['--config', 'C:\\ProgramData\\FlowForge\\flowforge.yml'], ['--config', '<path>']],
  ['a Windows path with forward slashes', ['--data=D:/flowforge/data'], ['--data=<path>']],
  ['a UNC path', ['restore', '\\\\fileserver\\share\\flowforge.db'], ['<value>', '<path>']],
  ['a home path', 'flowforge backup ~/backups/flowforge.db', ['<value>', '<path>']],
  ['a relative path', 'flowforge import ./users.csv', ['<value>', '<path>']],
  [
    'a bare file name',
    'flowforge --config flowforge.yml config get telemetry.enabled',
    ['--config', '<path>', 'config', 'get', 'telemetry.enabled'],
  ],
  ['a file: URL', 'flowforge --db=file:/var/lib/flowforge/ff.db', ['--db=<path>']],
  [
    'a secret flag and the next argument',
    'flowforge --password hunter2 config get telemetry.enabled',
    ['--password', '<redacted>', 'config', 'get', 'telemetry.enabled'],
  ],
  ['a =-joined secret', 'flowforge --password=hunter2', ['--password=<redacted>']],
  ['a token', 'flowforge --token ghp_16C7e42F292c6912E7710c838347Ae178B4a', ['--token', '<redacted>']],
  ['an API key', 'flowforge --api-key=phc_abcdef0123456789', ['--api-key=<redacted>']],
  ['a secret named in capitals with underscores', 'flowforge --AUTH_TOKEN=abc', ['--AUTH_TOKEN=<redacted>']],
  ['a client secret', 'flowforge --client_secret s3cr3t --json', ['--client_secret', '<redacted>', '--json']],
  ['a database password flag', 'flowforge --db-password "p@ss w0rd"', ['--db-password', '<redacted>']],
  [
    'a PostgreSQL URL with credentials',
    'flowforge --db-url postgres://flowforge:s3cret@db.example.com:5432/flowforge',
    ['--db-url', '<value>'],
  ],
  [
    'an =-joined URL with credentials',
    'flowforge --host=https://admin:pw@collector.example.com/ping',
    ['--host=<value>'],
  ],
  [
    'an email and a name',
    'flowforge user add alice@example.com --name "Alice Smith"',
    ['<value>', '<value>', '<value>', '--name', '<value>'],
  ],
  ['an =-joined email', 'flowforge --email=alice@example.com', ['--email=<value>']],
  ['an IP address', 'flowforge --bind 192.168.10.4', ['--bind', '<value>']],
  ['a negative number', 'flowforge --retries -1', ['--retries', '<value>']],
  ['after --, everything is a value', 'flowforge run -- --not-a-flag /tmp/x', ['<value>', '--', '<value>', '<path>']],
  ['a flag that cannot be named safely', ['--na me=x'], ['<value>']],
  ['an unknown short secret stays a value', 'flowforge -p hunter2', ['-p', '<value>']],
];

describe('sanitiseCliArguments', () => {
  it.each(table)('%s', (_label, line, expected) => {
    const argv = typeof line === 'string' ? shellWords(line) : line;
    const sanitised = sanitiseCliArguments(argv, CLI_WORDS);
    expect(sanitised).toEqual(expected);
    // Whatever it produced, the event schema accepts it.
    for (const argument of sanitised) expect(cliArgument.safeParse(argument).success, argument).toBe(true);
  });

  it('has at least 20 real command lines', () => {
    expect(table.length).toBeGreaterThanOrEqual(20);
  });

  it('never lets a typed value through, whatever it is', () => {
    const secrets = ['hunter2', 'alice@example.com', '/home/alice', 'C:\\Users\\Alice', '10.0.0.1', 'Alice Smith'];
    for (const secret of secrets) {
      for (const argv of [[secret], [`--x=${secret}`], ['--password', secret], ['--', secret]]) {
        expect(sanitiseCliArguments(argv, CLI_WORDS).join(' ')).not.toContain(secret);
      }
    }
  });

  it('keeps at most 50 arguments', () => {
    expect(sanitiseCliArguments(Array(80).fill('--json'), CLI_WORDS)).toHaveLength(50);
  });
});
